//! Fixture sites for the integration tests: a temp folder with `site.yaml`,
//! the repository's default theme and whatever pages a test writes, built
//! through the library (`unionpress::build::run`) or the binary, with helpers
//! to read what a reader would open: output files, their links, and the
//! diagnostics with their file, line and column.
//!
//! Each `tests/*.rs` includes this module, and none uses all of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;
use unionpress::build::{self, Report, Request};
use unionpress::diagnostics::Diagnostic;
use unionpress::i18n::Lang;
use unionpress::site;

/// The repository root: also the example site's root.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A real 4 × 4 JPEG: photos are decoded now, so fixtures need real ones.
pub const TINY_JPEG: &[u8] = include_bytes!("tiny.jpg");

/// The clock fixtures build at unless a test says otherwise.
pub const NOW: &str = "2026-03-01 12:00";

pub const SITE_YAML: &str = "\
title: 测试集团工会
subtitle: 职工之家
organization: 测试集团有限公司工会委员会
language: zh-CN
timezone: Asia/Shanghai
theme: default
paginate: 20
";

/// `--now` as the CLI reads it: a date or date-time in Asia/Shanghai.
pub fn at(now: &str) -> jiff::Timestamp {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").expect("tzdb is bundled");
    unionpress::source::dates::parse(now, &tz)
        .unwrap_or_else(|| panic!("test clock `{now}` does not parse"))
        .ts
}

/// How to build: the CLI's `--now`, `--drafts`, `--future`, `--lang`.
#[derive(Debug, Clone, Copy)]
pub struct Opts {
    pub now: &'static str,
    pub drafts: bool,
    pub future: bool,
    pub lang: Option<Lang>,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            now: NOW,
            drafts: false,
            future: false,
            lang: None,
        }
    }
}

impl Opts {
    pub fn now(now: &'static str) -> Self {
        Opts {
            now,
            ..Opts::default()
        }
    }
}

/// A site being written by a test, in its own temp folder: the site root is
/// `<tmp>/site`, the output `<tmp>/public`.
pub struct Site {
    tmp: TempDir,
    pub root: PathBuf,
    pub out: PathBuf,
}

impl Site {
    /// `site.yaml`, the default theme, a home page and four sections:
    /// notices (notice), policies (policy), events (event), services (page).
    pub fn new() -> Site {
        let site = Site::bare();
        site.file(
            "content/_index.md",
            "---\ntitle: 测试集团工会 · 职工之家\n---\n\n欢迎访问职工之家。\n",
        );
        for (dir, title, kind) in [
            ("notices", "通知公告", "notice"),
            ("policies", "政策解读", "policy"),
            ("events", "活动报道", "event"),
            ("services", "职工服务", "page"),
        ] {
            site.file(
                &format!("content/{dir}/_index.md"),
                format!("---\ntitle: {title}\nkind: {kind}\n---\n"),
            );
        }
        site
    }

    /// Only `site.yaml` and the theme.
    pub fn bare() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("unionpress-test-")
            .tempdir()
            .expect("temp dir");
        let root = tmp.path().join("site");
        let out = tmp.path().join("public");
        copy_dir(
            &Path::new(REPO).join("themes/default"),
            &root.join("themes/default"),
        );
        let site = Site { tmp, root, out };
        site.file("site.yaml", SITE_YAML);
        site
    }

    /// A checked-in fixture site from `tests/sites/<name>` (its `site.yaml`
    /// and `content/`), with the repository's default theme.
    pub fn fixture(name: &str) -> Site {
        let site = Site::bare();
        copy_dir(&Path::new(REPO).join("tests/sites").join(name), &site.root);
        site
    }

    /// The temp folder holding the site and its output.
    pub fn dir(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes a file, relative to the site root.
    pub fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        self
    }

    /// Writes `content/<rel>` as front matter and body. Line 1 is `---`, so
    /// the first front-matter line is line 2 of the file.
    pub fn page(&self, rel: &str, front: &str, body: &str) -> &Self {
        let front = front.trim_end();
        self.file(
            &format!("content/{rel}"),
            format!("---\n{front}\n---\n\n{body}\n"),
        )
    }

    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    pub fn request(&self, opts: Opts) -> Request {
        Request {
            root: self.root.clone(),
            output: Some(self.out.clone()),
            options: site::Options {
                drafts: opts.drafts,
                future: opts.future,
                now: at(opts.now),
            },
            lang: opts.lang,
        }
    }

    pub fn build(&self) -> Build {
        self.build_with(Opts::default())
    }

    pub fn build_at(&self, now: &'static str) -> Build {
        self.build_with(Opts::now(now))
    }

    pub fn build_with(&self, opts: Opts) -> Build {
        Build {
            report: build::run(&self.request(opts)),
            out: self.out.clone(),
        }
    }

    /// Runs the real binary: `unionpress build --root <site> --output <out> args…`.
    pub fn cli(&self, args: &[&str]) -> Output {
        let mut all = vec![
            "build",
            "--root",
            path_str(&self.root),
            "--output",
            path_str(&self.out),
        ];
        all.extend_from_slice(args);
        run_cli(&all)
    }
}

