// Accessibility and aging-friendly reading (适老化) on the built example
// site, in headless Chromium: axe-core (WCAG 2.1 A/AA) on every page type at
// desktop and phone widths and in large-text and high-contrast mode; the
// 标准/大字 switch surviving navigation and reload over file://; the phone
// menu at 320 px with and without JavaScript; 新 marks; the contact page's
// tel:/mailto: links; touch targets, paragraph spacing and the browser's
// own font setting.
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const { REPO, PUBLIC, fileUrl, onExampleSite } = require("./lib/harness");
const { settled } = require("./lib/search");

const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

// run.sh builds the example site with --now 2026-11-21; the browser's clock
// is set to the same day so that "within new_days" means the same thing.
const TODAY = new Date("2026-11-21T12:00:00+08:00");

// One page of each type the site has.
const PAGE_TYPES = [
  ["home", "index.html"],
  ["section list", "notices/index.html"],
  ["notice", "notices/workers-congress-2026/index.html"],
  ["policy", "policies/labor-contract/index.html"],
  ["event", "events/sports-meet-2026/index.html"],
  ["service page", "services/legal-aid/index.html"],
  ["tags", "tags/index.html"],
  ["tag", "tags/职代会/index.html"],
  ["departments", "departments/index.html"],
  ["department", "departments/工会办公室/index.html"],
  ["archive", "notices/archive/index.html"],
  ["archive year", "notices/archive/2026/index.html"],
  ["downloads", "downloads/index.html"],
  ["search with results", "search/index.html?q=劳动合同"],
  ["404", "404.html"],
  ["contact", "contact/index.html"],
];

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const example = onExampleSite();

// A fresh context (its own localStorage) at `viewport`, clock on TODAY;
// `display` ("large", "contrast", "large contrast") is stored first.
async function context(viewport, { display = "", javaScriptEnabled = true } = {}) {
  const ctx = await example.browser.newContext({ viewport, javaScriptEnabled });
  if (javaScriptEnabled) {
    await ctx.clock.setFixedTime(TODAY);
    if (display) {
      await ctx.addInitScript((d) => {
        if (!sessionStorage.getItem("display-set")) {
          localStorage.setItem("unionpress-display", d);
          sessionStorage.setItem("display-set", "1");
        }
      }, display);
    }
  }
  return ctx;
}

async function open(page, url) {
  await page.goto(url);
  if (url.includes("search/index.html?q=")) await settled(page);
}

async function axeViolations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  }), WCAG);
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
}

for (const [label, viewport, display] of [
  ["desktop", DESKTOP, ""],
  ["phone", PHONE, ""],
  ["phone, large text and high contrast", PHONE, "large contrast"],
]) {
  test(`axe finds no WCAG 2.1 A/AA violation on any page type (${label})`, async () => {
    const ctx = await context(viewport, { display });
    const page = await ctx.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const found = [];
    for (const [type, rel] of PAGE_TYPES) {
      await open(page, example.server.url + rel);
      if (display) {
        const cls = await page.evaluate(() => document.documentElement.className);
        assert.match(cls, /text-large/, `${type}: large mode not applied`);
        assert.match(cls, /high-contrast/, `${type}: high contrast not applied`);
      }
      for (const v of await axeViolations(page)) found.push(`${type} (${rel}): ${v}`);
    }
    await ctx.close();
    assert.deepEqual(found, []);
    assert.deepEqual(errors, []);
  });
}

// The hash docs/THEMES.md gives for a Content-Security-Policy.
function documentedScriptHash() {
  const doc = fs.readFileSync(path.join(REPO, "docs", "THEMES.md"), "utf8");
  const m = doc.match(/'(sha256-[A-Za-z0-9+/=]+)'/);
  assert.ok(m, "docs/THEMES.md names the inline script's hash");
  return m[1];
}

