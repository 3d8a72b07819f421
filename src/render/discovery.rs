//! The lists that help readers find things: the search page, departments
//! (发布部门), each section's year → month archive and the download centre;
//! and the links pages and sections get to them (related pages, department
//! and archive URLs). What is in each list is decided in
//! `site::taxonomy`; this module only turns it into template values.

use tera::Value;

use super::context::{self, Obj};
use super::paginate;
use super::{Job, Renderer};
use crate::i18n;
use crate::site::Site;
use crate::site::generated;
use crate::site::taxonomy::{self, Archive};

/// The search page; `search.js` loads the index from `search/`.
pub const SEARCH_URL: &str = generated::SEARCH;

/// Every discovery list the site has.
pub fn jobs(site: &Site) -> Vec<Job> {
    let tax = &site.taxonomy;
    let size = paginate::size(site, None);
    let mut jobs = vec![Job::Search, Job::Departments];
    for (d, dept) in tax.departments.iter().enumerate() {
        let total = paginate::count(dept.pages.len(), size);
        jobs.extend((1..=total).map(|n| Job::Department(d, n)));
    }
    for (a, archive) in tax.archives.iter().enumerate() {
        jobs.push(Job::Archive(a));
        jobs.extend((0..archive.years.len()).map(|y| Job::ArchiveYear(a, y)));
    }
    let total = paginate::count(tax.downloads.len(), size);
    jobs.extend((1..=total).map(Job::Downloads));
    jobs
}

/// The URL of a discovery job (empty for other jobs).
pub fn url(site: &Site, job: Job) -> String {
    let tax = &site.taxonomy;
    match job {
        Job::Search => SEARCH_URL.into(),
        Job::Departments => generated::DEPARTMENTS.into(),
        Job::Department(d, n) => paginate::url(&tax.departments[d].url, n),
        Job::Archive(a) => tax.archives[a].url.clone(),
        Job::ArchiveYear(a, y) => tax.archives[a].years[y].url.clone(),
        Job::Downloads(n) => paginate::url(generated::DOWNLOADS, n),
        _ => String::new(),
    }
}

/// The template of a discovery job (the search page's for other jobs).
pub fn template(job: Job) -> &'static str {
    match job {
        Job::Departments => "departments.html",
        Job::Department(..) => "department.html",
        Job::Archive(_) | Job::ArchiveYear(..) => "archive.html",
        Job::Downloads(_) => "downloads.html",
        _ => "search.html",
    }
}

/// A month of an archive year, as both the year index and the year page
/// show it; the caller adds its link or its pages.
fn month_value(site: &Site, m: &taxonomy::ArchiveMonth) -> Obj {
    Obj::new()
        .set("month", m.month as i64)
        .set("display", i18n::month_label(site.config.lang, m.month))
        .set("id", format!("m{}", m.month))
        .set("count", m.pages.len())
}

fn year_value(site: &Site, year: &taxonomy::ArchiveYear, current: bool) -> Value {
    let lang = site.config.lang;
    let months: Vec<Value> = year
        .months
        .iter()
        .map(|m| {
            month_value(site, m)
                .set("url", format!("{}#m{}", year.url, m.month))
                .build()
        })
        .collect();
    Obj::new()
        .set("year", year.year as i64)
        .set("display", i18n::year_label(lang, year.year))
        .set("url", year.url.as_str())
        .set("count", year.count())
        .set("current", current)
        .set("months", months)
        .build()
}

fn archive_section(site: &Site, archive: &Archive) -> Value {
    let s = &site.sections[archive.section];
    Obj::new()
        .set("title", s.section.title.as_str())
        .set("url", s.url.as_str())
        .set("kind", s.section.kind.as_str())
        .opt("description", s.section.description.as_deref())
        .set("archive_url", archive.url.as_str())
        .build()
}

impl Renderer<'_> {
    /// Up to five pages sharing tags with page `i`, as list entries.
    pub(super) fn related(&self, i: usize) -> Value {
        match self.site.taxonomy.related.get(i) {
            Some(list) => self.list(list),
            None => Value::from(Vec::<Value>::new()),
        }
    }

    /// The values of a discovery job.
    pub(super) fn discovery(&self, job: Job) -> Vec<(&'static str, Value)> {
        let site = self.site;
        let tax = &site.taxonomy;
        let size = paginate::size(site, None);
        match job {
            Job::Departments => {
                let list: Vec<Value> = tax
                    .departments
                    .iter()
                    .map(|d| {
                        Obj::new()
                            .set("name", d.name.as_str())
                            .set("url", d.url.as_str())
                            .set("count", d.pages.len())
                            .build()
                    })
                    .collect();
                vec![("departments", list.into())]
            }
            Job::Department(d, n) => {
                let dept = &tax.departments[d];
                let total = paginate::count(dept.pages.len(), size);
                let value = Obj::new()
                    .set("name", dept.name.as_str())
                    .set("url", dept.url.as_str())
                    .set("count", dept.pages.len())
                    .build();
                vec![
                    ("department", value),
                    ("pages", self.list(paginate::slice(&dept.pages, n, size))),
                    ("paginator", paginate::value(&dept.url, n, total)),
                ]
            }
            Job::Archive(a) => {
                let archive = &tax.archives[a];
                let years: Vec<Value> = archive
                    .years
                    .iter()
                    .map(|y| year_value(site, y, false))
                    .collect();
                vec![
                    ("section", archive_section(site, archive)),
                    ("years", years.into()),
                ]
            }
            Job::ArchiveYear(a, y) => {
                let archive = &tax.archives[a];
                let year = &archive.years[y];
                let months: Vec<Value> = year
                    .months
                    .iter()
                    .map(|m| {
                        month_value(site, m)
                            .set("pages", self.list(&m.pages))
                            .build()
                    })
                    .collect();
                let years: Vec<Value> = archive
                    .years
                    .iter()
                    .enumerate()
                    .map(|(k, other)| year_value(site, other, k == y))
                    .collect();
                vec![
                    ("section", archive_section(site, archive)),
                    ("years", years.into()),
                    ("year", year_value(site, year, true)),
                    ("months", months.into()),
                ]
            }
            Job::Downloads(n) => {
                let total = paginate::count(tax.downloads.len(), size);
                let lang = site.config.lang;
                let rows: Vec<Value> = paginate::slice(&tax.downloads, n, size)
                    .iter()
                    .map(|dl| {
                        let p = &site.pages[dl.page];
                        let a = &p.attachments[dl.attachment];
                        let date = p
                            .page
                            .meta
                            .date
                            .as_ref()
                            .map(|d| context::date(d, lang, &site.config.timezone));
                        Obj::new()
                            .set("title", a.title.as_str())
                            .set("file", a.file.as_str())
                            .set("url", a.url.as_str())
                            .set("size", a.size)
                            .set("size_display", crate::format::human_size(a.size))
                            .set("ext", a.ext.to_uppercase())
                            .set("type_label", i18n::file_type_label(lang, &a.ext))
                            .opt("date", date)
                            .set("page", self.summary(dl.page).clone())
                            .build()
                    })
                    .collect();
                vec![
                    ("downloads", rows.into()),
                    ("count", tax.downloads.len().into()),
                    ("paginator", paginate::value(generated::DOWNLOADS, n, total)),
                ]
            }
            _ => Vec::new(),
        }
    }
}
