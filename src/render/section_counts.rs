//! Whether a theme can show a section's page count (`sections[].count`,
//! one of the values every template is given), decided once from the
//! templates' source.
//!
//! Every file's fingerprint includes the values every template sees
//! ([`super::context::globals`]), so a count that changes — a page
//! published, drafted, added or deleted — would mark every file of the site
//! changed. Most themes only link to the sections (the default theme's
//! menu and 404 page), so the counts are left out of the fingerprints when
//! no template can read them. The check is conservative and reads the
//! whole theme, not one template and what it extends or includes (a macro
//! or component may be called from anywhere): inside every `{{ }}` and
//! `{% %}`, `sections` may only be looped over (`for s in sections`),
//! tested (`if sections`) or measured (`sections | length`), and a loop's
//! variable only read by field (`s.url`, `s.title`) other than `count`;
//! `__tera_context` anywhere counts as reading everything. Anything else —
//! `s.count`, `{{ s }}`, `s["count"]`, `set nav = sections`, a filter
//! on the loop — is taken to show the counts. docs/THEMES.md says so.

use tera::Value;

/// One token of a Tera tag: a name, a `.`, a string literal or any other
/// character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Name(&'a str),
    Dot,
    Str,
    Other(char),
}

/// Whether any of these template sources can read a section's `count`.
pub fn shown<'a>(sources: impl IntoIterator<Item = &'a str>) -> bool {
    let tags: Vec<Vec<Tok>> = sources.into_iter().flat_map(tags).collect();
    fn looped<'a>(t: &[Tok<'a>]) -> Option<&'a str> {
        match t {
            [
                Tok::Name("for"),
                Tok::Name(var),
                Tok::Name("in"),
                Tok::Name("sections"),
            ] => Some(var),
            _ => None,
        }
    }
    let vars: Vec<&str> = tags.iter().filter_map(|t| looped(t)).collect();
    for tag in &tags {
        let declares = looped(tag).is_some();
        for (i, tok) in tag.iter().enumerate() {
            let Tok::Name(name) = *tok else { continue };
            if i > 0 && tag[i - 1] == Tok::Dot {
                // A field of something else (`t.sections`, `x.count`).
                continue;
            }
            if name == "__tera_context" {
                return true;
            }
            if name == "sections" && !declares && !tested_or_measured(tag, i) {
                return true;
            }
            let is_var = vars.contains(&name) && !(declares && i == 1);
            if is_var
                && !matches!(tag.get(i + 1..i + 3), Some([Tok::Dot, Tok::Name(f)]) if *f != "count")
            {
                return true;
            }
        }
    }
    false
}

/// `if sections`, `elif sections`, `if not sections` as a whole tag, or
/// `sections | length` anywhere.
fn tested_or_measured(tag: &[Tok], i: usize) -> bool {
    let whole = matches!(
        tag,
        [Tok::Name("if" | "elif"), Tok::Name("sections")]
            | [
                Tok::Name("if" | "elif"),
                Tok::Name("not"),
                Tok::Name("sections")
            ]
    );
    whole
        || matches!(
            tag.get(i + 1..i + 3),
            Some([Tok::Other('|'), Tok::Name("length")])
        )
}

/// The tokens of every `{{ … }}` and `{% … %}` of one template, comments
/// and `{% raw %}` blocks left out.
fn tags(source: &str) -> Vec<Vec<Tok<'_>>> {
    let mut out = Vec::new();
    let mut rest = source;
    let mut raw = false;
    while let Some(at) = rest.find('{') {
        let after = &rest[at + 1..];
        let close = match after.chars().next() {
            Some('{') => "}}",
            Some('%') => "%}",
            Some('#') => "#}",
            _ => {
                rest = after;
                continue;
            }
        };
        let inner_start = &after[1..];
        let Some(end) = inner_start.find(close) else {
            break;
        };
        let inner = &inner_start[..end];
        rest = &inner_start[end + close.len()..];
        if close == "#}" {
            continue;
        }
        let toks = tokens(inner.trim_matches(|c: char| c == '-' || c.is_whitespace()));
        let word = |w: &str| close == "%}" && toks.first() == Some(&Tok::Name(w));
        if raw {
            raw = !word("endraw");
            continue;
        }
        if word("raw") {
            raw = true;
            continue;
        }
        out.push(toks);
    }
    out
}

fn tokens(text: &str) -> Vec<Tok<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphabetic() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            out.push(Tok::Name(&text[i..end]));
        } else if matches!(c, '"' | '\'' | '`') {
            for (_, d) in chars.by_ref() {
                if d == c {
                    break;
                }
            }
            out.push(Tok::Str);
        } else if c == '.' {
            out.push(Tok::Dot);
        } else if !c.is_whitespace() {
            out.push(Tok::Other(c));
        }
    }
    out
}

/// `sections` as the fingerprints see it when no template can show the
/// counts: every field but `count`.
pub fn without_counts(sections: &Value) -> Value {
    let Some(items) = sections.as_array() else {
        return sections.clone();
    };
    let items: Vec<Value> = items
        .iter()
        .map(|s| match s.as_map() {
            Some(m) => {
                let mut m = m.clone();
                m.retain(|k, _| k.as_str() != Some("count"));
                Value::from(m)
            }
            None => s.clone(),
        })
        .collect();
    Value::from(items)
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_theme_that_only_links_to_sections_does_not_show_counts() {
        let base = "{%- if sections %}<ul>{%- for s in sections %}\
                    <li><a href=\"{{ root }}{{ s.url }}\"{% if current_url == s.url %} x{% endif %}>{{ s.title }}</a>\
                    {%- endfor %}</ul>{% endif %}<h2 id=\"sections-title\">{{ t.sections }}</h2>\
                    {# s.count in a comment #}{% raw %}{{ s.count }}{% endraw %}\
                    {{ sections | length }}";
        let archive = "{% for m in months %}{{ m.count }}{% endfor %}";
        assert!(!shown([base, archive]));
        let default =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let texts: Vec<String> =
            crate::render::templates::files_under(&default, &mut Default::default())
                .into_iter()
                .map(|(_, p)| std::fs::read_to_string(p).unwrap())
                .collect();
        assert!(
            !shown(texts.iter().map(String::as_str)),
            "the default theme"
        );
    }

    #[test]
    fn any_other_use_of_a_section_is_taken_to_show_its_count() {
        for t in [
            "{% for s in sections %}{{ s.count }}{% endfor %}",
            "{% for s in sections %}{{ s }}{% endfor %}",
            "{% for s in sections %}{{ s[\"count\"] }}{% endfor %}",
            "{% for s in sections %}{{ s | json_encode }}{% endfor %}",
            "{% for s in sections | reverse %}{{ s.title }}{% endfor %}",
            "{% set nav = sections %}",
            "{{ sections }}",
            "{{ __tera_context }}",
            "{%- for s in sections -%}{% include \"x.html\" %}{% endfor %}{{ s.count }}",
        ] {
            assert!(shown([t]), "{t}");
        }
    }
}