test("every page type has the favicon, the 我要反映 entry and the display switch", async () => {
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  const hash = documentedScriptHash();
  for (const [type, rel] of PAGE_TYPES) {
    await open(page, example.server.url + rel);
    // The documented inline script, so a CSP can allow it by hash; apart
    // from 404.html (which finds its own root) it is the only one.
    const inline = await page.$$eval("script:not([src])", (ss) => ss.map((s) => s.textContent));
    const hashes = inline.map((t) => `sha256-${crypto.createHash("sha256").update(t).digest("base64")}`);
    if (type === "404") assert.ok(hashes.includes(hash), `${type}: ${hashes}`);
    else assert.deepEqual(hashes, [hash], type);
    const info = await page.evaluate(async () => {
      const icons = Array.from(document.querySelectorAll('link[rel="icon"]')).map((l) => l.href);
      const status = [];
      for (const href of icons) status.push((await fetch(href)).status);
      const report = document.querySelector("a.report-link");
      const sw = document.querySelector("[data-display-switch]");
      return {
        icons: icons.map((h) => h.split("/").pop()),
        status,
        report: report && report.href,
        reportText: report && report.textContent.trim(),
        switchVisible: !!sw && !sw.hidden && sw.getBoundingClientRect().height > 0,
      };
    });
    assert.deepEqual(info.icons.sort(), ["favicon.png", "favicon.svg"], type);
    assert.deepEqual(info.status, [200, 200], `${type}: favicon not found`);
    if (type !== "404") {
      // 404.html is served at any depth, so only its relative links differ.
      assert.equal(info.report, `${example.server.url}contact/index.html`, type);
    }
    assert.equal(info.reportText, "我要反映", type);
    assert.ok(info.switchVisible, `${type}: display switch not shown`);
  }
  await ctx.close();
});

// The class on <html> at the moment <body> is first parsed: proof that the
// stored mode is applied before anything is painted, not by theme.js later.
async function recordFirstPaintClass(ctx) {
  await ctx.addInitScript(() => {
    const seen = new MutationObserver(() => {
      if (document.body) {
        window.__classAtBody = document.documentElement.className;
        seen.disconnect();
      }
    });
    seen.observe(document, { childList: true, subtree: true });
  });
}

async function fontSize(page, selector) {
  return page.$eval(selector, (el) => parseFloat(getComputedStyle(el).fontSize));
}

test("the large-text switch survives navigation and reload over file://", async () => {
  const ctx = await context(PHONE);
  await recordFirstPaintClass(ctx);
  const page = await ctx.newPage();
  await page.goto(fileUrl(PUBLIC, "index.html"));
  const standard = await fontSize(page, "body");
  assert.ok(standard >= 16, `standard body text ${standard}px`);
  assert.equal(await page.getAttribute('[data-display="standard"]', "aria-pressed"), "true");

  await page.getByRole("button", { name: "大字" }).click();
  assert.equal(await page.getAttribute('[data-display="large"]', "aria-pressed"), "true");
  assert.equal(await page.getAttribute('[data-display="standard"]', "aria-pressed"), "false");
  const large = await fontSize(page, "body");
  assert.ok(large >= 18, `large body text ${large}px`);
  // Chromium hands a localStorage write to other pages (another renderer
  // process) asynchronously; a reader takes longer than this to click on.
  await page.waitForTimeout(250);

  // Another page, reached by the menu: large from the first paint.
  await Promise.all([page.waitForURL(/notices\/index\.html$/), page.getByRole("navigation", { name: "菜单" }).getByRole("link", { name: "通知公告" }).click()]);
  assert.match(await page.evaluate(() => window.__classAtBody), /text-large/, "after following the menu");
  assert.ok(await fontSize(page, "body") >= 18);
  await page.getByRole("link", { name: /关于召开集团第五届职工代表大会/ }).first().click();
  await page.waitForURL(/workers-congress-2026/);
  assert.ok(await fontSize(page, ".doc-body") >= 18, "notice text in large mode");
  assert.ok(await fontSize(page, ".meta-table td") >= 18 * 0.875, "small print grows too");

  // A reload, and a visit the next day (a new page in the same browser).
  await page.reload();
  assert.match(await page.evaluate(() => window.__classAtBody), /text-large/, "after a reload");
  const later = await ctx.newPage();
  await later.goto(fileUrl(PUBLIC, "tags/index.html"));
  assert.match(await later.evaluate(() => window.__classAtBody), /text-large/, "in a new tab");
  assert.equal(await later.getAttribute('[data-display="large"]', "aria-pressed"), "true");

  // High contrast is a separate toggle; 标准 goes back to standard size.
  await later.getByRole("button", { name: "高对比" }).click();
  await later.getByRole("button", { name: "标准" }).click();
  await later.waitForTimeout(250);
  await later.reload();
  const cls = await later.evaluate(() => window.__classAtBody);
  assert.doesNotMatch(cls, /text-large/, "back to standard");
  assert.match(cls, /high-contrast/, "high contrast kept");
  assert.equal(await fontSize(later, "body"), standard);
  assert.equal(await later.evaluate(() => getComputedStyle(document.body).color), "rgb(0, 0, 0)");
  await ctx.close();
});

