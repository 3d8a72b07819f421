// Pages three and four folders deep (tests/sites/deep: notices/2026/a.md,
// notices/2026/11/c.md, a bundle in notices/2026/11/), opened from disk
// (file://) as from a file share: their stylesheet loads, every link and
// attachment names a file that exists, clicking through lands on the right
// page, and the header search box finds a deep page and opens it.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { fileURLToPath } = require("node:url");

const { REPO, launch, newPage, fileUrl } = require("./lib/harness");
const { settled, results } = require("./lib/search");

const DEEP_PAGES = [
  "notices/2026/a/index.html",
  "notices/2026/11/c/index.html",
  "notices/2026/11/congress/index.html",
];

function binary() {
  const bin = process.env.UNIONPRESS_BIN || path.join(REPO, "target", "debug", "unionpress");
  if (!fs.existsSync(bin)) throw new Error(`no unionpress binary at ${bin}: run tests/browser/run.sh`);
  return bin;
}

let browser;
let tmp;
let out;

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "unionpress-deep-"));
  const root = path.join(tmp, "site");
  fs.cpSync(path.join(REPO, "tests", "sites", "deep"), root, { recursive: true });
  fs.cpSync(path.join(REPO, "themes", "default"), path.join(root, "themes", "default"), { recursive: true });
  out = path.join(tmp, "public");
  execFileSync(binary(), ["build", "--root", root, "--output", out, "--now", "2026-11-21"], { stdio: "pipe" });
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("deep pages opened from disk load their stylesheet and link only to files that exist", async () => {
  const page = await newPage(browser);
  for (const rel of DEEP_PAGES) {
    await page.goto(fileUrl(out, rel));
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    assert.match(font, /Noto Sans CJK SC/, `${rel}: style.css not applied (${font})`);
    // Every link as the browser resolves it, from this folder depth.
    const hrefs = await page.$$eval("a[href], link[href], script[src]", (els) =>
      els.map((e) => e.href || e.src));
    const local = hrefs.filter((h) => h.startsWith("file:"));
    assert.ok(local.length >= 10, `${rel}: ${local.length} links`);
    for (const href of local) {
      const file = fileURLToPath(href.split("#")[0].split("?")[0]);
      assert.ok(file.startsWith(out + path.sep), `${rel}: ${href} leaves the site folder`);
      assert.ok(fs.existsSync(file) && fs.statSync(file).isFile(), `${rel}: ${href} is not a file`);
    }
  }
  assert.deepEqual(page.errors, []);
});

test("clicking from four folders deep up, across and back down lands on the right pages", async () => {
  const page = await newPage(browser);
  await page.goto(fileUrl(out, "notices/2026/11/c/index.html"));
  const click = async (text, url, title) => {
    await page.click(`main a:text-is("${text}")`);
    await page.waitForURL((u) => decodeURI(u.href).endsWith(url));
    assert.match(await page.textContent("h1"), title);
  };
  await click("七月的核对通知", "notices/2026/a/index.html", /会员信息核对/);
  await click("防暑降温通知", "notices/b/index.html", /防暑降温物品/);
  await click("职代会", "notices/2026/11/congress/index.html", /深层职代会/);
  await click("送温暖通知", "notices/2026/11/c/index.html", /冬季送温暖/);
  await click("法律援助", "services/legal/index.html", /法律援助/);
  await click("送温暖活动", "notices/2026/11/c/index.html", /冬季送温暖/);
  // The attachment beside a deep bundle page.
  const pdf = await page.goto(fileUrl(out, "notices/2026/11/congress/index.html")).then(() =>
    page.$eval("main a[href$='.pdf']", (a) => a.href));
  assert.equal(fs.readFileSync(fileURLToPath(pdf), "utf8"), "%PDF-1.4 deep\n");
  assert.deepEqual(page.errors, []);
});

test("the header search box of a deep page finds a deep page over file://", async () => {
  const page = await newPage(browser);
  await page.goto(fileUrl(out, "notices/2026/11/congress/index.html"));
  await page.fill("header .search input[name=q]", "送温暖");
  await page.press("header .search input[name=q]", "Enter");
  await page.waitForURL(/search\/index\.html\?q=/);
  assert.equal(decodeURI(page.url().split("?")[0]), decodeURI(fileUrl(out, "search/index.html")));
  await settled(page);
  const found = await results(page, fileUrl(out, ""));
  assert.equal(found[0]?.url, "notices/2026/11/c/index.html", JSON.stringify(found));
  await page.click("#search-results li a");
  await page.waitForURL(/notices\/2026\/11\/c\/index\.html$/);
  assert.match(await page.textContent("h1"), /冬季送温暖/);
  assert.deepEqual(page.errors, []);
});
