// Notices printed to A4 PDF in headless Chromium, measured against GB/T
// 9704-2012: where the 标志, 文号, red rule, title, body, signature, 版记 and
// page numbers land, and that nothing web-only is printed. The example site
// is built with base_url (so the QR code is there) and with two fixture
// notices: one that fits one page, one with no attachments and a full page
// of plain text. Set PRINT_SCREENSHOTS=<folder> to keep PNGs of the pages.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const { REPO, launch, newPage, serve } = require("./lib/harness");
const { buildExample } = require("./lib/site");
const { MM, pdfLines, pagePixels, isRed } = require("./lib/pdf");

// The text block (版心) of an A4 page: 37 mm top, 28 mm left, 156 × 225 mm.
const TOP = 37 * MM;
const BOTTOM = (37 + 225) * MM;
const LEFT = 28 * MM;
const RIGHT = (28 + 156) * MM;
const CENTRE = (LEFT + RIGHT) / 2;
const LINE = 28.95; // line pitch of 3号 text, pt (22 lines in 225 mm)
const CHAR = (156 * MM) / 28; // character pitch, pt (28 in 156 mm)
const ORG = "会宝岭集团有限公司工会委员会";

let browser;
let server;
let tmp;
let cal; // how pdftotext's boxes relate to the CSS line box, see calibrate()

function build() {
  // The example site plus base_url and the fixture notices.
  const fixtures = path.join(__dirname, "fixtures", "print");
  const extra = {};
  for (const f of fs.readdirSync(fixtures)) extra[`notices/${f}`] = path.join(fixtures, f);
  return buildExample(tmp, { yaml: "base_url: http://gonghui.example.cn/union/", extra });
}

async function printPdf(url, name) {
  const page = await newPage(browser);
  await page.goto(url);
  const file = path.join(tmp, `${name}.pdf`);
  await page.pdf({ path: file, format: "A4", preferCSSPageSize: true });
  assert.deepEqual(page.errors, []);
  await page.close();
  if (process.env.PRINT_SCREENSHOTS) {
    const dir = path.resolve(process.env.PRINT_SCREENSHOTS);
    fs.mkdirSync(dir, { recursive: true });
    execFileSync("pdftoppm", ["-r", "40", "-png", file, path.join(dir, name)]);
  }
  return file;
}

// pdftotext boxes span the font's whole bounding box, far taller than the
// em. A line of the body's font at 20 pt with line-height 1, printed at the
// top of the text block, tells the box's height per point of font size (k)
// and how far above the CSS line box it starts (top, per point).
async function calibrate() {
  const css = fs.readFileSync(path.join(REPO, "themes/default/static/print.css"), "utf8");
  const serif = css.match(/font-family: ("仿宋_GB2312"[^;]*);/)[1];
  const page = await newPage(browser);
  await page.setContent(`<!DOCTYPE html><meta charset="utf-8"><style>
    @page { size: A4; margin: 37mm 26mm 35mm 28mm; }
    body { margin: 0; } p { margin: 0; font-family: ${serif}; font-size: 20pt; line-height: 1; }
    </style><p>标定文字</p>`);
  const file = path.join(tmp, "calibrate.pdf");
  await page.pdf({ path: file, format: "A4", preferCSSPageSize: true });
  await page.close();
  const [line] = pdfLines(file)[0].lines;
  return { k: (line.yMax - line.yMin) / 20, top: (TOP - line.yMin) / 20 };
}

const size = (l) => (l.yMax - l.yMin) / cal.k;
// The top and bottom of the line box the text would have with line-height 1.
const top = (l) => l.yMin + cal.top * size(l);
const bottom = (l) => top(l) + size(l);
const near = (actual, expected, tolerance, what) =>
  assert.ok(Math.abs(actual - expected) <= tolerance,
    `${what}: ${(actual / MM).toFixed(1)} mm, expected ${(expected / MM).toFixed(1)} ± ${(tolerance / MM).toFixed(1)} mm`);
const squeeze = (s) => s.replace(/\s+/g, "");
const isBodyLine = (l) => Math.abs(size(l) - 16) < 1.2 && l.xMin < LEFT + 2.5 * CHAR;

function find(pages, pred, what) {
  for (const p of pages) {
    const line = p.lines.find(pred);
    if (line) return { page: p, line };
  }
  assert.fail(`${what}: not in the PDF`);
}

