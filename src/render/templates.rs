//! Loading the theme's Tera templates (the site's own `templates/` win over
//! the theme's), turning Tera's errors into diagnostics that name the
//! template file, line and column, and knowing which templates each one can
//! use ([`uses`]), so that a template edit re-renders only the files made
//! with it.

mod uses;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::{ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Sources, Span};
use crate::i18n::Msg;
use crate::source::{self, SourceFile};

/// The templates of a site, with their sources kept to point into them.
pub struct Templates {
    pub tera: Tera,
    files: HashMap<String, Arc<SourceFile>>,
    /// Each template's hash of the templates it can use ([`uses::hashes`]).
    uses: HashMap<String, u64>,
}

/// Files of one folder, by their `/`-separated path inside it. What cannot
/// be read (a folder without permission, a broken link) is an error in
/// `diags` naming it: a template or stylesheet left out silently would
/// make a site that looks built but is not.
pub fn files_under(dir: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::content::is_ignored(&e.file_name().to_string_lossy())
        });
    let mut out = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(dir).display().to_string();
                let detail = e
                    .io_error()
                    .map_or_else(|| e.to_string(), |io| io.to_string());
                diags.error(None, Msg::Io { path, detail });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        if let Some(rel) = crate::paths::relative(dir, entry.path()) {
            out.push((rel, entry.into_path()));
        }
    }
    out
}

fn display(root: &Path, path: &Path) -> Arc<str> {
    crate::paths::slash_path(path.strip_prefix(root).unwrap_or(path)).into()
}

