//! Property tests over what editors type: front matter, dates, slugs, link
//! rewriting and relative URLs, and the search tokenizer. Inputs are random
//! text and random mixes of the pieces that make parsers stumble (brackets,
//! quotes, colons, entities, `---`, Chinese). Each property says that
//! nothing panics and, where there is one, that an invariant holds.
//!
//! CI runs a modest number of cases; `scripts/fuzz.sh` runs many more
//! (`PROPTEST_CASES`) and records the slowest input of each property
//! (`UNIONPRESS_FUZZ_SLOWEST=<file>`). Time is measured there, never
//! asserted here.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use unionpress::render::markdown::{Origin, render};
use unionpress::search::tokenize;
use unionpress::site::{join_rel, slug};
use unionpress::source::{SourceFile, dates, front_matter, url_policy};
use unionpress::urls;

/// Cases per property: `PROPTEST_CASES` when set (the fuzz script), else
/// `ci`, chosen so this file runs in seconds in a debug build.
/// In CI the inputs come from a fixed seed, so a run is repeatable and a
/// red CI means a change broke something; the fuzz script draws new inputs
/// every run (`PROPTEST_RNG_SEED` picks a seed either way).
fn config(ci: u32) -> ProptestConfig {
    let fuzzing: Option<u32> = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok());
    let seeded = std::env::var_os("PROPTEST_RNG_SEED").is_some();
    ProptestConfig {
        cases: fuzzing.unwrap_or(ci),
        failure_persistence: None,
        rng_seed: if fuzzing.is_some() || seeded {
            ProptestConfig::default().rng_seed
        } else {
            proptest::test_runner::RngSeed::Fixed(0x756e_696f_6e70)
        },
        ..ProptestConfig::default()
    }
}

/// Runs `f` and, when the fuzz script asks for it, records the input if it
/// is the slowest seen so far for this property.
fn timed<T>(property: &'static str, input: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    if let Ok(path) = std::env::var("UNIONPRESS_FUZZ_SLOWEST") {
        static SLOWEST: Mutex<Option<HashMap<&'static str, Duration>>> = Mutex::new(None);
        let mut guard = SLOWEST.lock().unwrap_or_else(|e| e.into_inner());
        let map = guard.get_or_insert_with(HashMap::new);
        if map.get(property).is_none_or(|&d| took > d) {
            map.insert(property, took);
            if let Ok(mut file) = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
            {
                let shown: String = input.chars().take(200).collect();
                let _ = writeln!(
                    file,
                    "{property}\t{}\t{} bytes\t{shown:?}",
                    took.as_micros(),
                    input.len()
                );
            }
        }
    }
    out
}

/// Text made of pieces from `pieces`, any characters mixed in.
fn mix(pieces: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(pieces).prop_map(str::to_string),
            1 => any::<char>().prop_map(|c| c.to_string()),
        ],
        0..max,
    )
    .prop_map(|parts| parts.concat())
}

const YAML_PIECES: &[&str] = &[
    "---\n",
    "---",
    "\n",
    "\r\n",
    "title: ",
    "date: ",
    "tags: ",
    "department: ",
    "slug: ",
    "标题：",
    "日期: ",
    "标签: ",
    "attachments:\n  - file: ",
    "    title: ",
    "source_url: ",
    "2024-03-05",
    "2024年3月5日 9:05",
    "2024-02-30",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    ": ",
    ":",
    "  ",
    "- ",
    "# ",
    "&a ",
    "*a",
    "!!str ",
    "|\n",
    ">\n",
    "\t",
    "职代会",
    "关于召开职工代表大会的通知",
    "\u{feff}",
    "\u{0}",
    "..",
    "#?",
    "javascript:alert(1)",
    "true",
    "是",
    "~",
    "null",
    "1e9999",
    "0x",
    "<<: *a",
    "? ",
    ",",
    "，",
];

