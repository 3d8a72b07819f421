// The search script's logic without a browser: its tokenizer against the
// cases the Rust tokenizer is tested on, the postings decoder, ranking and
// snippets. (Ranking lives in search.js, so it is tested here.)
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const { REPO } = require("./lib/harness");
const core = require(path.join(REPO, "themes/default/static/search.js"));

const CASES = JSON.parse(fs.readFileSync(path.join(REPO, "tests/search/tokenizer-cases.json"), "utf8"));

test("tokenizes exactly as the Rust index builder does", () => {
  assert.ok(CASES.length >= 8);
  for (const c of CASES) {
    assert.deepEqual(core.indexTokens(c.text), c.index, `index tokens of ${c.text}`);
    assert.deepEqual(core.queryTokens(c.text), c.query, `query tokens of ${c.text}`);
    for (const [token, h] of Object.entries(c.hashes || {})) {
      assert.equal(core.hash(token), h, token);
    }
  }
});

test("queries split into words on spaces, Chinese ones into pairs", () => {
  assert.deepEqual(core.parseQuery("职代会"), [{ text: "职代会", tokens: ["职代", "代会"] }]);
  assert.deepEqual(core.parseQuery("  劳动合同　PDF "), [
    { text: "劳动合同", tokens: ["劳动", "动合", "合同"] },
    { text: "PDF", tokens: ["pdf"] },
  ]);
  assert.deepEqual(core.parseQuery("〔2024〕12号")[0].tokens, ["2024", "12", "号"]);
  assert.deepEqual(core.parseQuery("，。 ！"), []);
});

// Encodes postings the way src/search/shards.rs does, to build test indexes.
function encode(postings) {
  const CONTINUE = "0123456789abcdefghijklmnopqrstuv";
  const FINAL = "wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  let out = "";
  let prev = 0;
  for (const [id, level] of postings) {
    let v = (id - prev) * 3 + level;
    prev = id;
    const digits = [];
    do {
      digits.unshift(v % 32);
      v = Math.floor(v / 32);
    } while (v > 0);
    digits.forEach((d, i) => { out += (i === digits.length - 1 ? FINAL : CONTINUE)[d]; });
  }
  return out;
}

test("postings decode to page numbers and levels", () => {
  const list = [[0, 2], [1, 0], [5, 1], [1000, 0], [123456, 2]];
  const d = core.decodePostings(encode(list));
  assert.deepEqual(d.ids, [0, 1, 5, 1000, 123456]);
  assert.deepEqual(d.levels, [2, 0, 1, 0, 2]);
  assert.deepEqual(core.decodeIds("xyB"), [1, 3, 8]);
});

const TITLE = 2, META = 1, BODY = 0;

// A tiny index: token → [[page, level]…]; pages are numbered oldest first.
function index(entries) {
  const shard = {};
  for (const [token, postings] of Object.entries(entries)) {
    shard[token] = encode(postings);
  }
  return (token) => shard[token];
}

function ranked(query, lookup, expired) {
  return core.rank(core.parseQuery(query), lookup, expired).map((h) => h.id);
}

test("title matches rank above tag and department matches, those above body", () => {
  // 职代会 is in page 1's title, page 2's tags, page 0's and page 3's body.
  const lookup = index({
    "职代": [[0, BODY], [1, TITLE], [2, META], [3, BODY]],
    "代会": [[0, BODY], [1, TITLE], [2, META], [3, BODY]],
  });
  assert.deepEqual(ranked("职代会", lookup), [1, 2, 3, 0]);
});

test("a word matches at the field all its pairs reach", () => {
  // 劳动 in page 0's title but 合同 only in its body: a body match.
  const lookup = index({
    "劳动": [[0, TITLE], [1, META]],
    "动合": [[0, BODY], [1, META]],
    "合同": [[0, BODY], [1, META]],
  });
  assert.deepEqual(ranked("劳动合同", lookup), [1, 0]);
});

test("among equal matches newer pages come first, expired ones last", () => {
  const lookup = index({ "帮扶": [[0, BODY], [1, BODY], [2, BODY], [3, BODY]] });
  assert.deepEqual(ranked("帮扶", lookup), [3, 2, 1, 0]);
  assert.deepEqual(ranked("帮扶", lookup, { 3: true, 1: true }), [2, 0, 3, 1]);
  // An expired title match still beats a current body match.
  const titled = index({ "帮扶": [[0, TITLE], [1, BODY]] });
  assert.deepEqual(ranked("帮扶", titled, { 0: true }), [0, 1]);
});

test("multi-word queries need every word; scores add up", () => {
  const lookup = index({
    "困难": [[0, TITLE], [1, BODY], [2, TITLE], [4, TITLE]],
    "帮扶": [[0, BODY], [1, TITLE], [2, TITLE], [3, TITLE]],
  });
  // Page 2 has both in its title; 0 and 1 one each; 3 and 4 lack a word.
  assert.deepEqual(ranked("困难 帮扶", lookup), [2, 1, 0]);
  assert.deepEqual(ranked("困难 不存在", lookup), []);
});