// The 版头 and title of page 1: 标志, 文号, red rule, title lines.
function checkHead(pdf, pages, { docNumber, titleLines }) {
  const first = pages[0];
  const issuer = first.lines.find((l) => squeeze(l.text) === ORG);
  assert.ok(issuer, `标志 on page 1: ${first.lines.map((l) => l.text).join(" | ")}`);
  near(top(issuer), TOP + 35 * MM, 2 * MM, "标志 below the top of the text block");
  near((issuer.xMin + issuer.xMax) / 2, CENTRE, 2, "标志 centred");
  const px = pagePixels(pdf, 1, tmp);
  let red = 0;
  for (let y = Math.round(issuer.yMin); y < issuer.yMax; y++) {
    for (let x = Math.round(issuer.xMin); x < issuer.xMax; x++) red += isRed(px.at(x, y)) ? 1 : 0;
  }
  assert.ok(red > 200, `标志 printed red (${red} red pixels)`);

  const number = first.lines.find((l) => squeeze(l.text) === docNumber);
  assert.ok(number, "文号 on page 1");
  near(top(number) - bottom(issuer), 2 * LINE, 2 * MM, "文号 two lines below the 标志");
  near((number.xMin + number.xMax) / 2, CENTRE, 2, "文号 centred");

  // The red rule: the first row of pixels red across the text block.
  let rule = null;
  for (let y = Math.round(number.yMax - 10); y < px.height && rule === null; y++) {
    let count = 0;
    for (let x = Math.round(LEFT); x < RIGHT; x++) count += isRed(px.at(x, y)) ? 1 : 0;
    if (count > 0.97 * (RIGHT - LEFT)) rule = y;
  }
  assert.ok(rule !== null, "a red rule the width of the text block");
  near(rule - bottom(number), 4 * MM, 1.5 * MM, "red rule below the 文号");

  let previous = null;
  for (const [i, text] of titleLines.entries()) {
    const line = first.lines.find((l) => squeeze(l.text) === text);
    assert.ok(line, `title line ${text}: ${first.lines.map((l) => l.text).join(" | ")}`);
    near(size(line), 22, 1, `title in 2号 (22 pt): ${text}`);
    near((line.xMin + line.xMax) / 2, CENTRE, 2, `title line centred: ${text}`);
    if (i === 0) near(top(line) - rule, 2 * LINE, 2 * MM, "title two lines below the red rule");
    if (previous) assert.ok(line.yMin > previous.yMin, "title lines in order");
    previous = line;
  }
}

// Body text: on the 28.95 pt grid, 28 characters to a full line.
function checkBody(pages, minFull = 5) {
  const wrong = [];
  let full = 0;
  for (const p of pages) {
    const body = p.lines.filter((l) => isBodyLine(l) && l.yMin > TOP - 20 && l.yMax < BOTTOM + 20);
    for (const [i, l] of body.entries()) {
      const text = squeeze(l.text);
      if (l.xMax > RIGHT - 3 && !/[\x00-\x7f]/.test(text)) {
        full++;
        const indent = Math.round((l.xMin - LEFT) / CHAR);
        if ([...text].length + indent !== 28) wrong.push(`p${p.number}: ${indent} + ${[...text].length}: ${text}`);
      }
      const next = body[i + 1];
      const gap = next && next.yMin - l.yMin;
      if (gap && gap < 1.5 * LINE && Math.abs(gap - LINE) > 0.5) {
        wrong.push(`p${p.number}: line pitch ${gap.toFixed(2)} pt after ${text}`);
      }
    }
    assert.ok(body.length <= 22, `page ${p.number}: ${body.length} body lines`);
  }
  assert.ok(full >= minFull, `${full} full lines of body text`);
  assert.deepEqual(wrong, [], "full lines hold 28 characters, lines are 28.95 pt apart");
}

// "— N —", 7 mm below the text block, odd pages right and even left, one
// 4号 character in.
function checkPageNumbers(pages) {
  for (const p of pages) {
    const nums = p.lines.filter((l) => /^—\s*\d+\s*—$/.test(l.text));
    assert.equal(nums.length, 1, `page ${p.number}: one page number`);
    const [n] = nums;
    assert.equal(+n.text.match(/\d+/)[0], p.number);
    near(top(n) - BOTTOM, 7 * MM, 2 * MM, `page ${p.number}: number below the text block`);
    if (p.number % 2) near(n.xMax, RIGHT - 14, 2 * MM, `page ${p.number} (odd): number right`);
    else near(n.xMin, LEFT + 14, 2 * MM, `page ${p.number} (even): number left`);
  }
}

