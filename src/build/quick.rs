//! Watch's quick paths: after a save, the page, every list showing it, the
//! search index and the feeds are rendered from the last written build and
//! written at once, before the full build that always follows checks every
//! file. Each path ([`Session::try_quick`]) takes one kind of edit — a
//! page's text, a page that moves within its lists, a page that comes, goes
//! or takes another URL, a section's text, an attachment, a template — and
//! declines ([`Declined`]) what it cannot do exactly as a full build would.

use super::*;

/// Whether two versions of a page's front matter put it in the same place:
/// same URL, same publication, same lists, same files. Fields that are only
/// shown on the page (title, summary, 文号, people, places…) may differ.
/// Values only: where a field is written in the file (its span) moves
/// whenever a line above it changes length, as a new title does.
pub(super) fn same_place(a: &content::PageMeta, b: &content::PageMeta) -> bool {
    fn text(v: &Option<(String, crate::diagnostics::Span)>) -> Option<&str> {
        v.as_ref().map(|(t, _)| t.as_str())
    }
    fn files(m: &content::PageMeta) -> impl Iterator<Item = (&String, &Option<String>)> {
        m.attachments.iter().map(|d| (&d.file, &d.title))
    }
    a.date == b.date
        && a.draft == b.draft
        && text(&a.slug) == text(&b.slug)
        && a.kind == b.kind
        && a.template == b.template
        && a.tags == b.tags
        && a.department == b.department
        && a.pinned == b.pinned
        && a.pinned_until == b.pinned_until
        && a.expires == b.expires
        && files(a).eq(files(b))
        && text(&a.cover) == text(&b.cover)
}

/// Why [`Session::try_quick`] left an edit to the full build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declined {
    /// Nothing has been written yet to update.
    NoBuildYet,
    /// `check`: there is no output.
    NoOutput,
    /// Not a page file, nor one that can become a page on its own (config,
    /// template, a section's `_index.md`, a file of a bundle, a bundle with
    /// files beside its `index.md`…).
    NotAPage(PathBuf),
    Unreadable(PathBuf),
    /// The file has an error, or the change makes one elsewhere (a link
    /// to a page that left, a list's URL a page holds); the full build
    /// reports it.
    Problems(PathBuf),
    /// It moves in a way only the full build follows: a section's Markdown
    /// links to it, or it takes the URL of a static file.
    Moved(PathBuf),
    /// It changes a value every template is given (a section's page
    /// count a template shows): every file is the full build's.
    EveryPage(PathBuf),
    /// A section's `_index.md` changes what its pages or every page show
    /// of it, or how they are listed
    /// ([`render::section_index::keeps_place`]).
    Section(PathBuf),
    /// The template failed; the full build reports it.
    Template,
    /// Template files were added, removed, or a site's own now stands for
    /// the theme's (or no longer does): the full build sees what is made.
    TemplateFiles,
    /// A write failed; the full build writes (or reports) it.
    Write(String),
    /// Another build published into the output: only a whole publish may
    /// replace what it holds.
    Replaced,
}

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Declined::NoBuildYet => write!(f, "no build written yet"),
            Declined::NoOutput => write!(f, "no output folder"),
            Declined::NotAPage(p) => write!(f, "{} is not a page file of its own", p.display()),
            Declined::Unreadable(p) => write!(f, "{} could not be read", p.display()),
            Declined::Problems(p) => write!(f, "{} has errors", p.display()),
            Declined::Moved(p) => write!(
                f,
                "{} moved where only the full build follows (a section links to it, a static file's URL)",
                p.display()
            ),
            Declined::EveryPage(p) => write!(
                f,
                "{} changes what every page is given (a section's page count a template shows)",
                p.display()
            ),
            Declined::Section(p) => write!(
                f,
                "{} changes its section's title, description, kind, sort or pagination",
                p.display()
            ),
            Declined::Template => write!(f, "a template failed"),
            Declined::TemplateFiles => write!(f, "template files were added or removed"),
            Declined::Write(u) => write!(f, "{u} could not be written"),
            Declined::Replaced => write!(f, "another build published into the output"),
        }
    }
}

/// What every quick path works from: the last written build, its
/// templates, what it wrote and where; declined when there is none, or when
/// another build has published into the output since.
fn quick_parts<'a>(
    last: &'a mut Option<Last>,
    templates: &'a Option<Templates>,
    written: &'a mut Option<Written>,
    output: &'a Option<PathBuf>,
) -> Result<(&'a mut Last, &'a Templates, &'a mut Written, &'a PathBuf), Declined> {
    let last = last.as_mut().ok_or(Declined::NoBuildYet)?;
    let templates = templates.as_ref().ok_or(Declined::NoBuildYet)?;
    let written = written.as_mut().ok_or(Declined::NoBuildYet)?;
    let out = output.as_ref().ok_or(Declined::NoOutput)?;
    if written.ledger.replaced(out) {
        return Err(Declined::Replaced);
    }
    Ok((last, templates, written, out))
}