const MARKDOWN_PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "![",
    "](",
    "<",
    ">",
    "javascript:",
    "JavaScript:",
    "vbscript:",
    "data:text/html,",
    "data:image/png;base64,",
    "jav&#x61;script:",
    "&#106;",
    "&colon;",
    "&#",
    "x61;",
    "<a href=",
    "<a\nhref=",
    "<img src=",
    " src=",
    " href=",
    "\"",
    "'",
    "\n",
    "\n\n",
    "[r]: ",
    "[r]",
    "* ",
    "> ",
    "```\n",
    "|",
    "# ",
    "{#id}",
    "../",
    "a.md",
    "b/",
    "%",
    "%E4",
    "附件.pdf",
    "#frag",
    "\t",
    "  ",
    "\\",
    "https://a.cn/",
    "mailto:a@b.cn",
    "职代会",
    "- [ ] ",
    "<!--",
    "-->",
    "<script>",
    "</a>",
    "`",
    "*",
    "_",
    "~~",
    "[^1]",
    "[^1]: ",
];

fn source(text: &str) -> SourceFile {
    SourceFile::from_text(
        "content/notices/a.md".into(),
        Arc::from("content/notices/a.md"),
        text.to_string(),
    )
}

fn shanghai() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Asia/Shanghai").unwrap()
}

