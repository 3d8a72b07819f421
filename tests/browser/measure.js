// What a search costs a reader: for each query, the bytes the search page
// downloads — its scripts and index files (search.js, theme.js, the index
// manifest, token shards, snippet chunks), and everything together: the
// page, both style sheets (the browser fetches print.css too), scripts and
// index, which is what issue 13's 150 KB for a two-character query counts —
// and the time until the first results show. For the benchmark site:
//
//   cargo run --release --example gen_site -- /tmp/big 10000
//   cargo run --release -- build --root /tmp/big --now 2026-11-21
//   node tests/browser/measure.js /tmp/big/public 工会 职代会 劳动合同
"use strict";

const path = require("node:path");
const { launch, newPage, serve, requireBuilt } = require("./lib/harness");
const { search } = require("./lib/search");

async function main() {
  const [dir, ...queries] = process.argv.slice(2);
  if (!dir || !queries.length) {
    console.error("usage: node measure.js <built site folder> <query>…");
    process.exit(2);
  }
  const root = requireBuilt(path.resolve(dir));
  const browser = await launch();
  const server = await serve(root, "/");
  try {
    console.log("query\tresults\tfiles\tKB (index + scripts)\tKB (all: page, CSS, scripts, index)\tms to first results");
    for (const q of queries) {
      // A fresh page each time: nothing cached from the previous query.
      const page = await newPage(browser);
      const start = server.served.length;
      const t0 = Date.now();
      const found = await search(page, `${server.url}search/index.html`, q, server.url);
      const ms = Date.now() - t0;
      const all = server.served.slice(start);
      const loaded = all.filter(([p]) => p.endsWith(".js"));
      const kb = (files) => (files.reduce((n, [, b]) => n + b, 0) / 1024).toFixed(1);
      const status = await page.textContent("#search-status");
      console.log(`${q}\t${status}\t${loaded.length}\t${kb(loaded)}\t${kb(all)}\t${ms}`);
      if (page.errors.length) {
        console.log(`  errors: ${page.errors.join("; ")}`);
      }
      if (process.env.VERBOSE) {
        for (const r of found.slice(0, 5)) console.log(`  ${r.url}  ${r.title}`);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