pub fn run_cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unionpress"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run unionpress")
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// One finished build and its output folder.
pub struct Build {
    pub report: Report,
    pub out: PathBuf,
}

impl Build {
    /// Every diagnostic as `severity[code] file:line:col: message (hint)`,
    /// for assertion messages.
    pub fn explain(&self) -> String {
        self.report
            .diags
            .iter()
            .map(|d| {
                format!(
                    "{}[{}] {}: {}{}\n",
                    d.severity.as_str(),
                    d.msg.code(),
                    d.location(),
                    d.msg.text(self.report.lang),
                    d.msg
                        .hint(self.report.lang)
                        .map(|h| format!(" ({h})"))
                        .unwrap_or_default()
                )
            })
            .collect()
    }

    /// The build succeeded (warnings allowed).
    pub fn ok(self) -> Self {
        assert!(!self.report.failed(), "build failed:\n{}", self.explain());
        assert!(self.report.stats.is_some(), "nothing written");
        self
    }

    pub fn failed(self) -> Self {
        assert!(
            self.report.failed(),
            "build should have failed:\n{}",
            self.explain()
        );
        self
    }

    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.report.diags.iter().filter(|d| d.is_error()).collect()
    }

    pub fn warnings(&self) -> Vec<&Diagnostic> {
        self.report.diags.iter().filter(|d| !d.is_error()).collect()
    }

    /// The one diagnostic with this code in this file (its display path,
    /// `content/notices/a.md`). `code` may list alternatives (`a|b`) and
    /// end in `*` for a family of codes (`yaml-*`).
    pub fn diag(&self, code: &str, file: &str) -> &Diagnostic {
        let matches = |c: &str| {
            code.split('|').any(|want| match want.strip_suffix('*') {
                Some(prefix) => c.starts_with(prefix),
                None => c == want,
            })
        };
        let found: Vec<&Diagnostic> = self
            .report
            .diags
            .iter()
            .filter(|d| matches(d.msg.code()) && d.span.as_ref().is_some_and(|s| &*s.file == file))
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one [{code}] in {file}, found {}:\n{}",
            found.len(),
            self.explain()
        );
        found[0]
    }

    pub fn path(&self, url: &str) -> PathBuf {
        self.out.join(url)
    }

    pub fn has(&self, url: &str) -> bool {
        self.path(url).is_file()
    }

    /// An output file's text; a missing file fails with what was written.
    pub fn html(&self, url: &str) -> String {
        fs::read_to_string(self.path(url)).unwrap_or_else(|e| {
            let files: Vec<String> = snapshot(&self.out).into_keys().collect();
            panic!("{url}: {e}\noutput has:\n{}", files.join("\n"))
        })
    }

    /// Every output file's root-relative path.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.out).into_keys().collect()
    }
}

/// `file:line:col`, the way an editor reads it.
pub fn loc(d: &Diagnostic) -> String {
    d.location()
}

/// Every file under `dir` by `/`-separated relative path, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut |rel, path| {
            out.insert(rel, fs::read(path).unwrap());
        });
    }
    out
}

/// Asserts that `got` holds the same files as `clean` (what a clean build
/// wrote), byte for byte, naming the first file that differs, with `label`
/// and the `history` of edits that led there.
pub fn assert_same_files(
    got: &BTreeMap<String, Vec<u8>>,
    clean: &BTreeMap<String, Vec<u8>>,
    label: &str,
    history: &[String],
) {
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        clean.keys().collect::<Vec<_>>(),
        "{label}: different files\n{history:#?}"
    );
    for (name, bytes) in got {
        assert!(
            bytes == &clean[name],
            "{label}: {name} differs from a clean build\n{history:#?}"
        );
    }
}

