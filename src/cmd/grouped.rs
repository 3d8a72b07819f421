//! Repeated warnings folded into one line each, so a site moved from
//! another generator (the same unknown key in six hundred files) prints a
//! screenful rather than thousands of code frames. Errors are never folded;
//! `unionpress check` and `build --verbose` list every warning.

use std::collections::BTreeMap;

use crate::diagnostics::{Diagnostic, Renderer};
use crate::i18n::{self, Lang, Msg};

/// A warning repeated this often (same code, same key) becomes one line.
pub const FOLD_FROM: usize = 4;

/// Files named in a folded line.
const NAMED: usize = 3;

/// What a warning is about, beyond its code: the key, for unknown keys, so
/// `layout` and `url` get a line each.
fn subject(msg: &Msg) -> &str {
    match msg {
        Msg::UnknownKey { key, .. } | Msg::UnknownSiteKey { key, .. } => key,
        _ => "",
    }
}

/// The diagnostics to show in full, in their order, and one line for each
/// group of repeated warnings.
pub fn fold(diags: &[Diagnostic], lang: Lang) -> (Vec<Diagnostic>, Vec<String>) {
    let mut groups: BTreeMap<(&str, &str), Vec<&Diagnostic>> = BTreeMap::new();
    for d in diags.iter().filter(|d| !d.is_error()) {
        groups
            .entry((d.msg.code(), subject(&d.msg)))
            .or_default()
            .push(d);
    }
    groups.retain(|_, v| v.len() >= FOLD_FROM);
    let folded =
        |d: &Diagnostic| !d.is_error() && groups.contains_key(&(d.msg.code(), subject(&d.msg)));
    let full: Vec<Diagnostic> = diags.iter().filter(|d| !folded(d)).cloned().collect();
    let mut lines: Vec<(usize, String)> = groups
        .iter()
        .map(|((code, _), items)| {
            let mut files: Vec<String> = Vec::new();
            for d in items {
                let file = d.span.as_ref().map(|s| s.file.to_string());
                if let Some(f) = file
                    && !files.contains(&f)
                {
                    files.push(f);
                }
            }
            // The first one's words, saying so when the others differ
            // (600 images without alt text are 600 different images).
            let text = items[0].msg.text(lang);
            let alike = items.iter().all(|d| d.msg.text(lang) == text);
            let text = match (alike, lang) {
                (true, _) => text,
                (false, Lang::Zh) => format!("{text}（这是第一处，其余各处内容不同）"),
                (false, Lang::En) => format!("{text} (the first of them; the others differ)"),
            };
            let line = i18n::folded_warnings(lang, code, &text, items.len(), &files, NAMED);
            (items.len(), line)
        })
        .collect();
    lines.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    (full, lines.into_iter().map(|(_, l)| l).collect())
}

/// Prints the diagnostics to standard error, repeated warnings folded
/// unless `verbose`.
pub fn emit(renderer: &Renderer, diags: &[Diagnostic], verbose: bool) {
    if verbose {
        renderer.emit_stderr(diags);
        return;
    }
    let (full, lines) = fold(diags, renderer.lang);
    renderer.emit_stderr(&full);
    for line in lines {
        eprintln!("{line}");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::diagnostics::Span;

    fn warning(file: &str, msg: Msg) -> Diagnostic {
        let span = Span {
            file: Arc::from(file),
            line: 3,
            column: 1,
            bytes: 0..1,
        };
        Diagnostic::warning(Some(span), msg)
    }

    fn no_alt(src: &str) -> Msg {
        Msg::ImageNoAlt { src: src.into() }
    }

    #[test]
    fn a_folded_line_says_when_the_warnings_it_stands_for_differ() {
        let alike: Vec<Diagnostic> = (0..FOLD_FROM)
            .map(|i| warning(&format!("content/n/{i}.md"), no_alt("logo.png")))
            .collect();
        let (full, lines) = fold(&alike, Lang::Zh);
        assert!(full.is_empty());
        assert_eq!(lines.len(), 1);
        assert!(lines[0].contains("logo.png"), "{}", lines[0]);
        assert!(!lines[0].contains("第一处"), "{}", lines[0]);

        let differ: Vec<Diagnostic> = (0..FOLD_FROM)
            .map(|i| {
                warning(
                    &format!("content/n/{i}.md"),
                    no_alt(&format!("photo-{i}.jpg")),
                )
            })
            .collect();
        for (lang, says) in [
            (Lang::Zh, "这是第一处，其余各处内容不同"),
            (Lang::En, "the others differ"),
        ] {
            let (_, lines) = fold(&differ, lang);
            assert_eq!(lines.len(), 1);
            assert!(
                lines[0].contains("photo-0.jpg") && lines[0].contains(says),
                "{}",
                lines[0]
            );
            assert!(lines[0].contains(&format!("×{FOLD_FROM}")), "{}", lines[0]);
        }
    }
}