// Signature and date at the right, on a page with body text; 版记 at the
// foot of the last page.
function checkEnd(pages, { printedBy, printedOn, cc }) {
  const { page, line: sig } = find(pages, (l) => squeeze(l.text) === ORG && l.xMin > CENTRE - 40 && l !== pages[0].lines.find((x) => squeeze(x.text) === ORG), "signature");
  const date = page.lines.find((l) => /^\d{4}年\d{1,2}月\d{1,2}日$/.test(squeeze(l.text)) && l.yMin > sig.yMin);
  assert.ok(date, "date on the signature's page");
  near(date.yMin - sig.yMin, LINE, 1, "date on the line under the signature");
  near(sig.xMax, RIGHT - 2 * CHAR, 3, "long signature two characters in from the right");
  near((date.xMin + date.xMax) / 2, (sig.xMin + sig.xMax) / 2, 3, "date centred under the signature");
  const text = page.lines.filter((l) => l.yMin < sig.yMin && isBodyLine(l) && !/^(附件|\d+\.)/.test(squeeze(l.text)));
  assert.ok(text.length > 0, `page ${page.number}: the signature has body text with it`);

  const last = pages[pages.length - 1];
  const printed = last.lines.find((l) => squeeze(l.text).endsWith("印发"));
  assert.ok(printed, "印发 row on the last page");
  // 印发机关 left and 印发日期 right on one row (pdftotext may cut it in two).
  const row = last.lines.filter((l) => Math.abs(l.yMin - printed.yMin) < 2).map((l) => squeeze(l.text)).join("");
  assert.ok(row.startsWith(printedBy), row);
  assert.ok(squeeze(printed.text).endsWith(`${printedOn}印发`), printed.text);
  near(size(printed), 14, 1, "版记 in 4号 (14 pt)");
  assert.ok(bottom(printed) < BOTTOM && bottom(printed) > BOTTOM - 12 * MM,
    `版记 at the foot of the last page: ${((BOTTOM - bottom(printed)) / MM).toFixed(1)} mm above it`);
  const ccLine = last.lines.find((l) => squeeze(l.text).startsWith("抄送"));
  assert.ok(ccLine && ccLine.yMin < printed.yMin, "抄送 above 印发");
  assert.equal(squeeze(ccLine.text), `抄送：${cc}。`);
  assert.ok(ccLine.yMin > sig.yMin || last !== page, "版记 after the signature");
}

function checkNothingWebOnly(pages) {
  const all = pages.flatMap((p) => p.lines.map((l) => squeeze(l.text))).join("\n");
  for (const web of ["跳到正文", "通知公告", "下载中心", "职工之家", "发布部门", "责任编辑", "审核", "标签", "下载", "打印", "KB", "PDF", "DOCX", "相关"]) {
    assert.ok(!all.includes(web), `web-only text "${web}" printed`);
  }
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "unionpress-print-"));
  const out = build();
  browser = await launch();
  server = await serve(out, "/union/");
  cal = await calibrate();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test("the example notice prints as a GB/T 9704 document", async () => {
  const pdf = await printPdf(`${server.url}notices/workers-congress-2026/index.html`, "workers-congress-2026");
  const pages = pdfLines(pdf);
  assert.ok(pages.length >= 2, `${pages.length} pages`);
  checkHead(pdf, pages, {
    docNumber: "会宝岭工发〔2026〕28号",
    titleLines: ["关于召开集团第五届职工代表大会", "第三次会议的通知"],
  });
  checkBody(pages);
  checkPageNumbers(pages);
  checkEnd(pages, { printedBy: ORG, printedOn: "2026年11月6日", cc: "集团公司党委，集团公司行政办公室" });
  checkNothingWebOnly(pages);

  // 附件说明: "附件：1. …" two characters in, "2. …" aligned under "1.".
  const { page, line: note } = find(pages, (l) => squeeze(l.text).startsWith("附件：1."), "附件：1.");
  near(note.xMin, LEFT + 2 * CHAR, 2, "附件说明 two characters in");
  const one = note.boxes.find((b) => b.text.startsWith("1.")) || note.boxes[1];
  const second = page.lines.find((l) => squeeze(l.text).startsWith("2.") && l.yMin > note.yMin);
  assert.ok(second, "second attachment under the first");
  near(second.xMin, one.xMin, 2, "2. aligned under 1.");
  // Ordered lists of the body are at the text edge, numbered, no bullets.
  const item = find(pages, (l) => squeeze(l.text).startsWith("1.听取和审议"), "numbered item");
  near(item.line.xMin, LEFT + 2 * CHAR, 2, "numbered item two characters in");
  const all = pages.flatMap((p) => p.lines.map((l) => l.text)).join("\n");
  assert.doesNotMatch(all, /[•◦▪☐☑]/, "no bullets or checkboxes");
  // The QR code of the page's address, top right of page 1.
  const qr = pages[0].lines.find((l) => squeeze(l.text) === "扫码阅读网页版");
  assert.ok(qr && qr.xMin > CENTRE && qr.yMax < TOP + 35 * MM, "QR caption above the 标志, right");
});

