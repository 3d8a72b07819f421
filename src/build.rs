//! One build, start to finish: load → validate → index → render → write.
//! Every stage reports into one list of diagnostics; nothing is written
//! unless the whole list is free of errors.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, Config};
use crate::content;
use crate::diagnostics::{Diagnostic, Diagnostics, Sources};
use crate::i18n::{Lang, Msg};
use crate::output::{NullSink, Sink, Staging, WriteStats};
use crate::render::templates::{Templates, files_under};
use crate::render::{self, Renderer};
use crate::site::{self, Site};

#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    /// `None`: validate everything, write nothing (`check`).
    pub output: Option<PathBuf>,
    pub options: site::Options,
    /// `--lang`, over the site's `language`.
    pub lang: Option<Lang>,
}

#[derive(Debug)]
pub struct Report {
    /// Sorted by file and line.
    pub diags: Vec<Diagnostic>,
    pub sources: Sources,
    pub lang: Lang,
    pub pages: usize,
    pub stats: Option<WriteStats>,
    pub elapsed: Duration,
}

impl Report {
    pub fn failed(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// Loads, validates and indexes a site without rendering: what `check`,
/// `build` and the watcher share.
pub struct Loaded {
    pub site: Site,
    pub templates: Option<Templates>,
}

pub fn load(
    root: &Path,
    options: site::Options,
    diags: &mut Diagnostics,
    sources: &mut Sources,
) -> Option<Loaded> {
    let config = config::load(root, diags, sources)?;
    let theme_dir = config.theme_dir();
    if !theme_dir.is_dir() {
        diags.error(
            None,
            Msg::ThemeMissing {
                name: config.theme.clone(),
                path: theme_dir.display().to_string(),
            },
        );
    }
    let (mut d1, mut s1) = (Diagnostics::default(), Sources::default());
    let (mut d2, mut s2) = (Diagnostics::default(), Sources::default());
    let tz = config.timezone.clone();
    let (content, templates) = rayon::join(
        || content::load(&config.content_dir(), root, &tz, &mut d1, &mut s1),
        || Templates::load(root, &theme_dir, &mut d2, &mut s2),
    );
    diags.extend(d1);
    diags.extend(d2);
    sources.extend(s1);
    sources.extend(s2);
    let site = site::index(config, options, content, diags);
    Some(Loaded { site, templates })
}

/// Theme static files, the site's own static files over them, and the
/// files under `content/`, by output URL.
pub fn static_files(config: &Config, site: &Site) -> BTreeMap<String, PathBuf> {
    let mut files = BTreeMap::new();
    for dir in [
        config.theme_dir().join("static"),
        config.root.join("static"),
    ] {
        files.extend(files_under(&dir));
    }
    for a in &site.assets {
        files.insert(a.url.clone(), a.asset.path.clone());
    }
    files
}

pub fn run(req: &Request) -> Report {
    let started = Instant::now();
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();
    let loaded = load(&req.root, req.options.clone(), &mut diags, &mut sources);
    let mut lang = req.lang.unwrap_or_default();
    let mut pages = 0;
    let mut stats = None;
    if let Some(Loaded { site, templates }) = loaded {
        lang = req.lang.unwrap_or(site.config.lang);
        pages = site.pages.len();
        let (bodies, md_diags) = render::markdown(&site);
        diags.extend(md_diags);
        if let Some(mut templates) = templates {
            templates.set_globals(crate::render::context::globals(&site));
            stats = write(req, &site, &templates, &bodies, &mut diags);
        }
    }
    Report {
        diags: diags.into_sorted(),
        sources,
        lang,
        pages,
        stats,
        elapsed: started.elapsed(),
    }
}

/// Renders everything; writes it only if nothing has gone wrong, before or
/// during rendering.
fn write(
    req: &Request,
    site: &Site,
    templates: &Templates,
    bodies: &render::Bodies,
    diags: &mut Diagnostics,
) -> Option<WriteStats> {
    let renderer = Renderer::new(site, templates, bodies);
    let mut statics = static_files(&site.config, site);
    let rendered: HashSet<String> = renderer
        .jobs()
        .into_iter()
        .map(|j| renderer.url(j))
        .collect();
    statics.retain(|url, _| !rendered.contains(url));

    let out = match &req.output {
        Some(out) if !diags.has_errors() => out,
        _ => {
            diags.extend(renderer.write_all(&NullSink, &statics));
            return None;
        }
    };
    if crate::output::is_unsafe_output(&req.root, out) {
        diags.error(
            None,
            Msg::UnsafeOutput {
                path: out.display().to_string(),
            },
        );
        return None;
    }
    let staging = match Staging::begin(out) {
        Ok(s) => s,
        Err(e) => {
            diags.error(
                None,
                Msg::Io {
                    path: out.display().to_string(),
                    detail: e.to_string(),
                },
            );
            return None;
        }
    };
    let found = renderer.write_all(&staging as &dyn Sink, &statics);
    if !found.is_empty() {
        diags.extend(found);
        staging.abort();
        return None;
    }
    match staging.commit() {
        Ok(stats) => Some(stats),
        Err(e) => {
            diags.error(
                None,
                Msg::Io {
                    path: out.display().to_string(),
                    detail: e.to_string(),
                },
            );
            None
        }
    }
}