test("without JavaScript the page is simply standard, with every menu item in reach", async () => {
  const ctx = await context({ width: 320, height: 640 }, { javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(fileUrl(PUBLIC, "notices/index.html"));
  assert.equal(await page.isVisible("[data-display-switch]"), false, "a switch that cannot work is hidden");
  assert.equal(await page.isVisible("a.report-link"), true);
  assert.deepEqual(await unreachableMenuItems(page, 320), []);
  await ctx.close();
});

// Menu items that a reader at `width` could not see or tap: outside the
// screen, covered, or smaller than 44 × 44 px.
async function unreachableMenuItems(page, width) {
  return page.evaluate((w) => {
    const bad = [];
    if (document.documentElement.scrollWidth > w) bad.push(`page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    for (const a of document.querySelectorAll(".site-nav a")) {
      a.scrollIntoView({ block: "center" });
      const r = a.getBoundingClientRect();
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      const name = a.textContent.trim();
      if (r.left < 0 || r.right > w) bad.push(`${name}: outside the screen (${r.left}–${r.right})`);
      else if (!hit || !a.contains(hit)) bad.push(`${name}: covered`);
      if (r.width < 44 || r.height < 44) bad.push(`${name}: ${r.width}×${r.height}`);
    }
    return bad;
  }, width);
}

test("the phone menu reaches every item at 320 px, by touch, keyboard and screen reader", async () => {
  const ctx = await context({ width: 320, height: 640 });
  const page = await ctx.newPage();
  await page.goto(`${example.server.url}events/sports-meet-2026/index.html`);
  const nav = page.getByRole("navigation", { name: "菜单" });
  const names = await nav.getByRole("link").allTextContents();
  const menu = ["首页", "通知公告", "政策解读", "活动报道", "职工服务", "下载中心", "标签", "中华全国总工会"];
  assert.deepEqual(names.map((n) => n.trim()), menu);
  assert.deepEqual(await unreachableMenuItems(page, 320), []);
  // The current section is announced as such.
  assert.equal(await nav.getByRole("link", { name: "活动报道" }).getAttribute("class"), "active");

  // Tab from the top: every menu item receives focus, in order.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.focus("body");
  const focused = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.closest(".site-nav") ? el.textContent.trim() : null;
    });
    if (f) focused.push(f);
    if (f === menu[menu.length - 1]) break;
  }
  assert.deepEqual(focused, menu);
  // Enter on a focused item follows it.
  await page.keyboard.press("Shift+Tab");
  await Promise.all([page.waitForURL(/tags\/index\.html$/), page.keyboard.press("Enter")]);
  await ctx.close();

  // Wider phones, and the narrowest in large-text mode.
  for (const [width, display] of [[360, ""], [390, ""], [320, "large"], [390, "large"]]) {
    const other = await context({ width, height: 700 }, { display });
    const p = await other.newPage();
    await p.goto(`${example.server.url}index.html`);
    assert.deepEqual(await unreachableMenuItems(p, width), [], `${width} px ${display}`);
    await other.close();
  }
});

// Every link to a page with a stamp (on the link, or on its list item's <time>),
// with whether it carries a 新 mark.
async function stampedLinks(page) {
  return page.$$eval("a[data-stamp], li [data-stamp]", (els) => els.map((el) => {
    const a = el.tagName === "A" ? el : el.closest("li").querySelector("a[href]");
    return { href: a.href, stamp: el.getAttribute("data-stamp"), marked: !!a.querySelector(".badge-new") };
  }));
}

test("新 marks: recent pages not yet opened, gone once opened, back when updated", async () => {
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  const home = fileUrl(PUBLIC, "index.html");
  await page.goto(home);

  // Every stamped link is marked exactly when its stamp is within 30 days.
  const links = await stampedLinks(page);
  const days = (s) => (TODAY.getTime() - Date.parse(s)) / 864e5;
  assert.ok(links.some((l) => l.marked), "some page is new");
  assert.ok(links.some((l) => days(l.stamp) > 30), "the example has older pages too");
  for (const l of links) assert.equal(l.marked, days(l.stamp) < 30, `${l.href} (${l.stamp})`);

  // Open a marked notice from its section card, then go back.
  const card = page.locator(".card-grid .card", { has: page.getByRole("link", { name: "通知公告" }) });
  const target = card.locator("a:has(.badge-new)").first();
  const href = await target.evaluate((a) => a.href);
  const othersBefore = await page.$$eval(".badge-new", (ms) => ms.length);
  await Promise.all([page.waitForURL(href), target.click()]);
  await page.waitForTimeout(250); // the write reaching other pages, as in the switch test
  await page.goBack();
  await page.waitForURL(home);
  const after = await stampedLinks(page);
  assert.ok(after.filter((l) => l.href === href).every((l) => !l.marked), "opened page still marked");
  assert.equal(await page.$$eval(".badge-new", (ms) => ms.length), othersBefore - after.filter((l) => l.href === href).length);

  // A section list agrees (the same key, reached by another link).
  await page.goto(fileUrl(PUBLIC, "notices/index.html"));
  assert.equal((await stampedLinks(page)).filter((l) => l.href === href && l.marked).length, 0);

  // What was opened is remembered at its stamp: a page revised since is new again.
  await page.evaluate((h) => {
    const seen = JSON.parse(localStorage.getItem("unionpress-seen"));
    const key = Object.keys(seen).find((k) => h.startsWith(k));
    seen[key] = "2000-01-01T00:00:00+08:00";
    localStorage.setItem("unionpress-seen", JSON.stringify(seen));
  }, href);
  await page.reload();
  assert.equal((await stampedLinks(page)).filter((l) => l.href === href && l.marked).length, 1);

  // Nothing left the disk, and nothing was put in a cookie.
  assert.deepEqual(requests.filter((u) => !u.startsWith("file://")), []);
  assert.equal(await page.evaluate(() => document.cookie), "");
  assert.deepEqual(await ctx.cookies(), []);
  await ctx.close();
});

test("the contact page offers tel: and mailto: links that work on a phone", async () => {
  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await page.goto(`${example.server.url}notices/workers-congress-2026/index.html`);
  await Promise.all([page.waitForURL(/contact\/index\.html$/), page.getByRole("link", { name: "我要反映" }).click()]);
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "联系工会");
  const links = await page.$$eval(".channels a", (as) => as.map((a) => [a.textContent.trim(), a.getAttribute("href")]));
  assert.deepEqual(links.filter(([, h]) => h.startsWith("tel:")), [["拨打 8600", "tel:8600"], ["拨打 12351", "tel:12351"]]);
  const mail = links.find(([, h]) => h.startsWith("mailto:"));
  assert.ok(mail, "a mailto: link");
  const url = new URL(mail[1]);
  assert.equal(url.pathname, "ghbgs@hbl-group.com.cn");
  assert.match(mail[1], /subject=%E8%81%8C/, "the subject is percent-encoded");
  assert.equal(url.searchParams.get("subject"), "职工反映");
  // No form that goes nowhere.
  assert.equal(await page.locator("main form, main input, main textarea").count(), 0);
  // Office and hours are there as text; each channel is a heading.
  assert.deepEqual(await page.$$eval(".channel h2", (hs) => hs.map((h) => h.textContent)), ["服务热线", "电子邮箱", "办公地点", "接待时间"]);
  // The buttons are thumb-sized.
  for (const box of await page.$$eval(".channels a", (as) => as.map((a) => a.getBoundingClientRect().toJSON()))) {
    assert.ok(box.width >= 44 && box.height >= 44, JSON.stringify(box));
  }
  // The footer links the numbers in their sentence.
  assert.deepEqual(await page.$$eval(".site-footer a[href^='tel:']", (as) => as.map((a) => a.getAttribute("href"))), ["tel:8600", "tel:12351"]);
  await ctx.close();
});

test("on a phone every link and button outside running text is at least 44 × 44 px", async () => {
  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  const small = [];
  for (const [type, rel] of PAGE_TYPES) {
    await open(page, example.server.url + rel);
    const found = await page.evaluate(() => {
      const out = [];
      for (const el of document.querySelectorAll("a[href], button, input, summary, [tabindex]")) {
        // Links inside sentences are exempt (WCAG 2.5.5 "inline").
        if (el.closest(".prose p, .prose li, .prose td, .prose th, .doc-body, .skip-link, .site-footer dd")) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.width < 43.5 || r.height < 43.5) {
          out.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 16)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
        }
      }
      return out;
    });
    for (const f of found) small.push(`${type}: ${f}`);
  }
  await ctx.close();
  assert.deepEqual(small, []);
});

test("no page type scrolls sideways at 320 px, in standard or large mode (WCAG 1.4.10)", async () => {
  const wide = [];
  for (const display of ["", "large"]) {
    const ctx = await context({ width: 320, height: 640 }, { display });
    const page = await ctx.newPage();
    for (const [type, rel] of PAGE_TYPES) {
      await open(page, example.server.url + rel);
      const found = await page.evaluate(() => {
        const out = [];
        if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth}px wide`);
        for (const el of document.querySelectorAll("body *")) {
          // Wide tables scroll inside their own box, which is allowed.
          if (el.closest(".table-scroll, .table-wrap, .visually-hidden, .skip-link")) continue;
          const r = el.getBoundingClientRect();
          if (r.right > innerWidth + 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ends at ${Math.round(r.right)}px`);
        }
        return out.slice(0, 3);
      });
      for (const f of found) wide.push(`${display || "standard"} ${type}: ${f}`);
    }
    await ctx.close();
  }
  assert.deepEqual(wide, []);
});

test("notice paragraphs are spaced at least 1.3 × their line spacing", async () => {
  for (const display of ["", "large"]) {
    const ctx = await context(PHONE, { display });
    const page = await ctx.newPage();
    await page.goto(`${example.server.url}notices/skills-contest-2026/index.html`);
    const steps = await page.$$eval(".doc-body > p + p", (ps) => ps.map((p) => {
      const prev = p.previousElementSibling.getBoundingClientRect();
      const line = parseFloat(getComputedStyle(p).lineHeight);
      // From one paragraph's last line to the next one's first line,
      // against the step from one line to the next.
      return { ratio: (p.getBoundingClientRect().top - prev.bottom + line) / line, text: p.textContent.slice(0, 12) };
    }));
    assert.ok(steps.length >= 2, "the notice has consecutive paragraphs");
    for (const s of steps) assert.ok(s.ratio >= 1.3, `${display || "standard"}: ${s.text} ${s.ratio}`);
    await ctx.close();
  }
});

test("the browser's own font size setting scales the page", async () => {
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${example.server.url}notices/workers-congress-2026/index.html`);
  const before = { body: await fontSize(page, "body"), meta: await fontSize(page, ".meta-table td"), nav: await fontSize(page, ".site-nav a") };
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("Page.setFontSizes", { fontSizes: { standard: 24 } });
  await page.reload();
  const after = { body: await fontSize(page, "body"), meta: await fontSize(page, ".meta-table td"), nav: await fontSize(page, ".site-nav a") };
  for (const k of Object.keys(before)) {
    assert.ok(Math.abs(after[k] / before[k] - 1.5) < 0.01, `${k}: ${before[k]}px → ${after[k]}px`);
  }
  await ctx.close();
});

test("task lists are ☐/☑ text with words for screen readers, not disabled checkboxes", async () => {
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  await page.goto(`${example.server.url}notices/workers-congress-2026/index.html`);
  assert.equal(await page.locator("main input[type=checkbox]").count(), 0);
  const tasks = await page.$$eval(".task", (ts) => ts.map((t) => t.textContent));
  assert.ok(tasks.length >= 4, `task items: ${tasks.length}`);
  for (const t of tasks) assert.match(t, /^(☐未完成|☑已完成)$/);
  await ctx.close();
});
