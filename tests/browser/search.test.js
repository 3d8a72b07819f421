// Offline search on the built example site, in headless Chromium: over
// HTTP under a sub-path, and opened from disk (file://).
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");

const { PUBLIC, newPage, fileUrl, onExampleSite } = require("./lib/harness");
const { search, settled, results } = require("./lib/search");

// Query → the page a reader expects first.
const EXPECTED_FIRST = [
  ["职代会", "notices/workers-congress-2026/index.html"],
  ["劳动合同", "policies/labor-contract/index.html"],
  ["会宝岭工发〔2026〕28号", "notices/workers-congress-2026/index.html"],
  ["〔2026〕28号", "notices/workers-congress-2026/index.html"],
  ["劳动合同 法律", "policies/labor-contract/index.html"],
  ["女职工 休假", "policies/female-workers/index.html"],
  ["PDF", "notices/workers-congress-2026/index.html"],
];

const example = onExampleSite();

test("queries find the expected pages first, served under a sub-path", async () => {
  const page = await newPage(example.browser);
  // Every response of every query, not only the last page's: each request
  // stays under /union/ and finds its file.
  const failed = [];
  page.on("response", (r) => {
    if (r.status() >= 400 || !new URL(r.url()).pathname.startsWith("/union/")) {
      failed.push(`${r.status()} ${r.url()}`);
    }
  });
  // A request the next query's navigation cut short (the favicon, fetched
  // after the page loaded) is not a missing file: a missing file answers
  // 404 above. Any other failure is.
  page.on("requestfailed", (r) => {
    const why = r.failure()?.errorText ?? "";
    if (why !== "net::ERR_ABORTED") failed.push(`failed ${r.url()} ${why}`);
  });
  let responses = 0;
  page.on("response", () => { responses += 1; });
  for (const [query, first] of EXPECTED_FIRST) {
    const before = responses;
    const found = await search(page, `${example.server.url}search/index.html`, query, example.server.url);
    assert.ok(found.length > 0, `${query}: no results`);
    assert.equal(found[0].url, first, `${query}: got ${found.map((r) => r.url).join(", ")}`);
    // The page, its script and at least a shard were fetched for this query.
    assert.ok(responses - before >= 3, `${query}: ${responses - before} responses`);
  }
  assert.deepEqual(page.errors, []);
  assert.deepEqual(failed, []);
});

test("every indexed token is one a query can ask for, in the shard search.js looks in", async () => {
  // The index is built by Rust and queried by search.js; if the two split
  // text differently (say, Rust indexing 〔〕 or 、 as characters), the index
  // holds tokens no query can reach and queries miss what they should find.
  const page = await newPage(example.browser);
  await page.goto(`${example.server.url}search/index.html`);
  await page.waitForFunction(() => window.UnionpressSearch && window.UnionpressSearchCore);
  const wrong = await page.evaluate(async () => {
    const core = window.UnionpressSearchCore;
    const seen = { m: [], t: {} };
    const add = window.UnionpressSearch.add;
    window.UnionpressSearch.add = (kind, n, data) => {
      if (kind === "m") seen.m.push(data);
      if (kind === "t") seen.t[n] = data;
      add(kind, n, data);
    };
    const load = (src) => new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.onload = resolve;
      s.onerror = () => reject(new Error(src));
      s.src = src;
      document.head.appendChild(s);
    });
    const base = document.getElementById("search-app").getAttribute("data-index");
    await load(`${base}manifest.js?probe`);
    const shards = seen.m[0].shards;
    for (let n = 0; n < shards; n++) await load(`${base}t/${n}.js?probe`);
    const out = [];
    let tokens = 0;
    for (let n = 0; n < shards; n++) {
      for (const token of Object.keys(seen.t[n] || {})) {
        tokens += 1;
        const asked = core.queryTokens(token);
        if (asked.length !== 1 || asked[0] !== token || core.shardOf(token, shards) !== n) {
          out.push(`${token} (shard ${n}) → ${JSON.stringify(asked)}`);
        }
      }
    }
    return { tokens, wrong: out.slice(0, 20), count: out.length };
  });
  assert.ok(wrong.tokens > 1000, `${wrong.tokens} tokens`);
  assert.equal(wrong.count, 0, wrong.wrong.join("\n"));
});

test("matches are highlighted in titles and snippets", async () => {
  const page = await newPage(example.browser);
  const found = await search(page, `${example.server.url}search/index.html`, "劳动合同", example.server.url);
  assert.ok(found[0].marks.includes("劳动合同"), JSON.stringify(found[0]));
  assert.ok(found[0].title.startsWith("劳动合同"));
  // A page matching only in its body shows the matching text when it is in
  // the opening the index keeps (160 characters); one deeper in shows the
  // page's summary or opening instead.
  const bodyOnly = found.filter((r) => !r.title.includes("劳动合同"));
  assert.ok(bodyOnly.length >= 2, "body-only matches");
  assert.ok(
    bodyOnly.some((r) => /劳动合同/.test(r.snippet)),
    JSON.stringify(bodyOnly.map((r) => r.snippet))
  );
  // Snippets are text: markup in the index would show as text, not run.
  const html = await page.$eval("#search-results", (ol) => ol.innerHTML);
  assert.doesNotMatch(html, /<(script|img|iframe)/i);
});

