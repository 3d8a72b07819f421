// 404.html served the way nginx's `error_page 404` serves it: for any missing
// address, at any depth, the bytes of the site's 404.html with status 404.
// It must come out styled, with every link working, at the server root and
// under /union/, with and without base_url.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const http = require("node:http");
const os = require("node:os");
const path = require("node:path");

const { launch, newPage } = require("./lib/harness");
const { buildExample } = require("./lib/site");

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript" };

// Like nginx with `location /union/ { error_page 404 /union/404.html; }`.
function serveLikeNginx(root, mount) {
  const notFound = fs.readFileSync(path.join(root, "404.html"));
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (!rel.startsWith(mount)) {
      res.writeHead(404, { "content-type": "text/plain" }).end("outside the site");
      return;
    }
    rel = rel.slice(mount.length);
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(root, rel);
    let body = null;
    if (file.startsWith(path.resolve(root) + path.sep)) {
      try {
        body = fs.readFileSync(file);
      } catch {
        body = null;
      }
    }
    if (body === null) {
      res.writeHead(404, { "content-type": TYPES[".html"] }).end(notFound);
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" }).end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}${mount}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

let browser;
let tmp;
const sites = {};

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "unionpress-404-"));
  for (const [name, yaml] of [
    ["plain", ""],
    ["union", "base_url: http://gonghui.example.cn/union/"],
    ["rooted", "base_url: http://gonghui.example.cn/"],
  ]) {
    sites[name] = buildExample(path.join(tmp, name), { yaml });
  }
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// Missing addresses, by depth below the site root.
const MISSING = [
  ["depth 0", "no-such-page.html"],
  ["depth 1", "no-such-folder/"],
  ["depth 3", "notices/no-such-notice/deeper/"],
  ["depth 3, unknown folders", "a/b/c/"],
];

async function check(site, mount) {
  const server = await serveLikeNginx(sites[site], mount);
  try {
    for (const [depth, rel] of MISSING) {
      const what = `${site} at ${mount}, ${depth}: ${rel}`;
      const page = await newPage(browser);
      const failed = [];
      page.on("response", (r) => {
        if (r.status() >= 400 && r.url() !== `${server.url}${rel}` && !r.url().endsWith("404.html")) failed.push(r.url());
      });
      const response = await page.goto(`${server.url}${rel}`);
      assert.equal(response.status(), 404, what);
      // Styled by style.css: the header's red top border (the inline
      // fallback rules do not style the header).
      await page.waitForFunction(
        () => getComputedStyle(document.querySelector(".site-header")).borderTopColor === "rgb(183, 28, 28)",
        null,
        { timeout: 5000 },
      ).catch(() => assert.fail(`${what}: not styled (root ${page.url()})`));
      await page.waitForLoadState("networkidle", { timeout: 5000 }).catch(() => {});
      assert.deepEqual(failed, [], `${what}: failed requests`);
      assert.deepEqual(page.errors, [], what);
      // Every internal link leads to a page of the site.
      const links = await page.$$eval("a[href]:not(.external)", (as) =>
        as.map((a) => a.href).filter((h) => h.startsWith(location.origin)));
      assert.ok(links.length >= 8, `${what}: ${links.length} links`);
      for (const href of new Set(links.map((h) => h.split("#")[0]))) {
        assert.ok(href.startsWith(server.url), `${what}: ${href} leaves ${mount}`);
        const r = await page.request.get(href);
        assert.equal(r.status(), 200, `${what}: ${href}`);
      }
      // The home link goes home.
      const home = await page.$eval("a.button", (a) => a.href);
      assert.equal(home, `${server.url}index.html`, what);
      await page.close();
    }
  } finally {
    await server.close();
  }
}

test("404 at the server root, without base_url", () => check("plain", "/"));
test("404 under /union/, without base_url", () => check("plain", "/union/"));
test("404 under /union/, with base_url there", () => check("union", "/union/"));
test("404 at the server root, with base_url there", () => check("rooted", "/"));

test("404 without JavaScript still has working links where base_url says", async () => {
  const server = await serveLikeNginx(sites.union, "/union/");
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.url}notices/no-such-notice/deeper/`);
    const home = await page.$eval("a.button", (a) => a.href);
    assert.equal(home, `${server.url}index.html`);
    const color = await page.$eval(".site-header", (h) => getComputedStyle(h).borderTopColor);
    assert.equal(color, "rgb(183, 28, 28)");
    await context.close();
  } finally {
    await server.close();
  }
});

test("404.html opened from disk (file://) is styled with working links, base_url or not", async () => {
  const { pathToFileURL } = require("node:url");
  for (const site of ["plain", "union"]) {
    const page = await newPage(browser);
    await page.goto(pathToFileURL(path.join(sites[site], "404.html")).href);
    await page.waitForFunction(
      () => getComputedStyle(document.querySelector(".site-header")).borderTopColor === "rgb(183, 28, 28)",
      null,
      { timeout: 5000 },
    );
    const home = await page.$eval("a.button", (a) => a.href);
    assert.equal(home, pathToFileURL(path.join(sites[site], "index.html")).href, site);
    assert.deepEqual(page.errors, [], site);
    await page.close();
  }
});