test("a one-page notice keeps the whole document, 版记 included, on its page", async () => {
  const pdf = await printPdf(`${server.url}notices/new-year-safety-2026/index.html`, "new-year-safety-2026");
  const pages = pdfLines(pdf);
  assert.equal(pages.length, 1);
  checkHead(pdf, pages, {
    docNumber: "会宝岭工发〔2026〕31号",
    titleLines: ["关于做好元旦期间安全生产工作的通知"],
  });
  checkBody(pages, 1);
  checkPageNumbers(pages);
  checkEnd(pages, { printedBy: ORG, printedOn: "2026年11月17日", cc: "集团公司安全环保部" });
  checkNothingWebOnly(pages);
  const { line: note } = find(pages, (l) => squeeze(l.text).startsWith("附件："), "附件说明");
  near(note.xMin, LEFT + 2 * CHAR, 2, "附件说明 two characters in");
});

test("a notice with no attachments fills full pages of 22 lines", async () => {
  const pdf = await printPdf(`${server.url}notices/reading-month-2027/index.html`, "reading-month-2027");
  const pages = pdfLines(pdf);
  assert.ok(pages.length >= 3, `${pages.length} pages`);
  checkHead(pdf, pages, {
    docNumber: "会宝岭工发〔2026〕30号",
    titleLines: ["关于开展2027年", "职工读书月活动的通知"],
  });
  checkBody(pages);
  checkPageNumbers(pages);
  checkEnd(pages, { printedBy: "会宝岭集团工会办公室", printedOn: "2026年11月16日", cc: "集团公司党委宣传部" });
  checkNothingWebOnly(pages);
  const all = pages.flatMap((p) => p.lines.map((l) => squeeze(l.text))).join("\n");
  assert.ok(!all.includes("附件"), "no 附件说明");
  // Page 2 is plain text from top to bottom: exactly 22 lines.
  const body = pages[1].lines.filter((l) => Math.abs(size(l) - 16) < 1.2 && l.yMax < BOTTOM + 20);
  assert.equal(body.length, 22, body.map((l) => l.text).join("\n"));
  near(top(body[0]) - (LINE - 16) / 2, TOP, 1 * MM, "page 2 starts at the top of the text block");
  // 紧急程度 top left of page 1.
  const urgent = pages[0].lines.find((l) => squeeze(l.text) === "加急");
  assert.ok(urgent, "加急 printed");
  near(urgent.xMin, LEFT, 2, "加急 at the left edge");
  assert.ok(urgent.yMax < TOP + 35 * MM, "加急 above the 标志");
});

test("policies and event reports print as plain articles with page numbers and a source line", async () => {
  for (const [url, title] of [
    ["policies/labor-contract/index.html", "劳动合同"],
    ["events/sports-meet-2026/index.html", "运动会"],
  ]) {
    const pdf = await printPdf(`${server.url}${url}`, path.basename(path.dirname(url)));
    const pages = pdfLines(pdf);
    assert.ok(pages.length >= 2, `${url}: ${pages.length} pages`);
    const all = pages.flatMap((p) => p.lines.map((l) => squeeze(l.text))).join("\n");
    assert.ok(pages[0].lines.slice(0, 3).some((l) => squeeze(l.text).includes(title)), `${url}: title first`);
    checkNothingWebOnly(pages);
    for (const p of pages) {
      assert.ok(p.lines.some((l) => squeeze(l.text) === `—${p.number}—`), `${url}: page ${p.number} numbered`);
    }
    const address = `http://gonghui.example.cn/union/${url.replace(/index\.html$/, "")}`;
    assert.ok(all.includes(`本文来自会宝岭集团工会${address}`), `${url}: source line with ${address}`);
  }
});

test("the 打印 button opens the print dialog, and is hidden on phones and on paper", async () => {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${server.url}notices/workers-congress-2026/index.html`);
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => { window.printed++; };
  });
  await page.click(".print-button");
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.setViewportSize({ width: 390, height: 800 });
  assert.equal(await page.$eval(".print-button", (b) => getComputedStyle(b).display), "none");
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.$eval(".print-button", (b) => getComputedStyle(b).display), "none");
  // On paper the QR code shows; on screen it does not.
  assert.equal(await page.$eval(".print-qr", (f) => getComputedStyle(f).display), "block");
  await page.emulateMedia({ media: "screen" });
  assert.equal(await page.$eval(".print-qr", (f) => getComputedStyle(f).display), "none");
  await page.close();
});