impl Session {
    /// The fast path for the commonest edits, an editor saving a page's text
    /// or its title: when every changed path is a published page whose front
    /// matter still puts it in the same place ([`same_place`]), re-render
    /// those pages and every list that shows them
    /// ([`Renderer::jobs_showing`]), update the search index, feeds and
    /// sitemap, from the last written build, and write what changed, so the
    /// preview can reload at once. A page that only moves within the lists
    /// (a new date, tags, department, pinning or expiry:
    /// [`site::relist::only_moves`]) goes the same way once the lists are
    /// made again ([`site::relist`]): every list, and each page whose
    /// related pages or summary can differ ([`render::moves`]), is rendered
    /// if its fingerprint differs from what was last written, and a list no
    /// longer made is removed. Template edits render the files made with
    /// the edited templates (`quick_templates`), before any pages saved
    /// with them go one of the ways above. Returns
    /// the URLs written or removed (maybe none), or `None` when the edit
    /// needs a real build. Always follow it with [`Session::build`], which
    /// checks every file.
    pub fn quick(&mut self, paths: &[PathBuf]) -> Option<Vec<String>> {
        self.try_quick(paths).ok()
    }

    /// [`Session::quick`], saying why it declined. All or nothing: every
    /// changed file is read, parsed, rendered and checked before anything
    /// of the last build is replaced or written. A batch of templates and
    /// pages saved together is two such steps, the templates first, then
    /// the pages with the new templates; should the pages' step decline,
    /// the templates' files are written already, and the full build that
    /// follows does the rest.
    pub fn try_quick(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let (templates, rest): (Vec<PathBuf>, Vec<PathBuf>) =
            paths.iter().cloned().partition(|p| self.is_template(p));
        let (sections, rest): (Vec<PathBuf>, Vec<PathBuf>) =
            rest.into_iter().partition(|p| self.is_section(p));
        let (files, pages): (Vec<PathBuf>, Vec<PathBuf>) =
            rest.into_iter().partition(|p| self.is_attachment(p));
        if templates.is_empty() && sections.is_empty() && files.is_empty() {
            return self.quick_pages(paths);
        }
        let mut urls = Vec::new();
        if !templates.is_empty() {
            urls.extend(self.quick_templates()?);
        }
        if !sections.is_empty() {
            urls.extend(self.quick_sections(&sections)?);
        }
        if !files.is_empty() {
            urls.extend(self.quick_attachments(&files)?);
        }
        if !pages.is_empty() {
            urls.extend(self.quick_pages(&pages)?);
        }
        urls.sort();
        urls.dedup();
        Ok(urls)
    }

    /// [`Session::try_quick`] for a batch without templates.
    fn quick_pages(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        match self.quick_in_place(paths) {
            // Pages that come, go, or take another URL or publication.
            Err(Declined::Moved(_)) => self.quick_reshape(paths),
            Err(Declined::NotAPage(p)) if content::is_markdown(&p.to_string_lossy()) => {
                self.quick_reshape(paths)
            }
            Err(Declined::Unreadable(p)) if std::fs::symlink_metadata(&p).is_err() => {
                self.quick_reshape(paths)
            }
            done => done,
        }
    }

