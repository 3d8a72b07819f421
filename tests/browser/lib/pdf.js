// Reading a printed PDF back for the print tests: text lines with their
// boxes (pdftotext -bbox-layout, poppler-utils) and pixels of a page
// (pdftoppm, as PPM). Units are PDF points (1/72 in), y downwards.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const MM = 72 / 25.4;

function unescapeXml(s) {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

// [{ number, width, height, lines: [{ xMin, yMin, xMax, yMax, text, words }] }]
function pdfLines(pdfFile) {
  const xml = execFileSync("pdftotext", ["-bbox-layout", pdfFile, "-"], { encoding: "utf8" });
  const pages = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  let m;
  while ((m = pageRe.exec(xml))) {
    const lines = [];
    const lineRe = /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g;
    let l;
    while ((l = lineRe.exec(m[3]))) {
      const boxes = [...l[5].matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<\/word>/g)]
        .map((w) => ({ xMin: +w[1], xMax: +w[2], text: unescapeXml(w[3]) }));
      const words = boxes.map((w) => w.text);
      lines.push({
        xMin: +l[1],
        yMin: +l[2],
        xMax: +l[3],
        yMax: +l[4],
        words,
        boxes,
        text: words.join(" "),
      });
    }
    lines.sort((a, b) => a.yMin - b.yMin || a.xMin - b.xMin);
    pages.push({ number: pages.length + 1, width: +m[1], height: +m[2], lines });
  }
  return pages;
}

// One page as RGB pixels at 72 dpi (one pixel a point): { width, height, at(x, y) → [r, g, b] }.
function pagePixels(pdfFile, page, dir) {
  const prefix = path.join(dir, `px-${path.basename(pdfFile, ".pdf")}-${page}`);
  execFileSync("pdftoppm", ["-r", "72", "-f", String(page), "-l", String(page), "-singlefile", pdfFile, prefix]);
  const buf = fs.readFileSync(`${prefix}.ppm`);
  // P6 header: magic, width, height, maxval, each separated by whitespace.
  const header = buf.toString("latin1", 0, 64).match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  const [width, height] = [+header[1], +header[2]];
  const data = buf.subarray(header[0].length);
  return {
    width,
    height,
    at(x, y) {
      const i = (y * width + x) * 3;
      return [data[i], data[i + 1], data[i + 2]];
    },
  };
}

function isRed([r, g, b]) {
  return r > 150 && g < 100 && b < 100;
}

module.exports = { MM, pdfLines, pagePixels, isRed };
