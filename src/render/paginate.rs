//! One paginator for every long list — section lists, tag pages,
//! departments and the download centre: how many entries a page of a list
//! holds, where its later pages live (`…/page/2/index.html`), which entries
//! a page shows, and the `paginator` value templates get.
//!
//! The value names only the page numbers a reader can be offered — the
//! first, the last and those within three of the current page (the theme
//! shows ±2 and marks the gap at ±3) — so each list page costs the same
//! however long the list is; listing every number made a long section
//! quadratic in its pages.

use tera::Value;

use super::context::Obj;
use crate::site::{Site, generated};

/// How far from the current page numbers are given to the template.
const NEAR: usize = 3;

/// Entries on one page of a list: the section's own `paginate`, else the
/// site's; 0 means one page for everything.
pub fn size(site: &Site, section: Option<usize>) -> usize {
    match section {
        Some(s) => generated::section_page_size(&site.config, &site.sections[s]),
        None => generated::page_size(site.config.paginate),
    }
}

/// Where a list's later pages live and how many it has are the site's to
/// say (it reserves those URLs); rendering asks the same functions.
pub use crate::site::generated::{page_count as count, paged_url as url};

/// The entries on page `n` (counted from 1).
pub fn slice<T>(items: &[T], n: usize, size: usize) -> &[T] {
    let start = (n - 1).saturating_mul(size).min(items.len());
    let end = n.saturating_mul(size).min(items.len());
    &items[start..end]
}

/// `{current, total, prev_url, next_url, pages: [{number, url, current}]}`.
pub fn value(first: &str, current: usize, total: usize) -> Value {
    let near = current.saturating_sub(NEAR).max(1)..=(current + NEAR).min(total);
    let mut numbers: Vec<usize> = Vec::with_capacity(2 * NEAR + 3);
    numbers.push(1);
    numbers.extend(near);
    numbers.push(total);
    numbers.dedup();
    let pages: Vec<Value> = numbers
        .into_iter()
        .map(|k| {
            Obj::new()
                .set("number", k)
                .set("url", url(first, k))
                .set("current", k == current)
                .build()
        })
        .collect();
    Obj::new()
        .set("current", current)
        .set("total", total)
        .opt("prev_url", (current > 1).then(|| url(first, current - 1)))
        .opt(
            "next_url",
            (current < total).then(|| url(first, current + 1)),
        )
        .set("pages", pages)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_pages_of_a_list_live_below_its_folder() {
        assert_eq!(url("downloads/index.html", 1), "downloads/index.html");
        assert_eq!(
            url("departments/工会办公室/index.html", 3),
            "departments/工会办公室/page/3/index.html"
        );
        assert_eq!(count(0, 20), 1);
        assert_eq!(count(41, 20), 3);
        assert_eq!(slice(&[1, 2, 3, 4, 5], 3, 2), &[5]);
    }

    fn numbers(current: usize, total: usize) -> Vec<u64> {
        let v = value("notices/index.html", current, total);
        v.get_from_path("pages")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|p| p.get_from_path("number").and_then(Value::as_u64).unwrap())
            .collect()
    }

    #[test]
    fn only_the_numbers_a_reader_is_offered() {
        assert_eq!(numbers(1, 1), [1]);
        assert_eq!(numbers(2, 3), [1, 2, 3]);
        assert_eq!(numbers(50, 900), [1, 47, 48, 49, 50, 51, 52, 53, 900]);
        assert_eq!(numbers(1, 900), [1, 2, 3, 4, 900]);
        assert_eq!(numbers(899, 900), [1, 896, 897, 898, 899, 900]);
    }
}
