// Shared by the browser tests: launching Debian's Chromium headless through
// playwright-core (never a downloaded browser), serving a folder over HTTP
// on 127.0.0.1 under any sub-path, and finding the built site.
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { pathToFileURL } = require("node:url");

const REPO = path.resolve(__dirname, "..", "..", "..");

// The example site's output; run.sh builds it, UNIONPRESS_PUBLIC overrides.
const PUBLIC = path.resolve(process.env.UNIONPRESS_PUBLIC || path.join(REPO, "public"));

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".pdf": "application/pdf",
};

async function launch() {
  const { chromium } = require("playwright-core");
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

// A new page that fails the test on any script error; `errors` collects them.
async function newPage(browser) {
  const page = await browser.newPage();
  page.errors = [];
  page.on("pageerror", (e) => page.errors.push(e.message));
  return page;
}

// Serves `root` at http://127.0.0.1:<port><base> (base like "/union/").
// Outside `base` everything is 404, so a link that escapes the sub-path
// shows up as a failed request. `served` lists [path, bytes] per response.
function serve(root, base = "/") {
  const served = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(base)) {
      res.writeHead(404).end();
      return;
    }
    rel = rel.slice(base.length);
    if (rel === "" || rel.endsWith("/")) {
      rel += "index.html";
    }
    const file = path.resolve(root, rel);
    if (!file.startsWith(path.resolve(root) + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (err, body) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      served.push([rel, body.length]);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}${base}`,
        served,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

// file:// URL of a file in the built site ("" for the site root, with `/`).
function fileUrl(root, rel) {
  const url = pathToFileURL(path.join(root, rel)).href;
  return rel === "" && !url.endsWith("/") ? `${url}/` : url;
}

function requireBuilt(root = PUBLIC) {
  if (!fs.existsSync(path.join(root, "index.html"))) {
    throw new Error(`no built site in ${root}: run tests/browser/run.sh (it builds the example site first)`);
  }
  return root;
}

// For a test file on the built example site: before its tests, Chromium is
// launched and the site served over HTTP under `base`; after them both are
// stopped. The returned object's `browser` and `server` are set once the
// tests run.
function onExampleSite(base = "/union/") {
  const { before, after } = require("node:test");
  const example = { browser: null, server: null };
  before(async () => {
    requireBuilt(PUBLIC);
    example.browser = await launch();
    example.server = await serve(PUBLIC, base);
  });
  after(async () => {
    if (example.browser) await example.browser.close();
    if (example.server) await example.server.close();
  });
  return example;
}

module.exports = { REPO, PUBLIC, launch, newPage, serve, fileUrl, requireBuilt, onExampleSite };
