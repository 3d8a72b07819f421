// What every two-character query costs, without a browser: for each pair
// of Chinese characters the index holds, the bytes the search page would
// download for it — the page, style sheet and scripts, the manifest, the
// pair's token shard and the snippet chunks of its first ten results —
// read from the built files with the search script's own ranking and
// chunk lookup (themes/default/static/search.js). measure.js --pairs uses
// it to find the costliest pairs, then measures those in the browser.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const { REPO } = require("./harness");
const core = require(path.join(REPO, "themes/default/static/search.js"));

// The files one index script hands to UnionpressSearch.add.
function read(file) {
  let out = null;
  const UnionpressSearch = { add: (kind, n, data) => { out = { kind, n, data }; } };
  new Function("UnionpressSearch", fs.readFileSync(file, "utf8"))(UnionpressSearch);
  return out;
}

// [{pair, results, bytes, chunks}] for every two-character Chinese token
// of the index in `root` (a built site), costliest first.
function pairCosts(root) {
  const size = (rel) => fs.statSync(path.join(root, rel)).size;
  const manifest = read(path.join(root, "search/manifest.js")).data;
  // What the search page loads before any query (the page does not link
  // print.css).
  const fixed = ["search/index.html", "style.css", "theme.js", "search.js", "search/manifest.js"]
    .map(size).reduce((a, b) => a + b, 0);
  const firsts = core.decodeIds(manifest.chunks);
  const names = core.chunkNames(manifest.names, firsts.length);
  const expired = {};
  for (const id of core.decodeIds(manifest.expired)) expired[id] = true;
  const chunkBytes = names.map((n) => size(`search/d/${n}.js`));
  const out = [];
  for (let n = 0; n < manifest.shards; n++) {
    const shard = read(path.join(root, `search/t/${n}.js`)).data;
    const shardBytes = size(`search/t/${n}.js`);
    for (const token of Object.keys(shard)) {
      const cps = Array.from(token);
      if (cps.length !== 2 || !cps.every((c) => core.isCjk(c.codePointAt(0)))) continue;
      const hits = core.rank([{ text: token, tokens: [token] }], (t) => shard[t], expired);
      const chunks = new Set(hits.slice(0, 10).map((h) => core.chunkOf(firsts, h.id)));
      let bytes = fixed + shardBytes;
      for (const k of chunks) bytes += chunkBytes[k];
      out.push({ pair: token, results: hits.length, bytes, chunks: chunks.size });
    }
  }
  out.sort((a, b) => b.bytes - a.bytes || (a.pair < b.pair ? -1 : 1));
  return out;
}

module.exports = { pairCosts };