test("multi-word queries match all words", async () => {
  const page = await newPage(example.browser);
  // Every result, not only the first ten.
  const all = async (query) => {
    await search(page, `${example.server.url}search/index.html`, query, example.server.url);
    while (await page.isVisible("#search-more")) {
      const before = await page.locator("#search-results li").count();
      await page.click("#search-more");
      await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length > n, before);
    }
    return results(page, example.server.url);
  };
  const both = await all("困难 帮扶");
  const one = await all("困难");
  const other = await all("帮扶");
  // AND: exactly the pages found by each word alone, and fewer than either
  // (OR would give the union, at least as many as the larger list).
  const inBoth = new Set(one.map((r) => r.url).filter((u) => other.some((o) => o.url === u)));
  assert.ok(inBoth.size > 0, "some page has both words");
  assert.deepEqual(new Set(both.map((r) => r.url)), inBoth);
  assert.ok(both.length < Math.max(one.length, other.length), `${both.length} of ${one.length}/${other.length}`);
  const none = await search(page, `${example.server.url}search/index.html`, "职代会 寒潮", example.server.url);
  assert.equal(none.length, 0);
  assert.match(await page.textContent("#search-status"), /没有找到/);
});

test("typing shows results as you type, without reloading the page", async () => {
  const page = await newPage(example.browser);
  await page.goto(`${example.server.url}search/index.html`);
  await page.waitForFunction(() => window.UnionpressSearch);
  await page.evaluate(() => { window.__sameDocument = true; });
  await page.click("#search-input");
  await page.keyboard.type("职代", { delay: 40 });
  await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0);
  await page.keyboard.type("会");
  await page.waitForFunction(() => {
    const first = document.querySelector("#search-results li a");
    return decodeURIComponent(location.search) === "?q=职代会" &&
      document.getElementById("search-app").getAttribute("data-state") === "done" &&
      first && /workers-congress-2026/.test(first.getAttribute("href"));
  });
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  // The address keeps the query, so the back button and a shared link work.
  assert.match(decodeURIComponent(page.url()), /q=职代会/);
  assert.deepEqual(page.errors, []);
});

test("results come ten at a time, with a button for more", async () => {
  const page = await newPage(example.browser);
  const found = await search(page, `${example.server.url}search/index.html`, "会", example.server.url);
  const total = Number((await page.textContent("#search-status")).replace(/\D/g, ""));
  assert.ok(total > 10, `${total} results`);
  assert.equal(found.length, 10);
  assert.equal(await page.isVisible("#search-more"), true);
  while (await page.isVisible("#search-more")) {
    const before = await page.locator("#search-results li").count();
    await page.click("#search-more");
    await page.waitForFunction((n) => document.querySelectorAll("#search-results li").length > n, before);
  }
  const all = await results(page, example.server.url);
  assert.equal(all.length, total);
  assert.equal(new Set(all.map((r) => r.url)).size, total, "no page twice");
  assert.deepEqual(page.errors, []);
});

test("the header search box on any page opens the results", async () => {
  const page = await newPage(example.browser);
  await page.goto(`${example.server.url}policies/labor-contract/index.html`);
  await page.fill("header .search input[name=q]", "职代会");
  await page.press("header .search input[name=q]", "Enter");
  await page.waitForURL(/search\/index\.html\?q=/);
  await settled(page);
  const found = await results(page, example.server.url);
  assert.equal(found[0].url, "notices/workers-congress-2026/index.html");
});

test("a two-character query loads only a few index files", async () => {
  const page = await newPage(example.browser);
  await page.goto(`${example.server.url}index.html`);
  const start = example.server.served.length;
  await search(page, `${example.server.url}search/index.html`, "工会", example.server.url);
  const loaded = example.server.served.slice(start).filter(([p]) => p.startsWith("search/") && p.endsWith(".js"));
  const shards = loaded.filter(([p]) => p.startsWith("search/t/"));
  const docs = loaded.filter(([p]) => p.startsWith("search/d/"));
  assert.equal(shards.length, 1, JSON.stringify(loaded));
  assert.ok(docs.length <= 10, `${docs.length} page files`);
  const bytes = loaded.reduce((n, [, b]) => n + b, 0);
  assert.ok(bytes < 300 * 1024, `${bytes} bytes`);
});

test("search works when the site is opened from disk (file://)", async () => {
  const page = await newPage(example.browser);
  const root = fileUrl(PUBLIC, "");
  for (const [query, first] of EXPECTED_FIRST.slice(0, 4)) {
    const found = await search(page, fileUrl(PUBLIC, "search/index.html"), query, root);
    assert.equal(found[0]?.url, first, `${query}: got ${found.map((r) => r.url).join(", ")}`);
  }
  // The result links open the page from disk too.
  await page.click("#search-results li a");
  await page.waitForURL(/workers-congress-2026\/index\.html$/);
  assert.match(await page.textContent("h1"), /职工代表大会/);
  assert.deepEqual(page.errors, []);
});