/// Every diagnostic points inside its file.
fn spans_inside(file: &SourceFile, diags: &[unionpress::diagnostics::Diagnostic]) {
    for d in diags {
        if let Some(s) = &d.span {
            assert!(s.bytes.end <= file.text.len(), "{d:?} past the end");
            assert!(s.bytes.start <= s.bytes.end, "{d:?}");
            assert!(s.line >= 1 && s.column >= 1, "{d:?}");
            assert!(file.text.is_char_boundary(s.bytes.start), "{d:?}");
        }
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn front_matter_never_panics_and_points_inside_the_file(
        text in prop_oneof![mix(YAML_PIECES, 80), any::<String>()]
    ) {
        let file = source(&text);
        let tz = shanghai();
        let (_, diags) = timed("front matter", &text, || {
            unionpress::content::parse::page(&file, &tz)
        });
        spans_inside(&file, &diags);
        let _ = front_matter::lint(&text);
        let _ = front_matter::key_positions(&text);
    }

    #[test]
    fn dates_never_panic(text in prop_oneof![mix(YAML_PIECES, 12), any::<String>()]) {
        let tz = shanghai();
        let _ = timed("dates", &text, || dates::parse(&text, &tz));
    }

    #[test]
    fn written_dates_read_back(
        y in 1900i16..2100, m in 1i8..=12, d in 1i8..=28, form in 0usize..4,
        time in proptest::option::of((0i8..24, 0i8..60)),
    ) {
        let date = match form {
            0 => format!("{y}-{m:02}-{d:02}"),
            1 => format!("{y}/{m}/{d}"),
            2 => format!("{y}.{m}.{d}"),
            _ => format!("{y}年{m}月{d}日"),
        };
        let text = match time {
            Some((h, min)) => format!("{date} {h}:{min:02}"),
            None => date,
        };
        let got = dates::parse(&text, &shanghai()).expect("a written date parses");
        prop_assert_eq!(
            (got.local.year(), got.local.month(), got.local.day()),
            (y, m, d)
        );
        prop_assert_eq!(got.has_time, time.is_some());
        if let Some((h, min)) = time {
            prop_assert_eq!((got.local.hour(), got.local.minute()), (h, min));
        }
    }

    #[test]
    fn a_slug_is_always_a_safe_file_name(
        text in prop_oneof![
            any::<String>(),
            mix(&["职代会", "..", ".", "-", " ", "CON", "aux", "?", "#", "/", "\\", ":",
                  "关于进一步加强新时代产业工人队伍建设改革", "A", "é", "\u{0}", "\n", "。"], 60),
        ]
    ) {
        if let Some(s) = timed("slug", &text, || slug::slugify(&text)) {
            prop_assert!(!s.is_empty());
            prop_assert!(s.len() <= slug::MAX_SLUG_BYTES, "{} bytes: {}", s.len(), s);
            prop_assert!(s != "." && s != "..");
            // (`con` becomes `con-`: a trailing `-` is how reserved names are kept.)
            prop_assert!(!s.starts_with(['.', '-']) && !s.ends_with('.'), "{}", s);
            prop_assert!(
                !s.chars().any(|c| c.is_control() || c.is_whitespace()
                    || "<>:\"|?*#%/\\".contains(c)),
                "{:?}", s
            );
            prop_assert_eq!(slug::windows_rename(&s), None, "{:?} is not a Windows name", s);
            // A slug is its own slug: no second pass changes a URL.
            prop_assert_eq!(slug::slugify(&s), Some(s.clone()));
        }
    }

    #[test]
    fn a_relative_url_leads_back_to_its_target(
        from in prop::collection::vec("[a-z0-9一-十]{1,4}", 0..4),
        to in prop::collection::vec("[a-z0-9一-十]{1,4}", 0..4),
        to_file in prop_oneof![Just("index.html".to_string()), "[a-z一-十 %#]{1,6}\\.pdf"],
    ) {
        let from_url = [from.clone(), vec!["index.html".into()]].concat().join("/");
        let to_url = [to.clone(), vec![to_file]].concat().join("/");
        let rel = urls::relative(&from_url, &to_url);
        let back = join_rel(&from.join("/"), &rel);
        prop_assert_eq!(back.as_deref(), Some(to_url.as_str()), "{} → {}: {}", from_url, to_url, rel);
        // What goes into an href decodes to the same path.
        prop_assert_eq!(urls::decode(&urls::encode(&rel)), rel);
    }

    #[test]
    fn encoding_and_decoding_a_path_round_trips(text in any::<String>()) {
        prop_assert_eq!(urls::decode(&urls::encode(&text)), text);
    }

    #[test]
    fn markdown_never_panics_nor_emits_a_script_url(text in mix(MARKDOWN_PIECES, 60)) {
        let file = source(&text);
        let origin = Origin {
            file: &file,
            body: 0..text.len(),
            dir: "notices",
            url: "notices/a/index.html",
            lang: unionpress::i18n::Lang::Zh,
        };
        let links: unionpress::site::Links = [
            ("notices/a.md", "notices/a/index.html"),
            ("notices/附件.pdf", "notices/附件.pdf"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let out = timed("markdown", &text, || render(&origin, &links));
        spans_inside(&file, &out.diags);
        for (name, value) in url_attributes(&out.html) {
            prop_assert!(
                url_policy::unsafe_scheme(&value).is_none(),
                "{}={:?} in {:?} from {:?}", name, value, out.html, text
            );
        }
    }

    #[test]
    fn a_rewritten_link_resolves_to_the_page_it_names(
        page_dir in prop::collection::vec("[a-z一-十]{1,3}", 0..3),
        target_dir in prop::collection::vec("[a-z一-十]{1,3}", 0..3),
        name in "[a-z一-十 %#]{1,6}",
    ) {
        let dir = page_dir.join("/");
        let page_url = [page_dir.clone(), vec!["p".into(), "index.html".into()]].concat().join("/");
        let target_rel = [target_dir.clone(), vec![format!("{name}.pdf")]].concat().join("/");
        let target_url = format!("files/{target_rel}");
        let links: unionpress::site::Links =
            [(target_rel.clone(), target_url.clone())].into_iter().collect();
        // The link as an editor writes it: relative to the page's folder.
        let up = "../".repeat(page_dir.len());
        let text = format!("[附件](<{}{}>)", up, urls::encode(&target_rel));
        let file = source(&text);
        let origin = Origin {
            file: &file,
            body: 0..text.len(),
            dir: &dir,
            url: &page_url,
            lang: unionpress::i18n::Lang::Zh,
        };
        let out = render(&origin, &links);
        prop_assert!(out.diags.is_empty(), "{:?}", out.diags);
        let href = url_attributes(&out.html)
            .into_iter()
            .find(|(n, _)| n == "href")
            .map(|(_, v)| v)
            .expect("a link");
        let page_folder = page_url.rsplit_once('/').map_or("", |(d, _)| d);
        let back = join_rel(page_folder, &urls::decode(&href));
        prop_assert_eq!(back, Some(target_url), "{} in {}", href, out.html);
    }

    #[test]
    fn tokens_of_texts_joined_by_a_space_are_the_tokens_of_each(
        a in prop_oneof![any::<String>(), "[a-zA-Z0-9一-龥〔〕，。 ]{0,40}"],
        b in prop_oneof![any::<String>(), "[a-zA-Z0-9一-龥〔〕，。 ]{0,40}"],
    ) {
        let tokens = |t: &str| {
            let mut out = Vec::new();
            tokenize::index_tokens(t, |tok| out.push(tok.to_string()));
            out
        };
        let joined = format!("{a} {b}");
        let both = timed("tokenizer", &joined, || tokens(&joined));
        prop_assert_eq!(both, [tokens(&a), tokens(&b)].concat());
    }

    #[test]
    fn every_chinese_phrase_of_a_text_is_found_by_its_pairs(
        text in "[a-z0-9一-龥，。 ]{1,60}",
        start in 0usize..60, len in 2usize..8,
    ) {
        let mut index = std::collections::HashSet::new();
        tokenize::index_tokens(&text, |t| { index.insert(t.to_string()); });
        let chars: Vec<char> = text.chars().collect();
        let start = start % chars.len();
        let phrase: Vec<char> = chars[start..].iter().take(len).copied().collect();
        if phrase.len() >= 2 && phrase.iter().all(|&c| tokenize::is_cjk(c)) {
            for pair in phrase.windows(2) {
                let pair: String = pair.iter().collect();
                prop_assert!(index.contains(&pair), "{} not indexed from {}", pair, text);
            }
        }
    }
}

/// `(name, value)` of every `href`/`src`/`action`… attribute of every tag,
/// entity references left as written: a small tag reader of its own, not
/// the one under test.
fn url_attributes(html: &str) -> Vec<(String, String)> {
    const NAMES: &[&str] = &[
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "xlink:href",
        "data",
        "background",
    ];
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| i + p) {
        // As a browser reads: a comment, or the text of a script or style
        // element, holds no tags.
        if html[lt..].starts_with("<!--") {
            match html[lt + 4..].find("-->") {
                Some(end) => {
                    i = lt + 4 + end + 3;
                    continue;
                }
                None => break,
            }
        }
        // As a browser reads: `<` opens a start tag only before a letter
        // (`<\n`, `< a`, `<1` are text).
        if !bytes.get(lt + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = lt + 1;
            continue;
        }
        let mut j = lt + 1;
        // The tag name.
        while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
            j += 1;
        }
        let tag = html[lt + 1..j].to_ascii_lowercase();
        loop {
            while j < bytes.len() && (bytes[j].is_ascii_whitespace() || bytes[j] == b'/') {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'<' {
                break;
            }
            let name_start = j;
            while j < bytes.len()
                && !matches!(bytes[j], b'=' | b'>' | b'<')
                && !bytes[j].is_ascii_whitespace()
            {
                j += 1;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if bytes.get(j) != Some(&b'=') {
                continue;
            }
            j += 1;
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let value = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[j + 1..]
                        .find(q as char)
                        .map_or(bytes.len(), |e| j + 1 + e);
                    let v = &html[j + 1..end];
                    j = (end + 1).min(bytes.len());
                    v
                }
                _ => {
                    let s = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    &html[s..j]
                }
            };
            if NAMES.contains(&name.as_str()) {
                out.push((name, value.replace("&amp;", "&")));
            }
        }
        i = j.max(lt + 1);
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            match html[i.min(html.len())..].to_ascii_lowercase().find(&close) {
                Some(end) => i += end + close.len(),
                None => break,
            }
        }
        if i >= html.len() {
            break;
        }
    }
    out
}
