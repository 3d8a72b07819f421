// The default theme's style sheet and scripts as a page loads them: its
// commented sources (themes/default/src/) without their comments and
// indentation, written to themes/default/static/, which the build serves.
// The search page's 150 KB for a two-character query counts these bytes.
//
// Only what cannot change the meaning goes: in CSS every /* comment */ and
// each line's surrounding spaces; in the ES5 scripts each line's leading
// spaces and the comments that fill whole lines (a // line, or a /* … */
// that starts a line and ends one). A comment after code on its line
// stays: telling it from a string or a regular expression takes a parser.
// Line breaks stay, so semicolon insertion reads the script as before.
// search.js keeps its index-form marker, which the build looks for.
//
//   node tests/browser/lib/compact.js          checks static/ is up to date
//   node tests/browser/lib/compact.js --write  writes static/ from src/
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const THEME = path.join(__dirname, "../../../themes/default");
const FILES = ["style.css", "theme.js", "search.js"];
const MARKER = /unionpress-search-index: \d+/;

function header(name, source) {
  const marker = MARKER.exec(source);
  return `/* ${name} of the default theme without comments and indentation: its source is src/${name}.` +
    (marker ? ` ${marker[0]}` : "") + " */";
}

function lines(text) {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

function compactCss(name, source) {
  let text = source.replace(/\/\*[\s\S]*?\*\//g, "");
  // @charset must stay the first thing in the file.
  let charset = "";
  const m = /^@charset "[^"]*";\n/.exec(text);
  if (m) {
    charset = m[0];
    text = text.slice(m[0].length);
  }
  return charset + header(name, source) + "\n" + lines(text).join("\n") + "\n";
}

function compactJs(name, source) {
  const out = [];
  let inComment = false;
  for (const line of source.split("\n")) {
    const t = line.trim();
    if (inComment) {
      if (t.endsWith("*/")) inComment = false;
      else if (t.includes("*/")) throw new Error(`${name}: code after a comment: ${line}`);
      continue;
    }
    if (t.startsWith("//") || t === "") continue;
    if (t.startsWith("/*")) {
      if (t.endsWith("*/") && t.length > 3) continue;
      if (t.includes("*/")) throw new Error(`${name}: code after a comment: ${line}`);
      inComment = true;
      continue;
    }
    out.push(t);
  }
  return header(name, source) + "\n" + out.join("\n") + "\n";
}

function compact(name, source) {
  return name.endsWith(".css") ? compactCss(name, source) : compactJs(name, source);
}

// Each file: [name, its source, the compact form made of it, the file in static/].
function theme() {
  return FILES.map((name) => {
    const source = fs.readFileSync(path.join(THEME, "src", name), "utf8");
    const shipped = path.join(THEME, "static", name);
    return [name, source, compact(name, source), fs.existsSync(shipped) ? fs.readFileSync(shipped, "utf8") : null];
  });
}

module.exports = { compact, compactCss, compactJs, theme, THEME, FILES };

if (require.main === module) {
  let stale = 0;
  for (const [name, source, made, shipped] of theme()) {
    if (made === shipped) continue;
    if (process.argv.includes("--write")) {
      fs.writeFileSync(path.join(THEME, "static", name), made);
      console.log(`static/${name}: ${Buffer.byteLength(source)} → ${Buffer.byteLength(made)} bytes`);
    } else {
      console.log(`static/${name} is not the compact form of src/${name}: run with --write`);
      stale += 1;
    }
  }
  process.exit(stale ? 1 : 0);
}
