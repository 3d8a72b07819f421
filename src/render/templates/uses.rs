//! Which templates each template can use, read from the template sources:
//! the literal names of its `{% extends "…" %}`, `{% include "…" %}` and
//! `{% import "…" as … %}` tags, followed to the end, and every template
//! that defines a component (Tera makes components visible to all
//! templates). Tera keeps what it parsed of this to itself; reading the
//! tags here is conservative instead: a tag whose name is not a plain
//! string literal means "may use every template", and a tag inside a
//! comment or a `raw` block counts as used. From that, each template gets
//! the hash of the templates it can use, and a file rendered with it needs
//! rendering again only when that hash changes.

use std::collections::{BTreeSet, HashMap};

use xxhash_rust::xxh3::Xxh3;

/// What one template's source names.
#[derive(Debug, Default, PartialEq)]
struct Refs {
    /// Templates named by `extends`, `include` and `import`.
    names: Vec<String>,
    /// A tag names a template other than by a plain literal.
    any: bool,
    /// The template defines a component, which any template may call.
    components: bool,
}

/// The tags that name another template.
const NAMING: [&str; 3] = ["extends", "include", "import"];

/// Reads the tags of `text` that name templates.
fn refs(text: &str) -> Refs {
    let mut out = Refs::default();
    let mut rest = text;
    while let Some(at) = rest.find("{%") {
        rest = &rest[at + 2..];
        let inner = rest.strip_prefix('-').unwrap_or(rest).trim_start();
        let word_end = inner
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(inner.len());
        let word = &inner[..word_end];
        if word == "component" {
            out.components = true;
        }
        if !NAMING.contains(&word) {
            continue;
        }
        match literal(&inner[word_end..]) {
            Some(name) => out.names.push(name.to_string()),
            None => out.any = true,
        }
    }
    out
}

/// The string literal at the start of `s` (after spaces), without escapes;
/// `None` for anything else (a variable, a list, an escaped string).
fn literal(s: &str) -> Option<&str> {
    let s = s.trim_start();
    let quote = s.chars().next().filter(|c| matches!(c, '"' | '\'' | '`'))?;
    let body = &s[1..];
    let end = body.find(quote)?;
    let name = &body[..end];
    (!name.contains('\\')).then_some(name)
}

/// For each template (name, source), the hash of every template it can
/// use, itself included: their names and sources, and the names it uses
/// that no template has (one added later changes the hash).
pub(super) fn hashes(templates: &[(String, String)]) -> HashMap<String, u64> {
    let texts: HashMap<&str, &str> = templates
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let refs: HashMap<&str, Refs> = texts.iter().map(|(&n, &t)| (n, refs(t))).collect();
    let components: Vec<&str> = (refs.iter())
        .filter(|(_, r)| r.components)
        .map(|(&n, _)| n)
        .collect();
    let everything: BTreeSet<&str> = texts.keys().copied().collect();
    texts
        .keys()
        .map(|&name| {
            let used = closure(name, &refs, &components).unwrap_or_else(|| everything.clone());
            let mut h = Xxh3::new();
            for n in used {
                h.update(n.as_bytes());
                match texts.get(n) {
                    Some(text) => {
                        h.update(&[1]);
                        h.update(&xxhash_rust::xxh3::xxh3_64(text.as_bytes()).to_le_bytes());
                    }
                    None => h.update(&[0]),
                }
            }
            (name.to_string(), h.digest())
        })
        .collect()
}

/// The names `name` can use, itself included, in order; `None` when that
/// may be any template.
fn closure<'a>(
    name: &'a str,
    refs: &'a HashMap<&str, Refs>,
    components: &[&'a str],
) -> Option<BTreeSet<&'a str>> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut todo: Vec<&str> = vec![name];
    todo.extend(components);
    while let Some(n) = todo.pop() {
        if !seen.insert(n) {
            continue;
        }
        let Some(r) = refs.get(n) else {
            continue;
        };
        if r.any {
            return None;
        }
        todo.extend(r.names.iter().map(String::as_str));
    }
    Some(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    #[test]
    fn reads_the_literal_names_of_extends_include_and_import() {
        let r = refs(
            "{% extends \"base.html\" %}\n{%- include 'partials/a.html' -%}\
             {%include `b.html`%}{% import \"m.html\" as m %}{% if x %}{% endif %}",
        );
        assert_eq!(
            r.names,
            ["base.html", "partials/a.html", "b.html", "m.html"]
        );
        assert!(!r.any && !r.components);
        assert!(refs("{% include name %}").any);
        assert!(refs("{% include [\"a.html\", \"b.html\"] %}").any);
        assert!(refs("{% include \"a\\\"b.html\" %}").any);
        assert!(refs("{% component Card(title) %}{% endcomponent %}").components);
        // Words that only begin like a naming tag are not one.
        assert_eq!(
            refs("{% included %}{% set imported = 1 %}"),
            Refs::default()
        );
    }

    #[test]
    fn a_template_changes_the_hash_of_those_that_use_it_only() {
        let before = set(&[
            ("base.html", "<html>{% block main %}{% endblock %}</html>"),
            (
                "notice.html",
                "{% extends \"base.html\" %}{% block main %}{% include \"partials/meta.html\" %}{% endblock %}",
            ),
            ("tag.html", "{% extends \"base.html\" %}"),
            ("partials/meta.html", "甲"),
        ]);
        let mut after = before.clone();
        after[3].1 = "乙".into();
        let (a, b) = (hashes(&before), hashes(&after));
        assert_ne!(a["notice.html"], b["notice.html"]);
        assert_ne!(a["partials/meta.html"], b["partials/meta.html"]);
        assert_eq!(a["tag.html"], b["tag.html"]);
        assert_eq!(a["base.html"], b["base.html"]);
        let mut base = before.clone();
        base[0].1.push(' ');
        let c = hashes(&base);
        assert_ne!(a["tag.html"], c["tag.html"]);
        assert_ne!(a["notice.html"], c["notice.html"]);
        assert_eq!(a["partials/meta.html"], c["partials/meta.html"]);
    }

    #[test]
    fn a_name_not_a_literal_or_a_component_reaches_further() {
        let before = set(&[
            ("a.html", "{% include name %}"),
            ("b.html", "乙"),
            ("c.html", "丙"),
        ]);
        let mut after = before.clone();
        after[1].1 = "乙。".into();
        let (x, y) = (hashes(&before), hashes(&after));
        assert_ne!(x["a.html"], y["a.html"], "a non-literal include uses all");
        assert_eq!(x["c.html"], y["c.html"]);
        let mut with_component = after.clone();
        with_component[1].1 = "{% component Card() %}卡{% endcomponent %}".into();
        let z = hashes(&with_component);
        assert_ne!(y["c.html"], z["c.html"], "components are visible to all");
    }

    #[test]
    fn a_missing_template_named_counts_when_it_appears() {
        let before = set(&[("a.html", "{% include \"later.html\" %}")]);
        let mut after = before.clone();
        after.push(("later.html".into(), "后".into()));
        assert_ne!(hashes(&before)["a.html"], hashes(&after)["a.html"]);
    }
}