/// Every file under `dir` with its inode and modification time.
#[cfg(unix)]
pub fn identities(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    use std::os::unix::fs::MetadataExt;
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut |rel, path| {
        let m = fs::metadata(path).unwrap();
        out.insert(rel, (m.ino(), m.modified().unwrap()));
    });
    out
}

fn walk(base: &Path, dir: &Path, f: &mut dyn FnMut(String, &Path)) {
    let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if e.file_type().unwrap().is_dir() {
            walk(base, &path, f);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            f(rel, &path);
        }
    }
}

/// One URL-bearing attribute in an HTML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Lower-case tag name: `a`, `img`, `link`, `script`, `form`…
    pub tag: String,
    /// `href`, `src` or `action`.
    pub attr: String,
    /// The value with HTML entities decoded.
    pub value: String,
    /// The tag's `rel` attribute, for `<link rel="stylesheet">`.
    pub rel: Option<String>,
}

/// The URL attributes (`href`, `src`, `action`, `poster`, and each URL of a
/// `srcset`) of every tag, skipping comments and the insides of `<script>`
/// and `<style>`. Small on purpose: the theme's HTML is regular, and a
/// real parser would be one more dependency.
pub fn links(html: &str) -> Vec<Link> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else { break };
        let inner = &rest[1..gt];
        rest = &rest[gt + 1..];
        if inner.starts_with('/') || inner.starts_with('!') {
            continue;
        }
        let name_end = inner
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(inner.len());
        let tag = inner[..name_end].to_ascii_lowercase();
        let attrs = attributes(&inner[name_end..]);
        let rel = attrs
            .iter()
            .find(|(k, _)| k == "rel")
            .map(|(_, v)| v.clone());
        for (k, v) in &attrs {
            match k.as_str() {
                "href" | "src" | "action" | "poster" => out.push(Link {
                    tag: tag.clone(),
                    attr: k.clone(),
                    value: v.clone(),
                    rel: rel.clone(),
                }),
                "srcset" => {
                    for candidate in v.split(',') {
                        if let Some(url) = candidate.split_whitespace().next() {
                            out.push(Link {
                                tag: tag.clone(),
                                attr: "src".into(),
                                value: url.to_string(),
                                rel: rel.clone(),
                            });
                        }
                    }
                }
                _ => {}
            }
        }
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            rest = rest.find(&close).map_or("", |i| &rest[i..]);
        }
    }
    out
}

/// The `>` closing a tag that starts at `s[0]`, outside quoted values.
fn tag_end(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let value = if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vstart = i + 1;
                let vend = s[vstart..].find(q as char).map_or(s.len(), |j| vstart + j);
                i = (vend + 1).min(b.len());
                &s[vstart..vend]
            } else {
                let vstart = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                &s[vstart..i]
            };
            out.push((name, unescape(value)));
        } else if !name.is_empty() {
            out.push((name, String::new()));
        }
    }
    out
}

/// The HTML entities Tera's escaping and pulldown-cmark produce.
pub fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A link that leaves the site: a scheme (`https:`, `mailto:`) or `//host`.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && !url[..i].contains('/')
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// The text of the first element that starts with `open` (e.g.
/// `<section class="card pinned-block"`), up to the matching `close`.
pub fn element<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)?;
    let end = html[start..].find(close)? + start + close.len();
    Some(&html[start..end])
}

/// Where each of `needles` first occurs in `haystack`, panicking with the
/// haystack when one is missing.
pub fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            haystack
                .find(n)
                .unwrap_or_else(|| panic!("`{n}` not found in:\n{haystack}"))
        })
        .collect()
}

/// Percent-decodes a URL path as a browser does before asking the disk.
pub fn decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Resolves `href`, found in the file at root-relative `from`, to the
/// root-relative path of the file it names: `#fragment` and `?query`
/// stripped, percent-decoded, `.` and `..` applied. `None` when it is
/// root-absolute (`/x`) or climbs above the site root, which breaks under
/// a sub-path and over `file://`.
pub fn resolve(from: &str, href: &str) -> Option<String> {
    let path = href.split(['#', '?']).next().unwrap_or("");
    let path = decode(path);
    if path.is_empty() {
        return Some(from.to_string());
    }
    if path.starts_with('/') || path.starts_with('\\') {
        return None;
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {}
            "" if i + 1 < segments.len() => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// The fragment of a URL, percent-decoded, if it has one.
pub fn fragment(href: &str) -> Option<String> {
    let (_, f) = href.split_once('#')?;
    (!f.is_empty()).then(|| decode(f))
}

/// A link in the output that a reader could not follow, or a request that
/// would leave the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Root-relative file the link is written in.
    pub file: String,
    pub tag: String,
    pub attr: String,
    pub value: String,
    pub why: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{}: <{} {}=\"{}\">: {}",
            self.file, self.tag, self.attr, self.value, self.why
        )
    }
}

