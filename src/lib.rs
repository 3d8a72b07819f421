//! unionpress: a static site generator for trade-union intranet sites.
//!
//! The modules follow the data: `source` (reading what editors write) →
//! `config` (site.yaml) → `content` (walk, split front matter, parse,
//! validate) → `site` (the index: URLs, sections, tags, links) → `render`
//! (Markdown, templates) → `output` (staging, atomic swap). `paths` and
//! `urls` (site-root URLs, the relative links written into pages) are the
//! floor under all of them: they import nothing of the crate.
//! `search` turns the index and the rendered text into the offline search
//! index that the output carries beside the pages.
//! `images` makes the published copies of photos (resized, upright, no
//! EXIF) and keeps them in a cache beside the site.
//! `build` runs the pipeline once; `cli` is the thin front end.
//! `heap` sets up the memory allocator before any thread starts.
//! `theme` carries the built-in default theme; `scaffold` writes new sites
//! and pages for `init` and `new`. `seeded` (tests only) is the seeded
//! random generator the tests' random cases share.

pub mod build;
pub mod cache;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod format;
pub mod heap;
pub mod i18n;
pub mod images;
pub mod output;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod search;
#[cfg(test)]
mod seeded;
pub mod serve;
pub mod site;
pub mod source;
pub mod theme;
pub mod urls;
pub mod watch;

/// Lower floors never import upper ones: each module of the pipeline, up
/// to the search index, may name only the modules below it.
#[cfg(test)]
mod floors {
    use std::path::Path;

    /// The lower floors, lowest first: a module may name with `crate::`
    /// only modules on a floor below its own.
    const FLOORS: &[&[&str]] = &[
        &["paths", "urls", "format", "seeded"],
        &["i18n", "theme"],
        &["diagnostics"],
        &["source"],
        &["config"],
        &["content"],
        &["images"],
        &["site"],
        &["render"],
        &["search"],
    ];

    fn floor(module: &str) -> Option<usize> {
        FLOORS.iter().position(|f| f.contains(&module))
    }

    /// Every `crate::<module>` named outside comments in `text`.
    fn named(text: &str) -> Vec<String> {
        let code: String = text
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let ident = |s: &str| -> String {
            s.trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect()
        };
        let mut out = Vec::new();
        let mut rest = code.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let Some(group) = rest.strip_prefix('{') else {
                out.push(ident(rest));
                continue;
            };
            // `use crate::{a::{X, Y}, b}`: the names at the group's top level.
            let (mut depth, mut start) = (0, 0);
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        out.push(ident(&group[start..k]));
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(ident(&group[start..k]));
                        start = k + 1;
                    }
                    _ => {}
                }
            }
        }
        out.retain(|n| !n.is_empty());
        out
    }

    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn lower_floors_never_import_upper_ones() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut all = Vec::new();
        files(&src, &mut all);
        let mut wrong = Vec::new();
        let mut checked = 0;
        for path in all {
            let rel = path.strip_prefix(&src).unwrap();
            let first = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs");
            let Some(own) = floor(module) else {
                continue;
            };
            checked += 1;
            let text = std::fs::read_to_string(&path).unwrap();
            for name in named(&text) {
                if name != module && floor(&name).is_none_or(|f| f >= own) {
                    wrong.push(format!("{} names crate::{name}", rel.display()));
                }
            }
        }
        assert!(checked > 30, "only {checked} files checked");
        assert!(wrong.is_empty(), "upward imports:\n{}", wrong.join("\n"));
    }

    #[test]
    fn names_are_found_in_paths_and_groups() {
        let text = "use crate::output::urls;\nlet x = crate::site::index(); // crate::build\n\
                    use crate::{render::{A, B},\n    search, };";
        assert_eq!(named(text), ["output", "site", "render", "search"]);
    }
}
