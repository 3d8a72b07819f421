//! What `404.html` needs to find the site's root from wherever a web server
//! serves it (nginx `error_page` answers `/union/notices/x/y/` with it):
//! the site's top-level folders and the path of `base_url`. The theme's
//! script picks the root from the address with them; see 404.html.

use tera::Value;

use crate::site::{Site, generated};

/// The top folders of the lists the build writes itself
/// ([`generated`]), the contact page's when it is written.
fn fixed_dirs(site: &Site) -> Vec<&'static str> {
    let contact = site
        .config
        .has_contact_channels()
        .then_some(generated::CONTACT);
    [
        generated::TAGS,
        generated::SEARCH,
        generated::DEPARTMENTS,
        generated::DOWNLOADS,
    ]
    .into_iter()
    .chain(contact)
    .filter_map(|url| url.split_once('/').map(|(dir, _)| dir))
    .collect()
}

/// `top_dirs_js`: every top-level folder of the output, as a script's JSON
/// array; `base_path`: the path of `base_url` (`/union/`), absent without
/// one, and `base_path_js` the same as JSON (`null` without).
pub fn values(site: &Site) -> Vec<(&'static str, Value)> {
    let mut dirs: Vec<&str> = fixed_dirs(site);
    let urls = site
        .pages
        .iter()
        .map(|p| p.url.as_str())
        .chain(site.sections.iter().map(|s| s.url.as_str()));
    for url in urls {
        if let Some((first, _)) = url.split_once('/') {
            if !dirs.contains(&first) {
                dirs.push(first);
            }
        }
    }
    dirs.sort_unstable();
    let path = site.config.base_url.as_deref().and_then(base_path);
    let mut values = vec![
        ("top_dirs_js", Value::safe_string(&script_json(&dirs))),
        ("base_path_js", Value::safe_string(&script_json(&path))),
    ];
    if let Some(path) = path {
        values.push(("base_path", Value::from(path)));
    }
    values
}

/// JSON to paste into a `<script>`: `<` escaped so no text closes it.
fn script_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
}

/// `http://gh.example.cn/union` → `/union/`; `http://gh.example.cn` → `/`.
fn base_path(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = rest.find('/').map_or("", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    let trimmed = path.trim_matches('/');
    Some(if trimmed.is_empty() {
        "/".to_string()
    } else {
        format!("/{trimmed}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        assert_eq!(script_json(&["a</script>"]), "[\"a\\u003c/script>\"]");
        assert_eq!(script_json(&None::<String>), "null");
    }

    #[test]
    fn base_paths_end_with_a_slash() {
        assert_eq!(base_path("http://gh.example.cn").as_deref(), Some("/"));
        assert_eq!(base_path("http://gh.example.cn/").as_deref(), Some("/"));
        assert_eq!(
            base_path("http://gh.example.cn/union").as_deref(),
            Some("/union/")
        );
        assert_eq!(
            base_path("https://a.cn/x/union/?q=1").as_deref(),
            Some("/x/union/")
        );
        assert_eq!(base_path("gh.example.cn/union"), None);
    }
}
