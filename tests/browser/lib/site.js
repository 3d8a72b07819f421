// Builds a copy of the example site into a temp folder, with site.yaml
// additions (base_url…) and extra content files, for tests that need a
// variant of it. Returns the output folder.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const { REPO } = require("./harness");

// `into`: an empty folder; `yaml`: lines appended to site.yaml; `extra`:
// { "notices/x.md": "/abs/path/to/x.md" } copied under content/.
function buildExample(into, { yaml = "", extra = {} } = {}) {
  const site = path.join(into, "site");
  fs.mkdirSync(site, { recursive: true });
  const base = fs.readFileSync(path.join(REPO, "site.yaml"), "utf8");
  fs.writeFileSync(path.join(site, "site.yaml"), `${base}\n${yaml}\n`);
  fs.cpSync(path.join(REPO, "content"), path.join(site, "content"), { recursive: true });
  fs.symlinkSync(path.join(REPO, "themes"), path.join(site, "themes"));
  for (const [rel, from] of Object.entries(extra)) {
    fs.copyFileSync(from, path.join(site, "content", rel));
  }
  const bin = process.env.UNIONPRESS_BIN || path.join(REPO, "target", "debug", "unionpress");
  const out = path.join(into, "public");
  execFileSync(bin, ["build", "--root", site, "--output", out, "--now", "2026-11-21"], { stdio: "pipe" });
  return out;
}

module.exports = { buildExample };