    /// [`Session::try_quick`] for pages that keep their place or only move
    /// within the lists.
    fn quick_in_place(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let content_dir = last.site.config.content_dir();
        let tz = last.site.config.timezone.clone();
        let (now, future) = (last.site.options.now, last.site.options.future);
        let unique = unique(paths);
        // Everything first, in memory; the last build is untouched so far.
        let mut laps = QuickLaps::start();
        let mut updates = Vec::new();
        let mut moved = Vec::new();
        for path in unique {
            let other = || Declined::NotAPage(path.clone());
            let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
            let Some(i) = last.site.pages.iter().position(|p| p.page.rel == rel) else {
                if scratch_file_gone(&last.site, &rel, path) {
                    continue;
                }
                return Err(other());
            };
            let old = &last.site.pages[i];
            let bytes = std::fs::read(path).map_err(|_| Declined::Unreadable(path.clone()))?;
            let file = crate::source::decode(path.clone(), old.page.file.display.clone(), bytes)
                .map_err(|_| Declined::Unreadable(path.clone()))?;
            let (parsed, diags) = content::parse::page(&file, &tz);
            let (meta, body) = parsed.ok_or_else(|| Declined::Problems(path.clone()))?;
            if diags.iter().any(Diagnostic::is_error) {
                return Err(Declined::Problems(path.clone()));
            }
            if !same_place(&meta, &old.page.meta) {
                // A new date, tags, department or pinning: its lists are
                // made again below. Anything else is the full build's.
                if !site::relist::only_moves(&old.page.meta, &meta, now, future) {
                    return Err(Declined::Moved(path.clone()));
                }
                moved.push((i, path.clone()));
            }
            let origin = render::markdown::Origin {
                lang: last.site.config.lang,
                file: &file,
                body: body.clone(),
                dir: old.page.dir(),
                url: &old.url,
            };
            let rendered = render::with_photos(
                &last.site,
                &old.url,
                render::markdown::render(&origin, &last.site.links),
            );
            if rendered.diags.iter().any(Diagnostic::is_error) {
                return Err(Declined::Problems(path.clone()));
            }
            updates.push((i, file, meta, body, rendered));
        }
        laps.lap("read+parse+markdown");
        // Swapped in, and swapped back should a template fail.
        let mut hashes = last.hashes.clone();
        let mut originals: Vec<Original> = Vec::new();
        for (i, file, meta, body, rendered) in updates {
            let mut page = last.site.pages[i].page.clone();
            page.file = content::PageFile::of(file);
            page.body = body;
            page.meta = std::sync::Arc::new(meta);
            let old_page = std::mem::replace(&mut last.site.pages[i].page, page);
            let body = std::sync::Arc::new(render::body::Body::fresh(rendered));
            let old_body = std::mem::replace(&mut last.bodies.pages[i], body);
            originals.push((i, old_page, old_body));
        }
        let pages: Vec<usize> = originals.iter().map(|(i, ..)| *i).collect();
        // The lists made again around the moved pages, and put back with
        // the pages should anything fail.
        let before = match moved.first() {
            None => None,
            Some((_, path)) => {
                let mut found = Diagnostics::default();
                let moved: Vec<(usize, &content::PageMeta)> = (originals.iter())
                    .filter(|(i, ..)| moved.iter().any(|(m, _)| m == i))
                    .map(|(i, page, _)| (*i, &*page.meta))
                    .collect();
                let before = site::relist::relist(&mut last.site, &moved, &mut found);
                let globals = render::context::globals(&last.site);
                if found.has_errors() || globals_hash(self.counts_shown, &globals) != last.globals {
                    undo(last, originals, Some(before));
                    return Err(Declined::Moved(path.clone()));
                }
                Some(before)
            }
        };
        laps.lap("lists");
        let remade = match &before {
            Some(b) => render::moves::summaries_to_make(&last.site, b, &pages),
            None => pages.clone(),
        };
        // Taken out of the last build rather than copied (five kilobytes
        // a page); the ones replaced are kept to put back.
        let mut summaries = std::mem::take(&mut last.summaries);
        let mut swapped = Vec::with_capacity(remade.len());
        for &i in &remade {
            let v = render::context::page_summary(
                &last.site,
                &last.site.pages[i],
                &last.bodies.pages[i],
            );
            hashes[i] = fingerprint::of_value(&v, &Known::default());
            swapped.push((i, std::mem::replace(&mut summaries[i], v)));
        }
        laps.lap("summaries");
        // Lent to the renderer and taken back, not copied.
        let renderer = Renderer {
            site: &last.site,
            templates,
            bodies: &last.bodies,
            summaries: std::mem::take(&mut summaries),
            later: None,
            extra: Default::default(),
        };
        // The pages and every list that shows them, rendered before
        // anything is written: all of them, or none. With (URL, the
        // fingerprint of what it was made from) after a move, which
        // compares every list with what was last written.
        let rendered: Result<Vec<Option<Made>>, Diagnostic> = match &before {
            None => (renderer.jobs_showing(&pages).into_par_iter())
                .map(|job| {
                    renderer
                        .render(job)
                        .map(|(url, html)| Some((url, html.into_bytes(), None)))
                })
                .collect(),
            Some(before) => {
                let last_written = render::moves::Written {
                    jobs: &written.jobs,
                    outputs: &written.outputs,
                    globals: last.globals,
                };
                (renderer.render_moved(before, &remade, &hashes, &last_written)).map(|files| {
                    (files.into_iter())
                        .map(|(url, html, fp)| Some((url, html, Some(fp))))
                        .collect()
                })
            }
        };
        let lists: Vec<String> = match &before {
            Some(_) => renderer.list_urls(),
            None => Vec::new(),
        };
        summaries = renderer.summaries;
        let mut files: Vec<Made> = match rendered {
            Ok(files) => files.into_iter().flatten().collect(),
            Err(_) => {
                for (i, v) in swapped {
                    summaries[i] = v;
                }
                last.summaries = summaries;
                undo(last, originals, before);
                return Err(Declined::Template);
            }
        };
        // The search index, the feeds and the sitemap show the page's text
        // and title too; the search cache remakes only what they changed.
        laps.lap("compare+render");
        let index = search_files(
            &last.site,
            &last.bodies.pages,
            &mut self.search,
            self.search_ahead,
        );
        let extra = render::extra::build(&last.site, &last.bodies, index.files).files;
        // After a move, files of ours the site no longer has (a tag's list
        // no page carries now, a list's last page): removed as the full
        // build would.
        let gone: Vec<String> = match &before {
            None => Vec::new(),
            Some(_) => gone_files(written, &last.site, &lists, &extra, &index.urls),
        };
        files.extend(
            extra
                .into_iter()
                .map(|(url, text)| (url, text.into_bytes(), None)),
        );
        laps.lap("search+feeds");
        // Only now is anything kept or written.
        last.summaries = summaries;
        last.hashes = hashes;
        let changed = write_quick(written, out, files, gone);
        dropped_aside((swapped, before));
        let changed = changed?;
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// [`Session::try_quick`] for pages that come, go, or take another URL
    /// or publication: a new, deleted or renamed page file, `draft:` on or
    /// off, a new `slug:`. The index is made again around them
    /// ([`site::reshape`]), what the last build kept per page follows its
    /// page ([`render::reshape`]), and the files are found, rendered and
    /// written as after a move; the old URL's files are removed through
    /// the ledger, which removes only files this session wrote.
    fn quick_reshape(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let unique = unique(paths);
        let mut changes = Vec::new();
        for path in &unique {
            if let Some(change) = page_change(&last.site, path)? {
                changes.push(change);
            }
        }
        let first = || {
            unique
                .first()
                .map_or_else(PathBuf::new, |p| p.to_path_buf())
        };
        laps.lap("read+parse");
        let mut found = Diagnostics::default();
        // What it takes from the last index is given back on the way out
        // of each decline below.
        let new = site::reshape::reshape(&mut last.site, changes, &mut found);
        if found.has_errors() {
            new.give_back(&mut last.site);
            return Err(Declined::Problems(first()));
        }
        let globals = render::context::globals(&new.site);
        if globals_hash(self.counts_shown, &globals) != last.globals {
            new.give_back(&mut last.site);
            return Err(Declined::EveryPage(first()));
        }
        // A page where a static file was: the full build decides.
        if (new.changed.iter()).any(|&j| written.statics.contains_key(&new.site.pages[j].url)) {
            new.give_back(&mut last.site);
            return Err(Declined::Moved(first()));
        }
        laps.lap("index");
        let mut before = render::reshape::Last {
            bodies: &last.bodies,
            summaries: &mut last.summaries,
            hashes: &last.hashes,
        };
        let mut carried = match render::reshape::carry(&new, &mut before) {
            Ok(c) => c,
            Err(refused) => {
                new.give_back(&mut last.site);
                return Err(match refused {
                    render::reshape::Refused::Problem(_) => Declined::Problems(first()),
                    render::reshape::Refused::Section => Declined::Moved(first()),
                });
            }
        };
        laps.lap("markdown+summaries");
        // Lent to the renderer and taken back, not copied.
        let renderer = Renderer {
            site: &new.site,
            templates,
            bodies: &carried.bodies,
            summaries: std::mem::take(&mut carried.summaries),
            later: None,
            extra: Default::default(),
        };
        let last_written = render::moves::Written {
            jobs: &written.jobs,
            outputs: &written.outputs,
            globals: last.globals,
        };
        let rendered =
            renderer.render_moved(&new.before, &carried.remade, &carried.hashes, &last_written);
        let lists = renderer.list_urls();
        carried.summaries = renderer.summaries;
        let mut files = match rendered {
            Ok(files) => fingerprinted(files),
            Err(_) => {
                render::reshape::put_back(carried, &new, &mut last.summaries);
                new.give_back(&mut last.site);
                return Err(Declined::Template);
            }
        };
        laps.lap("compare+render");
        let index = search_files(
            &new.site,
            &carried.bodies.pages,
            &mut self.search,
            self.search_ahead,
        );
        laps.lap("search");
        let extra = render::extra::build(&new.site, &carried.bodies, index.files).files;
        let gone = gone_files(written, &new.site, &lists, &extra, &index.urls);
        files.extend(
            extra
                .into_iter()
                .map(|(url, text)| (url, text.into_bytes(), None)),
        );
        laps.lap("feeds");
        // Only now is anything kept or written.
        let globals = last.globals;
        let replaced = std::mem::replace(
            last,
            Last {
                site: new.site,
                bodies: carried.bodies,
                summaries: carried.summaries,
                hashes: carried.hashes,
                globals,
            },
        );
        let changed = write_quick(written, out, files, gone);
        // The last build's index and products: ten thousand pages' worth
        // of small allocations, freed off the path to the reload.
        dropped_aside((replaced, new.before));
        let changed = changed?;
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// Whether a changed path is the `_index.md` of a section the last
    /// written build has (a new one makes a section: the full build's).
    fn is_section(&self, path: &Path) -> bool {
        let Some(last) = &self.last else {
            return false;
        };
        let content_dir = last.site.config.content_dir();
        crate::paths::relative(&content_dir, path).is_some_and(|rel| {
            let (dir, name) = rel.rsplit_once('/').unwrap_or(("", &rel));
            name == "_index.md"
                && (last.site.sections.iter())
                    .any(|s| s.section.dir == dir && s.section.file.is_some())
        })
    }

    /// [`Session::try_quick`] for sections' `_index.md` (each of a section
    /// the last build has): when each keeps its title, kind, sort,
    /// pagination and description ([`render::section_index`]), its Markdown
    /// is rendered again, and every list whose fingerprint differs from
    /// what was last written is rendered, all before any is written; the
    /// feeds and search index are made again as after a page edit.
    fn quick_sections(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let content_dir = last.site.config.content_dir();
        let unique = unique(paths);
        let mut edits = Vec::new();
        for path in unique {
            let other = || Declined::NotAPage(path.clone());
            let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
            let dir = crate::paths::parent(&rel);
            let s = (last.site.sections.iter())
                .position(|s| s.section.dir == dir)
                .ok_or_else(other)?;
            let old = &last.site.sections[s].section;
            let display = old.file.as_ref().ok_or_else(other)?.display.clone();
            let bytes = std::fs::read(path).map_err(|_| Declined::Unreadable(path.clone()))?;
            let file = crate::source::decode(path.clone(), display, bytes)
                .map_err(|_| Declined::Unreadable(path.clone()))?;
            let tz = &last.site.config.timezone;
            let (section, diags) = content::parse::section(file.into(), dir.to_string(), tz);
            let section = section.ok_or_else(|| Declined::Problems(path.clone()))?;
            if diags.iter().any(Diagnostic::is_error) {
                return Err(Declined::Problems(path.clone()));
            }
            if !render::section_index::keeps_place(old, &section) {
                return Err(Declined::Section(path.clone()));
            }
            edits.push((s, section, path));
        }
        // Swapped in, and swapped back should anything fail.
        let mut originals = Vec::new();
        for (s, section, _) in &mut edits {
            let old = std::mem::replace(&mut last.site.sections[*s].section, section.clone());
            originals.push((*s, old));
        }
        let undo = |last: &mut Last, originals: Vec<(usize, content::Section)>| {
            for (s, section) in originals {
                last.site.sections[s].section = section;
                last.bodies.sections[s] =
                    render::section_markdown(&last.site, &last.site.sections[s]);
            }
        };
        let mut problem = None;
        for (s, _, path) in &edits {
            let rendered = render::section_markdown(&last.site, &last.site.sections[*s]);
            if rendered.diags.iter().any(Diagnostic::is_error) {
                problem = Some(Declined::Problems(path.to_path_buf()));
            }
            last.bodies.sections[*s] = rendered;
        }
        let globals = render::context::globals(&last.site);
        if problem.is_none() && globals_hash(self.counts_shown, &globals) != last.globals {
            problem = Some(Declined::EveryPage(edits[0].2.clone()));
        }
        if let Some(why) = problem {
            undo(last, originals);
            return Err(why);
        }
        laps.lap("read+parse+markdown");
        let summaries = std::mem::take(&mut last.summaries);
        let (files, summaries) =
            render_from_last(last, templates, written, summaries, &[], &last.hashes);
        last.summaries = summaries;
        let Some(files) = files else {
            undo(last, originals);
            return Err(Declined::Template);
        };
        laps.lap("compare+render");
        let files = with_index_and_feeds(
            files,
            &last.site,
            &last.bodies,
            &mut self.search,
            self.search_ahead,
        );
        laps.lap("search+feeds");
        let changed = write_quick(written, out, files, Vec::new())?;
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// Whether a changed path is a file the last written build copied from
    /// `content/` (an attachment, a bundle's file), still there, and no
    /// photo (photos are made from their bytes: the full build's).
    fn is_attachment(&self, path: &Path) -> bool {
        let (Some(last), Some(written)) = (&self.last, &self.written) else {
            return false;
        };
        let site = &last.site;
        let Some(rel) = crate::paths::relative(&site.config.content_dir(), path) else {
            return false;
        };
        !content::is_markdown(&rel)
            && !site.photos.by_rel.contains_key(&rel)
            && path.is_file()
            && (site.assets.iter())
                .any(|a| a.asset.rel == rel && written.statics.contains_key(&a.url))
    }

    /// [`Session::try_quick`] for files replaced under the same name
    /// ([`Session::is_attachment`]): each file's new size put in the index
    /// ([`site::attachments`]), the summaries of the pages declaring it
    /// made again, those pages and every list rendered when their
    /// fingerprint differs from what was last written, the feeds and search
    /// index made again, and each file copied into the output.
    fn quick_attachments(&mut self, paths: &[PathBuf]) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, templates, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let content_dir = last.site.config.content_dir();
        let unique = unique(paths);
        // Swapped in, and put back should anything fail.
        let mut resized: Vec<(String, u64)> = Vec::new();
        let mut copies = Vec::new();
        let mut pages = Vec::new();
        let undo = |last: &mut Last, resized: Vec<(String, u64)>| {
            for (rel, size) in resized.into_iter().rev() {
                site::attachments::resize(&mut last.site, &rel, size);
            }
        };
        for path in unique {
            let other = || Declined::NotAPage(path.clone());
            let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
            let size = match std::fs::metadata(path) {
                Ok(m) if m.is_file() => m.len(),
                _ => {
                    undo(last, resized);
                    return Err(Declined::Unreadable(path.clone()));
                }
            };
            let Some((k, before, shown)) = site::attachments::resize(&mut last.site, &rel, size)
            else {
                undo(last, resized);
                return Err(other());
            };
            resized.push((rel, before));
            copies.push((last.site.assets[k].url.clone(), path.clone()));
            pages.extend(shown);
        }
        pages.sort_unstable();
        pages.dedup();
        let mut summaries = last.summaries.clone();
        let mut hashes = last.hashes.clone();
        for &i in &pages {
            summaries[i] = render::context::page_summary(
                &last.site,
                &last.site.pages[i],
                &last.bodies.pages[i],
            );
            hashes[i] = fingerprint::of_value(&summaries[i], &Known::default());
        }
        laps.lap("sizes+summaries");
        let (files, summaries) =
            render_from_last(last, templates, written, summaries, &pages, &hashes);
        let Some(files) = files else {
            undo(last, resized);
            return Err(Declined::Template);
        };
        laps.lap("compare+render");
        let files = with_index_and_feeds(
            files,
            &last.site,
            &last.bodies,
            &mut self.search,
            self.search_ahead,
        );
        laps.lap("search+feeds");
        // Only now is anything kept or written.
        last.summaries = summaries;
        last.hashes = hashes;
        let mut changed = write_quick(written, out, files, Vec::new())?;
        for (url, src) in copies {
            (written.ledger.copy(out, &url, &src)).map_err(|_| Declined::Write(url.clone()))?;
            written.statics.insert(url.clone(), stamp(&src));
            changed.push(url);
        }
        laps.lap("write");
        laps.print(changed.len());
        Ok(changed)
    }

    /// Whether a changed path is in a templates folder (the theme's or the
    /// site's own), after a written build.
    fn is_template(&self, path: &Path) -> bool {
        let Some(last) = &self.last else {
            return false;
        };
        let config = &last.site.config;
        let dirs = [
            config.theme_dir().join("templates"),
            config.root.join("templates"),
        ];
        dirs.iter()
            .any(|d| crate::paths::relative(d, path).is_some())
    }

    /// The quick path for template edits: the templates are loaded again
    /// and, when the same template files are there and all load without a
    /// word, the files made with a template whose own source or one it
    /// uses changed ([`Templates::uses_hash`]) are rendered from the last
    /// written build, all before any is written, and those whose bytes
    /// changed are written. The full build that follows finds their
    /// fingerprints up to date. Anything else (a template added, removed
    /// or failing) is the full build's, which reports it.
    fn quick_templates(&mut self) -> Result<Vec<String>, Declined> {
        let _lock = self.lock_output();
        let (last, old, written, out) = quick_parts(
            &mut self.last,
            &self.templates,
            &mut self.written,
            &self.req.output,
        )?;
        let mut laps = QuickLaps::start();
        let config = &last.site.config;
        let (stamps, readable) = template_stamps(config);
        let (mut diags, mut sources) = (Diagnostics::default(), Sources::default());
        let new = Templates::load(&config.root, &config.theme_dir(), &mut diags, &mut sources);
        let mut new = match new {
            Some(t) if readable && diags.is_empty() => t,
            _ => return Err(Declined::Template),
        };
        let changed = old.changed_in(&new).ok_or(Declined::TemplateFiles)?;
        // A template that starts (or stops) showing a section's page count
        // changes every file's fingerprint: the full build's.
        if render::section_counts::shown(new.sources()) != self.counts_shown {
            return Err(Declined::TemplateFiles);
        }
        new.set_globals(render::context::globals(&last.site));
        laps.lap("load templates");
        let renderer = Renderer {
            site: &last.site,
            templates: &new,
            bodies: &last.bodies,
            summaries: std::mem::take(&mut last.summaries),
            later: None,
            extra: Default::default(),
        };
        let mut known = match &renderer.later {
            Some(later) => later.known(),
            None => Known::default(),
        };
        for (v, &h) in renderer.summaries.iter().zip(&last.hashes) {
            known.insert(v, h);
        }
        let made: Result<Vec<(String, String, u64)>, Diagnostic> = (renderer.jobs_using(&changed))
            .into_par_iter()
            .map(|job| {
                let p = renderer.prepare_job(job)?;
                let fp = p.fingerprint(last.globals, &known);
                let html = renderer.render_prepared(&p)?.into_owned();
                Ok((p.url, html, fp))
            })
            .collect();
        last.summaries = renderer.summaries;
        let files = made.map_err(|_| Declined::Template)?;
        laps.lap("render");
        let (mut urls, mut reshaped) = (Vec::new(), false);
        for (url, html, fp) in files {
            let hash = fingerprint::of_bytes(html.as_bytes());
            if written.outputs.get(&url) != Some(&hash) {
                reshaped |= !written.ledger.contains(&url);
                (written.ledger.write(out, &url, html.as_bytes()))
                    .map_err(|_| Declined::Write(url.clone()))?;
                written.outputs.insert(url.clone(), hash);
                urls.push(url.clone());
            }
            written.jobs.insert(url, fp);
        }
        if reshaped {
            (written.ledger.save(out))
                .map_err(|_| Declined::Write(output::manifest::FILE.into()))?;
        }
        laps.lap("write");
        laps.print(urls.len());
        self.templates = Some(new);
        self.template_stamps = stamps;
        Ok(urls)
    }
}

/// Renders from the last written build the files that `pages` (their
/// summaries now `summaries`, fingerprinted as `hashes`) and the lists can
/// change, each only when its fingerprint differs from what was last
/// written; `None` when a template fails. Gives the summaries back.
fn render_from_last(
    last: &Last,
    templates: &Templates,
    written: &Written,
    summaries: Vec<tera::Value>,
    pages: &[usize],
    hashes: &[u64],
) -> (Option<Vec<Made>>, Vec<tera::Value>) {
    let renderer = Renderer {
        site: &last.site,
        templates,
        bodies: &last.bodies,
        summaries,
        later: None,
        extra: Default::default(),
    };
    let last_written = render::moves::Written {
        jobs: &written.jobs,
        outputs: &written.outputs,
        globals: last.globals,
    };
    let rendered = renderer.render_changed(pages, hashes, &last_written);
    (rendered.ok().map(fingerprinted), renderer.summaries)
}

/// Files of ours a quick update leaves behind: written by the last build
/// and no longer made (a page's old URL, a tag's list no page carries now,
/// a list's last page).
fn gone_files(
    written: &Written,
    site: &Site,
    lists: &[String],
    extra: &[(String, String)],
    search: &[String],
) -> Vec<String> {
    // FxHash: twenty thousand URLs on every quick update after a move.
    let live: rustc_hash::FxHashSet<&str> = (site.pages.iter().map(|p| p.url.as_str()))
        .chain(lists.iter().map(String::as_str))
        .chain(extra.iter().map(|(u, _)| u.as_str()))
        .chain(search.iter().map(String::as_str))
        .chain(written.statics.keys().map(String::as_str))
        .collect();
    (written.outputs.keys())
        .filter(|u| !live.contains(u.as_str()))
        .cloned()
        .collect()
}

/// Each of the changed `paths` once, in order.
fn unique(paths: &[PathBuf]) -> Vec<&PathBuf> {
    let mut unique: Vec<&PathBuf> = paths.iter().collect();
    unique.sort();
    unique.dedup();
    unique
}

/// A file a quick update made: URL, bytes, and the fingerprint of what a
/// page or list was made from (none for the search index and feeds).
type Made = (String, Vec<u8>, Option<u64>);

/// Rendered pages and lists with their fingerprints, as [`write_quick`]
/// takes them.
fn fingerprinted(files: Vec<(String, Vec<u8>, u64)>) -> Vec<Made> {
    (files.into_iter())
        .map(|(url, html, fp)| (url, html, Some(fp)))
        .collect()
}

/// The search index files a quick update writes: those it made again
/// ([`crate::search::changed`]), or every file when the index is `ahead`
/// of the output ([`Session::build_unless`]); [`write_quick`] writes those
/// that differ from what the output holds.
fn search_files(
    site: &Site,
    bodies: &[std::sync::Arc<render::body::Body>],
    search: &mut crate::search::Cache,
    ahead: bool,
) -> crate::search::Index {
    if ahead {
        crate::search::build(site, bodies, search)
    } else {
        crate::search::changed(site, bodies, search)
    }
}

/// `files` with the search index files the update writes
/// ([`search_files`]) and the feeds.
fn with_index_and_feeds(
    mut files: Vec<Made>,
    site: &Site,
    bodies: &render::Bodies,
    search: &mut crate::search::Cache,
    ahead: bool,
) -> Vec<Made> {
    let index = search_files(site, &bodies.pages, search, ahead);
    let extra = render::extra::build(site, bodies, index.files).files;
    files.extend(
        extra
            .into_iter()
            .map(|(url, text)| (url, text.into_bytes(), None)),
    );
    files
}

/// Writes what a quick update made that differs from what is in the
/// output (with each file's fingerprint, when it has one), removes `gone`
/// through the ledger (only files of ours), and saves the manifest when
/// files came or went; returns the URLs written or removed.
fn write_quick(
    written: &mut Written,
    out: &Path,
    files: Vec<Made>,
    gone: Vec<String>,
) -> Result<Vec<String>, Declined> {
    let mut changed = Vec::new();
    // A file added or removed: the manifest must say so.
    let mut reshaped = !gone.is_empty();
    let hashed: Vec<(String, Vec<u8>, Option<u64>, u64)> = (files.into_par_iter())
        .map(|(url, html, fp)| {
            let hash = fingerprint::of_bytes(&html);
            (url, html, fp, hash)
        })
        .collect();
    let mut differ: Vec<(String, Vec<u8>, Option<u64>, u64)> = Vec::new();
    for (url, html, fp, hash) in hashed {
        if written.outputs.get(&url) != Some(&hash) {
            reshaped |= !written.ledger.contains(&url);
            differ.push((url, html, fp, hash));
        } else if let Some(fp) = fp {
            written.jobs.insert(url, fp);
        }
    }
    // Written side by side (a page move rewrites hundreds of lists and
    // search files); each one that was written is recorded, the first
    // failure declines.
    let each: Vec<(&str, &[u8])> = (differ.iter())
        .map(|(url, html, ..)| (url.as_str(), html.as_slice()))
        .collect();
    let results = written.ledger.write_all(out, &each);
    let mut failed = None;
    for ((url, _, fp, hash), result) in differ.into_iter().zip(results) {
        match result {
            Ok(()) => {
                written.outputs.insert(url.clone(), hash);
                if let Some(fp) = fp {
                    written.jobs.insert(url.clone(), fp);
                }
                changed.push(url);
            }
            // The file as it was, and what it was made from.
            Err(_) => drop(failed.get_or_insert(Declined::Write(url))),
        }
    }
    if let Some(failed) = failed {
        return Err(failed);
    }
    for url in gone {
        written
            .ledger
            .remove(out, &url)
            .map_err(|_| Declined::Write(url.clone()))?;
        written.outputs.remove(&url);
        written.jobs.remove(&url);
        changed.push(url);
    }
    if reshaped {
        // The manifest names every file of ours, for the builds after.
        (written.ledger.save(out)).map_err(|_| Declined::Write(output::manifest::FILE.into()))?;
    }
    Ok(changed)
}

/// Drops `value` on a thread of its own: what a quick update replaced is
/// freed after the reload is sent rather than before.
fn dropped_aside<T: Send + 'static>(value: T) {
    // Should no thread be had, the closure and `value` are dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

/// What a changed path under `content/` is to [`site::reshape`]: a page
/// file as it is now, one gone, or nothing (a scratch file gone again).
/// Declined: anything else (a section, a file a page uses or could use,
/// a bundle with files beside its `index.md`: their URLs follow the page)
/// and a page file with errors, which the full build reports.
fn page_change(site: &Site, path: &Path) -> Result<Option<site::reshape::Change>, Declined> {
    let other = || Declined::NotAPage(path.to_path_buf());
    let content_dir = site.config.content_dir();
    let rel = crate::paths::relative(&content_dir, path).ok_or_else(other)?;
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    if !content::is_markdown(name) {
        return match scratch_file_gone(site, &rel, path) {
            true => Ok(None),
            false => Err(other()),
        };
    }
    let dir = crate::paths::parent(&rel);
    // Inside a bundle's folder a Markdown file is one of its files.
    let in_bundle = |d: &str| {
        (site.pages.iter()).any(|p| {
            p.page.bundle && d.starts_with(p.page.dir()) && {
                let rest = &d[p.page.dir().len()..];
                rest.is_empty() || rest.starts_with('/')
            }
        })
    };
    let bundle = name == "index.md";
    let nested = if bundle {
        rel == "index.md" || in_bundle(crate::paths::parent(dir))
    } else {
        in_bundle(dir)
    };
    if name == "_index.md" || nested {
        return Err(other());
    }
    if bundle {
        let has_files = (site.assets.iter()).any(|a| a.asset.bundle.as_deref() == Some(dir));
        let others = std::fs::read_dir(path.parent().unwrap_or(path))
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n != "index.md" && !content::is_ignored(&n)
            });
        if has_files || others {
            return Err(other());
        }
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(Some(site::reshape::Change::Gone(rel)));
        }
        Err(_) => return Err(Declined::Unreadable(path.to_path_buf())),
    };
    let display: std::sync::Arc<str> = format!("{}/{rel}", site.config.content_prefix()).into();
    let file = crate::source::decode(path.to_path_buf(), display, bytes)
        .map_err(|_| Declined::Unreadable(path.to_path_buf()))?;
    let (parsed, diags) = content::parse::page(&file, &site.config.timezone);
    let (meta, body) = parsed.ok_or_else(|| Declined::Problems(path.to_path_buf()))?;
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Declined::Problems(path.to_path_buf()));
    }
    Ok(Some(site::reshape::Change::Put(content::Page {
        file: content::PageFile::of(file),
        rel,
        bundle,
        body,
        meta: std::sync::Arc::new(meta),
    })))
}