test("mixed Chinese, Latin and number queries", () => {
  const lookup = index({
    "2024": [[0, META], [1, BODY], [2, META]],
    "12": [[0, META], [2, BODY]],
    "号": [[0, META], [1, BODY], [2, META]],
    "pdf": [[1, BODY], [2, BODY]],
    "下载": [[1, BODY], [2, TITLE]],
  });
  // 〔2024〕12号 is page 0's document number; page 2 has 12 only in its body.
  assert.deepEqual(ranked("〔2024〕12号", lookup), [0, 2]);
  assert.deepEqual(ranked("PDF下载", lookup), [2, 1]);
  assert.deepEqual(ranked("pdf 2024", lookup), [2, 1]);
});

test("snippets show the match, marked, cut by characters", () => {
  const words = core.parseQuery("劳动合同");
  const text = "前言".repeat(100) + "职工应当签订劳动合同，" + "后记".repeat(100);
  const s = core.snippet(text, words, 40);
  assert.ok(s.found);
  const marked = s.pieces.filter((p) => p.mark).map((p) => p.text);
  assert.deepEqual(marked, ["劳动合同"]);
  const shown = s.pieces.map((p) => p.text).join("");
  assert.ok(shown.startsWith("…") && shown.endsWith("…"));
  assert.equal([...shown.slice(1, -1)].length, 40);
  // Case and full-width letters do not matter; the text keeps its own.
  const pdf = core.highlight("下载ＰＤＦ附件和pdf", core.parseQuery("pdf"));
  assert.deepEqual(pdf.filter((p) => p.mark).map((p) => p.text), ["ＰＤＦ", "pdf"]);
  // Nothing found: the start of the text.
  const none = core.snippet("工会简介", core.parseQuery("合同"), 40);
  assert.equal(none.found, false);
  assert.equal(none.pieces.map((p) => p.text).join(""), "工会简介");
});

test("snippets never split a character outside the basic plane", () => {
  const s = core.snippet("𠀀𠀁𠀂工会", core.parseQuery("工会"), 3);
  const shown = s.pieces.map((p) => p.text).join("");
  assert.equal(shown, "…𠀂工会");
});

test("a page's snippet chunk is found from the manifest's first pages", () => {
  // First pages 0, 9, 21 and 30 (as gaps: 0, 9, 12, 9).
  const firsts = core.decodeIds("wFIF");
  assert.deepEqual(firsts, [0, 9, 21, 30]);
  const names = core.chunkNames("0a1b2c3d4e5f6g7h", firsts.length);
  assert.deepEqual(names, ["0a1b", "2c3d", "4e5f", "6g7h"]);
  const expect = { 0: 0, 8: 0, 9: 1, 20: 1, 21: 2, 29: 2, 30: 3, 999: 3 };
  for (const [id, k] of Object.entries(expect)) {
    assert.equal(core.chunkOf(firsts, Number(id)), k, `page ${id}`);
  }
  assert.equal(core.chunkOf([0], 5), 0);
});

test("the theme's style sheet and scripts ship as their sources without comments and indentation", () => {
  const { theme, compact } = require("./lib/compact");
  const bare = (s) => s.replace(/\s+/g, "");
  for (const [name, source, made, shipped] of theme()) {
    // static/ is up to date: `node tests/browser/lib/compact.js --write`.
    assert.equal(shipped, made, `static/${name} is not the compact form of src/${name}`);
    assert.ok(made.length < source.length * 0.9, `${name}: ${made.length} of ${source.length}`);
    // Nothing but comments and spaces went: the rest, spaces aside, is the
    // source's with its comments taken out the same way.
    const uncommented = name.endsWith(".css")
      ? source.replace(/\/\*[\s\S]*?\*\//g, "")
      : source.replace(/^\s*\/\*[\s\S]*?\*\/\s*$/gm, "").replace(/^\s*\/\/.*$/gm, "");
    const body = made.replace(/^\/\*[^\n]*\*\/\n/m, "");
    assert.equal(bare(body), bare(uncommented), name);
  }
  // The build tells a script of this index's form by its marker.
  const search = theme().find(([n]) => n === "search.js");
  assert.match(search[2], /unionpress-search-index: \d+/);
  assert.throws(() => compact("x.js", "/* a */ b();\n"), /code after a comment/);
});

test("dense postings: three pages in one symbol, an item repeated with ~", () => {
  // Page 0 in the title; pages 1–3 at body, body, title as one symbol
  // (0·9 + 0·3 + 2 = "$"), twice more (~2); then page 10 in the body
  // (gap 1: "z") and once more (~1).
  const d = core.decodePostings("y$~yz~x");
  assert.deepEqual(d.ids, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  assert.deepEqual(d.levels, [2, 0, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0]);
});
