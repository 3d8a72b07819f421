// Screenshots for the README: the example site's home page on a 390 px
// phone, in standard and in large-text mode. Not a test; run by hand after
// changing the theme (run.sh has built public/ first):
//   node tests/browser/screenshots.js
// It writes docs/screenshots/phone-standard.png and phone-large.png,
// reduced to 64 colours with ImageMagick when `convert` is there.
"use strict";

const path = require("node:path");
const { execFileSync } = require("node:child_process");
const { REPO, PUBLIC, launch, fileUrl, requireBuilt } = require("./lib/harness");

const OUT = path.join(REPO, "docs", "screenshots");
const SHOTS = [
  ["phone-standard.png", ""],
  ["phone-large.png", "large"],
];

(async () => {
  requireBuilt(PUBLIC);
  const browser = await launch();
  try {
    for (const [name, display] of SHOTS) {
      const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
      // The day run.sh builds at, so the 新 marks are those a reader sees then.
      await ctx.clock.setFixedTime(new Date("2026-11-21T12:00:00+08:00"));
      await ctx.addInitScript((d) => localStorage.setItem("unionpress-display", d), display);
      const page = await ctx.newPage();
      await page.goto(fileUrl(PUBLIC, "notices/index.html"));
      const file = path.join(OUT, name);
      await page.screenshot({ path: file });
      try {
        execFileSync("convert", [file, "-colors", "64", "-strip", `PNG8:${file}`]);
      } catch (e) {
        // No ImageMagick: keep the full-colour file.
      }
      console.log(path.relative(REPO, file));
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
})();
