//! `unionpress check`: every problem a build would find, and the warnings
//! only `check` gives, without writing the site. Exit code 0 when the site
//! would build, 1 when it has errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use crate::build::{Report, Request};
use crate::cli::{BuildArgs, usage_error};
use crate::diagnostics::Renderer;
use crate::i18n::{self, Lang};

/// Past this many problems, a count of each kind closes the list.
const TALLY_FROM: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Code frames, for people.
    Text,
    /// One JSON object per problem, for editors' tools.
    Json,
}

#[derive(Args, Debug, Clone)]
pub struct CheckArgs {
    /// The site folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Check pages marked `draft: true` as if they were published.
    #[arg(long)]
    pub drafts: bool,
    /// Check pages dated in the future as if they were published.
    #[arg(long)]
    pub future: bool,
    /// Check as if it were this date/time (site time zone), e.g. 2024-03-05.
    #[arg(long)]
    pub now: Option<String>,
    /// `text` (default) or `json`.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl CheckArgs {
    /// The same options a build with these flags would use.
    pub fn request(&self, lang: Option<Lang>) -> Result<Request, crate::diagnostics::Diagnostic> {
        let build = BuildArgs {
            root: self.root.clone(),
            output: None,
            drafts: self.drafts,
            future: self.future,
            now: self.now.clone(),
            verbose: true,
            no_cache: true,
        };
        let mut req = build.request(lang)?;
        req.output = None;
        Ok(req)
    }
}

pub fn run(args: &CheckArgs, lang: Option<Lang>) -> ExitCode {
    let req = match args.request(lang) {
        Ok(r) => r,
        Err(d) => return usage_error(d, lang),
    };
    let report = crate::check::run(&req);
    print(&report, args.format);
    if report.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print(report: &Report, format: Format) {
    let renderer = Renderer {
        sources: &report.sources,
        lang: report.lang,
    };
    match format {
        Format::Json => {
            let json = renderer.to_json(&report.diags);
            crate::cli::say(serde_json::to_string_pretty(&json).unwrap_or_else(|_| "[]".into()));
        }
        Format::Text => {
            renderer.emit_stderr(&report.diags);
            let errors = report.diags.iter().filter(|d| d.is_error()).count();
            let warnings = report.diags.len() - errors;
            if report.diags.len() > TALLY_FROM {
                eprintln!("{}", i18n::tally(report.lang, &tally(&report.diags)));
            }
            eprintln!(
                "{}",
                i18n::check_summary(report.lang, report.pages, errors, warnings,)
            );
        }
    }
}

/// Problems by code, most frequent first.
fn tally(diags: &[crate::diagnostics::Diagnostic]) -> Vec<(&'static str, usize)> {
    let mut counts: std::collections::BTreeMap<&'static str, usize> = Default::default();
    for d in diags {
        *counts.entry(d.msg.code()).or_default() += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}
