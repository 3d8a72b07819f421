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
//
// With --pairs [n], first every two-character query the index holds,
// worked out from the built files (lib/pairs.js): how many pass 150 KB
// all in, and the costliest; then those n (10 unless given) and any
// queries named after them are measured in the browser as above.
"use strict";

const path = require("node:path");
const { launch, newPage, serve, requireBuilt } = require("./lib/harness");
const { search } = require("./lib/search");
const { pairCosts } = require("./lib/pairs");

const LIMIT_KB = 150;

async function main() {
  const [dir, ...rest] = process.argv.slice(2);
  let queries = rest;
  if (rest[0] === "--pairs") {
    const count = /^\d+$/.test(rest[1] || "") ? Number(rest[1]) : 10;
    queries = rest.slice(/^\d+$/.test(rest[1] || "") ? 2 : 1);
    const costs = pairCosts(requireBuilt(path.resolve(dir)));
    const kb = (b) => (b / 1024).toFixed(1);
    const over = costs.filter((c) => c.bytes > LIMIT_KB * 1024);
    const mean = costs.reduce((n, c) => n + c.bytes, 0) / costs.length;
    console.log(`${costs.length} two-character queries: ${over.length} over ${LIMIT_KB} KB all in, ` +
      `the costliest ${kb(costs[0].bytes)} KB, mean ${kb(mean)} KB (worked out from the files)`);
    console.log("pair\tresults\tchunks\tKB (all, worked out)");
    for (const c of costs.slice(0, count)) {
      console.log(`${c.pair}\t${c.results}\t${c.chunks}\t${kb(c.bytes)}`);
    }
    queries = costs.slice(0, count).map((c) => c.pair).concat(queries);
  }
  if (!dir || !queries.length) {
    console.error("usage: node measure.js <built site folder> [--pairs [n]] <query>…");
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
