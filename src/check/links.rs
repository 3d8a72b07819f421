//! Links to headings (`other.md#heading`, `#heading`) that lead nowhere, and
//! images without alternative text.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;
use crate::render::Bodies;
use crate::render::markdown::{Rendered, anchor};
use crate::site::Site;

/// Fragments a browser understands on any page.
const ALWAYS: &[&str] = &["top"];

pub fn anchors_and_alt_text(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    let docs = super::documents(site, bodies);
    let ids: HashMap<&str, HashSet<String>> =
        docs.iter().map(|(url, r)| (*url, ids_of(r))).collect();
    let mut out = Vec::new();
    for (url, r) in &docs {
        for link in &r.refs {
            if link.image && !link.alt {
                let src = link.dest.clone();
                out.push(Diagnostic::warning(
                    Some(link.span.clone()),
                    Msg::ImageNoAlt { src },
                ));
            }
            let Some(fragment) = link.fragment.as_ref().filter(|_| link.internal) else {
                continue;
            };
            let same_page = link.dest.starts_with('#');
            let target = if same_page {
                Some(*url)
            } else {
                link.target.as_deref()
            };
            // Files (a PDF's `#page=2`) and links that resolve to nothing
            // (already reported) are not checked here.
            let Some(known) = target.and_then(|t| ids.get(t)) else {
                continue;
            };
            if known.contains(fragment.as_str()) || ALWAYS.contains(&fragment.as_str()) {
                continue;
            }
            let shown = match same_page {
                true => String::new(),
                false => link.dest.split('#').next().unwrap_or_default().to_string(),
            };
            out.push(Diagnostic::warning(
                Some(link.span.clone()),
                Msg::BrokenAnchor {
                    target: shown,
                    fragment: fragment.clone(),
                    suggestion: closest(fragment, known),
                },
            ));
        }
    }
    out
}

/// The `id`s (and old-style `<a name>`s) in a rendered body: headings,
/// footnotes and raw HTML alike.
fn ids_of(r: &Rendered) -> HashSet<String> {
    let mut ids: HashSet<String> = r.toc.iter().map(|h| h.id.clone()).collect();
    for attr in [" id=\"", " name=\""] {
        let mut rest = r.html.as_str();
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else { break };
            ids.insert(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    ids
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The id the editor probably meant: the heading text written out in full
/// (`#一、参会人员` → `一参会人员`), or the nearest spelling.
fn closest(fragment: &str, known: &HashSet<String>) -> Option<String> {
    let as_anchor = anchor(fragment);
    if known.contains(&as_anchor) {
        return Some(as_anchor);
    }
    let len = fragment.chars().count();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(fragment, k), k))
        .filter(|(d, _)| *d <= 2.max(len / 3) && *d < len)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, k)| k.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_text_written_in_full_suggests_its_anchor() {
        let known: HashSet<String> = ["一参会人员", "二会议议程"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            closest("一、参会人员", &known).as_deref(),
            Some("一参会人员")
        );
        assert_eq!(closest("二会议义程", &known).as_deref(), Some("二会议议程"));
        assert_eq!(closest("附件", &known), None);
    }
}
