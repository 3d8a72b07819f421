// Live preview in a real browser: `unionpress serve` on a scratch site,
// an editor's edit shows up without a manual reload, and a bad edit shows
// an error overlay that clears, with a reload, once the file is fixed.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { REPO, launch, newPage } = require("./lib/harness");

function binary() {
  const candidates = [
    process.env.UNIONPRESS_BIN,
    path.join(REPO, "target", "release", "unionpress"),
    path.join(REPO, "target", "debug", "unionpress"),
  ].filter(Boolean);
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error("no unionpress binary: run `cargo build --release` first (run.sh does)");
  return found;
}

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, entry.name);
    const b = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(a, b);
    else fs.copyFileSync(a, b);
  }
}

// A small site: one section, one notice.
function scratchSite() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "unionpress-live-"));
  copyDir(path.join(REPO, "themes", "default"), path.join(root, "themes", "default"));
  fs.writeFileSync(path.join(root, "site.yaml"), "title: 实时预览测试工会\n");
  fs.mkdirSync(path.join(root, "content", "notices"), { recursive: true });
  fs.writeFileSync(path.join(root, "content", "notices", "_index.md"), "---\ntitle: 通知公告\nkind: notice\n---\n");
  return root;
}

function writeNotice(root, title, body) {
  const file = path.join(root, "content", "notices", "meeting.md");
  fs.writeFileSync(file, `---\ntitle: ${title}\ndate: 2026-11-01\n---\n\n${body}\n`);
  return file;
}

// Starts `unionpress serve` and resolves with its preview URL.
function startServe(root, basePath) {
  const args = ["serve", "--root", root, "--output", path.join(root, "public"), "--port", "0", "--now", "2026-11-21"];
  if (basePath) args.push("--base-path", basePath);
  const child = spawn(binary(), args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 20000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/http:\/\/127\.0\.0\.1:\d+\/[^\s]*/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[0] });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
}

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser.close();
});

for (const basePath of [undefined, "/union/"]) {
  const where = basePath ? `under ${basePath}` : "at the root";

  test(`an edit appears in the open page without a manual reload (${where})`, async () => {
    const root = scratchSite();
    writeNotice(root, "关于召开职工代表大会的通知", "原来的正文。");
    const { child, url } = await startServe(root, basePath);
    try {
      const page = await newPage(browser);
      // serve sends a Content-Security-Policy; nothing the page needs may break it.
      const blocked = [];
      page.on("console", (m) => /Content Security Policy/i.test(m.text()) && blocked.push(m.text()));
      await page.goto(`${url}notices/meeting/index.html`);
      assert.match(await page.textContent("body"), /原来的正文/);
      // Wait until the page is listening (the live script marks <html>).
      await page.waitForFunction(() => document.documentElement.hasAttribute("data-unionpress-live"));
      writeNotice(root, "关于召开职工代表大会的通知", "修改后的正文，已经更新。");
      await page.waitForFunction(() => document.body.innerText.includes("修改后的正文"), null, { timeout: 15000 });
      assert.deepStrictEqual(page.errors, []);
      assert.deepStrictEqual(blocked, []);
      // The page got it from the rebuilt output, which has no trace of the
      // preview: only what `serve` sends carries the live-reload script.
      const built = fs.readFileSync(path.join(root, "public", "notices", "meeting", "index.html"), "utf8");
      assert.match(built, /修改后的正文/);
      assert.doesNotMatch(built, /原来的正文|data-unionpress-live|EventSource/);
      assert.match(await page.content(), /data-unionpress-live/);
    } finally {
      child.kill();
    }
  });
}

test("a bad edit shows an error overlay, and fixing it clears the overlay and reloads", async () => {
  const root = scratchSite();
  writeNotice(root, "职工疗休养通知", "第一版。");
  const { child, url } = await startServe(root);
  try {
    const page = await newPage(browser);
    await page.goto(`${url}notices/meeting/index.html`);
    await page.waitForFunction(() => document.documentElement.hasAttribute("data-unionpress-live"));
    // Broken YAML: an unclosed list where a date belongs.
    fs.writeFileSync(path.join(root, "content", "notices", "meeting.md"), "---\ntitle: 职工疗休养通知\ndate: [2026-11-01\n---\n\n第二版。\n");
    const overlay = page.locator("#unionpress-overlay");
    await overlay.waitFor({ state: "visible", timeout: 15000 });
    const text = await overlay.textContent();
    assert.match(text, /content\/notices\/meeting\.md:3/, text);
    assert.match(text, /date: \[2026-11-01/, text); // the offending line, as a code frame
    // The last good page is still what is shown under the overlay.
    assert.match(await page.textContent("main"), /第一版/);

    writeNotice(root, "职工疗休养通知", "第三版，问题已修正。");
    await overlay.waitFor({ state: "detached", timeout: 15000 });
    await page.waitForFunction(() => document.body.innerText.includes("第三版"), null, { timeout: 15000 });
    assert.deepStrictEqual(page.errors, []);
  } finally {
    child.kill();
  }
});