/// Follows every link of every `.html` file (and every `url()` of every
/// `.css` file) under `out` as a browser would from the file on disk:
/// each relative URL must name a file inside `out`, each `#fragment` an
/// `id` in its page. External URLs are allowed only as `<a href>`: nothing
/// the browser loads by itself (`src`, stylesheets, CSS `url()`, `@import`)
/// may leave the site.
pub fn crawl(out: &Path) -> Vec<Problem> {
    let files = snapshot(out);
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ids_of = |url: &str| -> Vec<String> {
        ids.entry(url.to_string())
            .or_insert_with(|| {
                let html = String::from_utf8_lossy(&files[url]);
                element_ids(&html)
            })
            .clone()
    };
    for (file, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let found: Vec<Link> = if file.ends_with(".html") {
            links(&text)
        } else if file.ends_with(".css") {
            css_urls(&text, file, &mut problems)
        } else {
            continue;
        };
        for link in found {
            let problem = |why: String| Problem {
                file: file.clone(),
                tag: link.tag.clone(),
                attr: link.attr.clone(),
                value: link.value.clone(),
                why,
            };
            let v = link.value.trim();
            if v.starts_with("data:") && link.tag != "a" {
                continue;
            }
            if v.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("file:")) {
                problems.push(problem("a file:// path of the build machine".into()));
                continue;
            }
            if is_external(v) {
                let loads_itself = match link.tag.as_str() {
                    "a" | "form" => false,
                    // `canonical`, `alternate`: names the page, loads nothing.
                    "link" => link.rel.as_deref().is_none_or(|rel| {
                        rel.split_whitespace().any(|r| {
                            matches!(
                                r.to_ascii_lowercase().as_str(),
                                "stylesheet"
                                    | "icon"
                                    | "preload"
                                    | "prefetch"
                                    | "modulepreload"
                                    | "manifest"
                            )
                        })
                    }),
                    _ => true,
                };
                if loads_itself {
                    problems.push(problem(
                        "external resource: the page would make a request off the site".into(),
                    ));
                }
                continue;
            }
            let Some(target) = resolve(file, v) else {
                problems.push(problem(
                    "root-absolute or climbs above the site root".into(),
                ));
                continue;
            };
            if !files.contains_key(&target) {
                let why = if out.join(&target).is_dir() {
                    format!("{target} is a folder (does not open over file://)")
                } else {
                    format!("{target} does not exist")
                };
                problems.push(problem(why));
                continue;
            }
            if let Some(frag) = fragment(v) {
                if target.ends_with(".html") && !ids_of(&target).contains(&frag) {
                    problems.push(problem(format!("no id=\"{frag}\" in {target}")));
                }
            }
        }
    }
    problems
}

/// Every `id="…"` in an HTML text.
pub fn element_ids(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

/// `url(…)` references of a stylesheet, as links; `@import` and absolute
/// URLs are problems of their own (a request off the site).
fn css_urls(css: &str, file: &str, problems: &mut Vec<Problem>) -> Vec<Link> {
    if css.contains("@import") {
        problems.push(Problem {
            file: file.to_string(),
            tag: "style".into(),
            attr: "@import".into(),
            value: String::new(),
            why: "@import loads another stylesheet".into(),
        });
    }
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let value = rest[..end].trim().trim_matches(['"', '\'']).to_string();
        rest = &rest[end..];
        out.push(Link {
            tag: "css".into(),
            attr: "url".into(),
            value,
            rel: None,
        });
    }
    out
}

/// A page body rendered as `content/notices/a.md` renders it (its links
/// left unresolved): HTML and diagnostics, for tests of what the Markdown
/// renderer alone makes of a text.
pub fn render_body(body: &str) -> unionpress::render::markdown::Rendered {
    use unionpress::render::markdown::{Origin, render};
    let file = unionpress::source::SourceFile::from_text(
        "a.md".into(),
        std::sync::Arc::from("content/notices/a.md"),
        body.into(),
    );
    let origin = Origin {
        file: &file,
        body: 0..body.len(),
        dir: "notices",
        url: "notices/a/index.html",
        lang: Lang::Zh,
    };
    render(&origin, &unionpress::site::Links::default())
}