impl Templates {
    /// Loads `theme_dir/templates` then `root/templates` over it.
    pub fn load(
        root: &Path,
        theme_dir: &Path,
        diags: &mut Diagnostics,
        sources: &mut Sources,
    ) -> Option<Templates> {
        let mut chosen: HashMap<String, PathBuf> = HashMap::new();
        for dir in [theme_dir.join("templates"), root.join("templates")] {
            for (name, path) in files_under(&dir, diags) {
                chosen.insert(name, path);
            }
        }
        let mut files = HashMap::new();
        let mut raw = Vec::new();
        let mut names: Vec<_> = chosen.into_iter().collect();
        names.sort();
        for (name, path) in names {
            match source::read(&path, display(root, &path)) {
                Ok(file) => {
                    sources.insert(file.display.clone(), file.text.clone());
                    raw.push((name.clone(), file.text.to_string()));
                    files.insert(name, Arc::new(file));
                }
                Err((d, _)) => diags.push(d),
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml", ".htm"]);
        let uses = uses::hashes(&raw);
        let mut templates = Templates { tera, files, uses };
        if let Err(e) = templates.tera.add_raw_templates(raw) {
            diags.extend(templates.load_diagnostics(&e));
            return None;
        }
        Some(templates)
    }

    /// After parsing, Tera checks every template's filters, tests,
    /// functions, includes and blocks, and hands the problems back as one
    /// message of ready-made reports (`error: …` then ` --> name:line:col`)
    /// with no structured place. Reading the places back out lets each
    /// problem point into its template file like any other diagnostic.
    fn load_diagnostics(&self, e: &tera::Error) -> Vec<Diagnostic> {
        let ErrorKind::Msg(text) = e.kind() else {
            return vec![self.diagnostic(e, None)];
        };
        let reports = reports(text);
        let located: Vec<Diagnostic> = reports
            .iter()
            .filter_map(|&(detail, name, line, col)| {
                let span = self.span_at(name, line, col.saturating_sub(1), 0..0)?;
                let detail = detail.to_string();
                Some(Diagnostic::error(Some(span), Msg::Template { detail }))
            })
            .collect();
        if located.is_empty() || located.len() < reports.len() {
            // Something we could not place: keep Tera's whole text too.
            let mut all = located;
            all.push(self.diagnostic(e, None));
            return all;
        }
        located
    }

    /// Values every template sees (`site`, `sections`, `t`…).
    pub fn set_globals(&mut self, globals: Vec<(&'static str, tera::Value)>) {
        let ctx = self.tera.global_context();
        for (k, v) in globals {
            ctx.insert_value(k, v);
        }
    }

    /// Puts the template sources back into `sources`, for a rebuild that
    /// kept the loaded templates but may report errors inside them.
    pub fn add_sources(&self, sources: &mut Sources) {
        for file in self.files.values() {
            sources.insert(file.display.clone(), file.text.clone());
        }
    }

    /// Every template's source, for what is decided over the whole theme
    /// ([`super::section_counts`]).
    pub fn sources(&self) -> impl Iterator<Item = &str> {
        self.files.values().map(|f| &*f.text)
    }

    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// The hash of the sources of every template `name` can use (itself,
    /// its parents, what it includes, …): what a file rendered with it
    /// depends on among the templates. The same in every process for the
    /// same sources.
    pub fn uses_hash(&self, name: &str) -> u64 {
        self.uses.get(name).copied().unwrap_or_default()
    }

    /// Every template's [`Templates::uses_hash`], by name: what the build
    /// cache keeps to tell which templates changed ([`crate::cache::templates`]).
    pub fn uses(&self) -> &HashMap<String, u64> {
        &self.uses
    }

    /// The templates whose [`Templates::uses_hash`] differs in `newer`,
    /// when both have the same template files (by name and by file, the
    /// site's own or the theme's); `None` when a file was added, removed
    /// or now comes from elsewhere, which changes which templates exist.
    pub fn changed_in(&self, newer: &Templates) -> Option<Vec<String>> {
        let same_files = self.files.len() == newer.files.len()
            && (self.files.iter())
                .all(|(n, f)| newer.files.get(n).is_some_and(|g| g.path == f.path));
        if !same_files {
            return None;
        }
        let mut changed: Vec<String> = (self.uses.iter())
            .filter(|(n, h)| newer.uses.get(*n) != Some(*h))
            .map(|(n, _)| n.clone())
            .collect();
        changed.sort();
        Some(changed)
    }

    /// A Tera error as a diagnostic at the template line it names; errors
    /// without a place point at the start of the template being rendered.
    pub fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let detail = describe(e);
        let report = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
            _ => None,
        };
        let span = match report {
            Some(r) => self.span_at(
                r.filename(),
                r.span().start_line,
                r.span().start_col,
                r.span().range.clone(),
            ),
            None => rendering.and_then(|name| self.span_at(name, 1, 0, 0..0)),
        };
        let msg = match e.kind() {
            ErrorKind::TemplateNotFound(name) => Msg::TemplateMissing { name: name.clone() },
            ErrorKind::MissingParent { parent, .. } => Msg::TemplateMissing {
                name: parent.clone(),
            },
            _ => Msg::Template { detail },
        };
        Diagnostic::error(span, msg)
    }

    fn span_at(
        &self,
        name: &str,
        line: usize,
        col0: usize,
        range: std::ops::Range<usize>,
    ) -> Option<Span> {
        let file = self.files.get(name)?;
        if range.end > range.start
            && range.end <= file.text.len()
            && file.text.is_char_boundary(range.start)
        {
            return Some(file.span(range));
        }
        let start = file.lines().line_start(line);
        let col: usize = file.text[start..]
            .chars()
            .take(col0)
            .map(char::len_utf8)
            .sum();
        Some(file.span(start + col..start + col + 1))
    }
}

/// `(message, template, line, column)` of each `error: …` report in a Tera
/// message; the column is 1-based, as Tera prints it.
fn reports(text: &str) -> Vec<(&str, &str, usize, usize)> {
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .next()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(col), Some(row), Some(name)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if let (Ok(row), Ok(col)) = (row.parse(), col.parse()) {
            out.push((message, name, row, col));
        }
    }
    out
}

/// Tera's message with the causes it chains, minus its own code frame.
fn describe(e: &tera::Error) -> String {
    let mut text = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => r.message().to_string(),
        other => other.to_string(),
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_places_out_of_teras_validation_reports() {
        let text = "error: Unknown filter `nosuchfilter`\n --> notice.html:4:20\n  |\n4 | x\n  | ^\n\n\
                    error: Unknown test `odd2`\n  --> partials/a.html:12:3\n   |";
        assert_eq!(
            reports(text),
            [
                ("Unknown filter `nosuchfilter`", "notice.html", 4, 20),
                ("Unknown test `odd2`", "partials/a.html", 12, 3),
            ]
        );
    }
}
