//! Ways into the pages besides sections and tags: one list per department
//! (发布部门), a year → month archive of each section, the pages related to
//! each page by shared tags, and the download centre listing every
//! attachment of the site.
//!
//! Built from the placed pages at the end of [`super::index`]; it decides
//! lists and their URLs, and leaves how they look to the templates.

use std::collections::{BTreeMap, HashMap};

use super::{SitePage, SiteSection, generated, newest_first, slug};
use crate::diagnostics::Diagnostics;

/// How many related pages a page shows.
pub const RELATED_MAX: usize = 5;

#[derive(Debug)]
pub struct Department {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug)]
pub struct ArchiveMonth {
    pub month: i8,
    /// Newest first.
    pub pages: Vec<usize>,
}

#[derive(Debug)]
pub struct ArchiveYear {
    pub year: i16,
    pub url: String,
    /// Newest month first.
    pub months: Vec<ArchiveMonth>,
}

impl ArchiveYear {
    pub fn count(&self) -> usize {
        self.months.iter().map(|m| m.pages.len()).sum()
    }
}

/// A section's dated pages by year and month.
#[derive(Debug)]
pub struct Archive {
    pub section: usize,
    pub url: String,
    /// Newest year first.
    pub years: Vec<ArchiveYear>,
}

/// One attachment of one page, for the download centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Download {
    pub page: usize,
    /// Index into the page's `attachments`.
    pub attachment: usize,
}

#[derive(Debug, Default)]
pub struct Taxonomy {
    /// By name.
    pub departments: Vec<Department>,
    pub archives: Vec<Archive>,
    /// For each page, up to [`RELATED_MAX`] other pages sharing its tags.
    pub related: Vec<Vec<usize>>,
    /// Every attachment, newest page first.
    pub downloads: Vec<Download>,
}

impl Taxonomy {
    /// The department list a page's `department` names, if any.
    pub fn department_of(&self, p: &SitePage) -> Option<&Department> {
        let slug = slug::slugify(p.page.meta.department.as_deref()?)?;
        self.departments.iter().find(|d| d.slug == slug)
    }

    /// The archive of a section, if it has dated pages.
    pub fn archive_of(&self, section: usize) -> Option<&Archive> {
        self.archives.iter().find(|a| a.section == section)
    }
}

/// Builds every list. `claimed` maps URLs taken by pages and sections to
/// the file that took them; a list whose URL is taken is left out, with an
/// error naming the file.
pub fn build(
    pages: &[SitePage],
    sections: &[SiteSection],
    claimed: &HashMap<String, String>,
    diags: &mut Diagnostics,
) -> Taxonomy {
    let mut departments = departments(pages, diags);
    let mut free = |url: &str| match claimed.get(&url.to_lowercase()) {
        Some(other) if other != generated::BY_BUILD => {
            // The list is left out; the page holding its URL is told.
            let holder = pages.iter().find(|p| p.url.eq_ignore_ascii_case(url));
            let span = holder.map(|p| p.slug_or_start_span());
            diags.push(generated::clash(url, span, generated::BY_BUILD, true));
            false
        }
        _ => true,
    };
    departments.retain(|d| free(&d.url));
    let mut archives = archives(pages, sections);
    for a in &mut archives {
        a.years.retain(|y| free(&y.url));
    }
    Taxonomy {
        departments,
        archives,
        related: related(pages),
        downloads: downloads(pages),
    }
}

fn departments(pages: &[SitePage], diags: &mut Diagnostics) -> Vec<Department> {
    // Keyed by slug, as tags are; the first spelling seen names the list.
    let mut by_slug: BTreeMap<String, Department> = BTreeMap::new();
    for (i, p) in pages.iter().enumerate() {
        let Some(name) = p.page.meta.department.as_deref().map(str::trim) else {
            continue;
        };
        let Some(slug) = slug::slugify(name) else {
            super::unusable_name(&p.page, "department", name, diags);
            continue;
        };
        by_slug
            .entry(slug.clone())
            .or_insert_with(|| Department {
                name: name.to_string(),
                url: generated::department_url(&slug),
                slug: slug.clone(),
                pages: Vec::new(),
            })
            .pages
            .push(i);
    }
    let mut out: Vec<Department> = by_slug.into_values().collect();
    for d in &mut out {
        d.pages.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
    }
    out
}

fn archives(pages: &[SitePage], sections: &[SiteSection]) -> Vec<Archive> {
    let mut out = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        let Some(url) = generated::archive_url(section) else {
            continue;
        };
        let mut tree: BTreeMap<i16, BTreeMap<i8, Vec<usize>>> = BTreeMap::new();
        for &i in &section.pages {
            if let Some(d) = pages[i].page.meta.date {
                let day = d.date();
                tree.entry(day.year())
                    .or_default()
                    .entry(day.month())
                    .or_default()
                    .push(i);
            }
        }
        if tree.is_empty() {
            continue;
        }
        let years = tree
            .into_iter()
            .rev()
            .map(|(year, months)| ArchiveYear {
                year,
                url: generated::archive_year_url(section, year),
                months: months
                    .into_iter()
                    .rev()
                    .map(|(month, mut list)| {
                        list.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
                        ArchiveMonth { month, pages: list }
                    })
                    .collect(),
            })
            .collect();
        out.push(Archive {
            section: s,
            url,
            years,
        });
    }
    out
}

/// Pages sharing the most tags first; among equals current before expired,
/// then newest.
fn related(pages: &[SitePage]) -> Vec<Vec<usize>> {
    let mut by_tag: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        for &t in &p.tags {
            by_tag.entry(t).or_default().push(i);
        }
    }
    use rayon::prelude::*;
    // Counting shared tags touches every page of every tag a page has:
    // tens of millions of increments at 10,000 pages, so each thread counts
    // in a dense array it reuses, not in a hash map.
    let n = pages.len();
    (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0u32; n], Vec::new()),
            |(counts, touched), i| {
                for t in &pages[i].tags {
                    for &j in by_tag.get(t).into_iter().flatten() {
                        if j != i {
                            if counts[j] == 0 {
                                touched.push(j);
                            }
                            counts[j] += 1;
                        }
                    }
                }
                let mut list: Vec<(usize, usize)> =
                    touched.iter().map(|&j| (j, counts[j] as usize)).collect();
                for &j in touched.iter() {
                    counts[j] = 0;
                }
                touched.clear();
                related_top(pages, &mut list)
            },
        )
        .collect()
}

/// The best of the candidates: most shared tags, current before expired,
/// then newest.
fn related_top(pages: &[SitePage], list: &mut Vec<(usize, usize)>) -> Vec<usize> {
    let order = |&(a, na): &(usize, usize), &(b, nb): &(usize, usize)| {
        nb.cmp(&na)
            .then(pages[a].expired.cmp(&pages[b].expired))
            .then_with(|| newest_first(&pages[a], &pages[b]))
    };
    // Only the first few are kept: select them, then sort those.
    if list.len() > RELATED_MAX {
        list.select_nth_unstable_by(RELATED_MAX, order);
        list.truncate(RELATED_MAX);
    }
    list.sort_by(order);
    list.iter().map(|&(j, _)| j).collect()
}

fn downloads(pages: &[SitePage]) -> Vec<Download> {
    let mut order: Vec<usize> = (0..pages.len())
        .filter(|&i| !pages[i].attachments.is_empty())
        .collect();
    order.sort_by(|&a, &b| newest_first(&pages[a], &pages[b]));
    order
        .into_iter()
        .flat_map(|page| {
            (0..pages[page].attachments.len()).map(move |attachment| Download { page, attachment })
        })
        .collect()
}