/// Whether a changed path under `content/` is a scratch file that is gone
/// again: what `sed -i` and some editors write and then rename over the
/// page (the page is in the same batch). Nothing the last build read —
/// no Markdown file, no attachment or photo — counts: their deletion
/// changes what pages link to, which only the full build can tell.
fn scratch_file_gone(site: &site::Site, rel: &str, path: &Path) -> bool {
    !content::is_markdown(rel)
        && !site.links.contains_key(rel)
        && !site.assets.iter().any(|a| a.asset.rel == rel)
        && std::fs::symlink_metadata(path).is_err()
}

/// How long each step of a quick update took, on standard error with
/// `UNIONPRESS_TIMINGS=1` (beside the full build's stages).
struct QuickLaps {
    on: bool,
    mark: Instant,
    /// The process's CPU time at `mark` (all threads: the quick path runs
    /// on rayon's too).
    cpu: Duration,
    done: Vec<(&'static str, Duration, Duration)>,
}

impl QuickLaps {
    fn start() -> QuickLaps {
        let on = std::env::var_os("UNIONPRESS_TIMINGS").is_some();
        QuickLaps {
            on,
            mark: Instant::now(),
            cpu: if on { process_cpu() } else { Duration::ZERO },
            done: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        if self.on {
            let cpu = process_cpu();
            (self.done).push((name, self.mark.elapsed(), cpu.saturating_sub(self.cpu)));
            self.mark = Instant::now();
            self.cpu = cpu;
        }
    }

    /// `quick path, 12 files: read+parse 0.4 ms (cpu 0.4) · …`, and the
    /// totals.
    fn print(&self, files: usize) {
        if self.on {
            let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
            let parts: Vec<String> = (self.done.iter())
                .map(|(n, d, c)| format!("{n} {:.1} ms (cpu {:.1})", ms(d), ms(c)))
                .collect();
            let wall: Duration = self.done.iter().map(|(_, d, _)| *d).sum();
            let cpu: Duration = self.done.iter().map(|(_, _, c)| *c).sum();
            eprintln!(
                "quick path, {files} files: {} · total {:.1} ms (cpu {:.1})",
                parts.join(" · "),
                ms(&wall),
                ms(&cpu)
            );
        }
    }
}

/// A page of the last build as it was before [`Session::try_quick`]
/// swapped in its edit: its index, its file and its rendered Markdown.
type Original = (usize, content::Page, std::sync::Arc<render::body::Body>);

/// Puts back what [`Session::try_quick`] swapped into the last build when
/// it cannot finish: the pages as they were and, after a move, the lists.
fn undo(last: &mut Last, originals: Vec<Original>, before: Option<site::relist::Before>) {
    if let Some(before) = before {
        site::relist::restore(&mut last.site, before);
    }
    for (i, page, body) in originals {
        last.site.pages[i].page = page;
        last.bodies.pages[i] = body;
    }
}
