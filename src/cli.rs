//! The command line: parse arguments, run a command, print its report.
//! Thin on purpose: every command is a call into the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build;
use crate::diagnostics::{Diagnostic, Diagnostics, Renderer, Sources};
use crate::i18n::{self, Lang, Msg};
use crate::site;

#[derive(Parser, Debug)]
#[command(
    name = "unionpress",
    version,
    about = "工会内网站点生成器 · a static site generator for trade-union intranets"
)]
pub struct Cli {
    /// Language of messages: zh (default, or the site's `language`) or en.
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Create a new site, ready to build, in DIR (default: here).
    Init(crate::cmd::init::InitArgs),
    /// Create a new page: notice, policy, event or page, with its title.
    New(crate::cmd::new::NewArgs),
    /// Find every problem a build would, and more, without writing the site.
    Check(crate::cmd::check::CheckArgs),
    /// Build, then keep the output folder up to date as files change.
    Watch(crate::cmd::watch::WatchArgs),
    /// Watch, and preview the site in a browser with live reload.
    Serve(crate::cmd::serve::ServeArgs),
}

#[derive(Args, Debug, Clone)]
pub struct BuildArgs {
    /// The site folder (where site.yaml is).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: `public` in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include pages dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Build as if it were this date/time (site time zone), e.g. 2024-03-05.
    #[arg(long)]
    pub now: Option<String>,
    /// `build` only: ignore and leave no build cache (.unionpress/cache/).
    #[arg(long)]
    pub no_cache: bool,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_tag(s).ok_or_else(|| i18n::unknown_lang(s))
}

impl BuildArgs {
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }

    /// `--now` is read in the site's time zone, so the config is peeked at.
    pub fn options(&self) -> Result<site::Options, Diagnostic> {
        let now = match &self.now {
            None => jiff::Timestamp::now(),
            Some(text) => {
                let tz = site_timezone(&self.root);
                match crate::source::dates::parse(text, &tz) {
                    Some(m) => m.ts,
                    None => {
                        return Err(Diagnostic::error(
                            None,
                            Msg::BadNow {
                                value: text.clone(),
                            },
                        ));
                    }
                }
            }
        };
        Ok(site::Options {
            drafts: self.drafts,
            future: self.future,
            now,
        })
    }

    pub fn request(&self, lang: Option<Lang>) -> Result<build::Request, Diagnostic> {
        Ok(build::Request {
            root: self.root.clone(),
            output: Some(self.output_dir()),
            options: self.options()?,
            lang,
        })
    }
}

fn site_timezone(root: &Path) -> jiff::tz::TimeZone {
    let (mut d, mut s) = (Diagnostics::default(), Sources::default());
    crate::config::load(root, &mut d, &mut s)
        .map(|c| c.timezone)
        .unwrap_or_else(|| crate::config::Config::with_defaults(root, "").timezone)
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Command::Build(args) => crate::cmd::build::run(args, cli.lang),
        Command::Init(args) => crate::cmd::init::run(args, cli.lang),
        Command::New(args) => crate::cmd::new::run(args, cli.lang),
        Command::Check(args) => crate::cmd::check::run(args, cli.lang),
        Command::Watch(args) => crate::cmd::watch::run(args, cli.lang),
        Command::Serve(args) => crate::cmd::serve::run(args, cli.lang),
    }
}

pub fn usage_error(d: Diagnostic, lang: Option<Lang>) -> ExitCode {
    let sources = Sources::default();
    Renderer {
        sources: &sources,
        lang: lang.unwrap_or_default(),
    }
    .emit_stderr(&[d]);
    ExitCode::FAILURE
}

/// Prints a line on standard output. A reader that has gone away (the
/// output piped into `head`) is not an error worth a panic.
pub fn say(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Stage timings on standard error when `UNIONPRESS_TIMINGS` is set.
pub fn print_timings(report: &build::Report) {
    if std::env::var_os("UNIONPRESS_TIMINGS").is_some() {
        eprintln!("{}", report.timings());
    }
}

/// Prints diagnostics and the closing line; the exit code says whether the
/// build succeeded.
pub fn print_report(report: &build::Report) -> ExitCode {
    print_timings(report);
    if let Some(note) = &report.note {
        say(note.clone());
    }
    let renderer = Renderer {
        sources: &report.sources,
        lang: report.lang,
    };
    renderer.emit_stderr(&report.diags);
    let errors = report.diags.iter().filter(|d| d.is_error()).count();
    let warnings = report.diags.len() - errors;
    if errors > 0 {
        eprintln!("{}", i18n::build_failed(report.lang, errors, warnings));
        return ExitCode::FAILURE;
    }
    if let Some(stats) = report.stats {
        let ms = report.elapsed.as_millis();
        say(i18n::build_summary(
            report.lang,
            report.pages,
            stats.files,
            stats.changed,
            ms,
        ));
        if let Some(index) = report.search {
            say(i18n::search_summary(
                report.lang,
                index.docs,
                index.files,
                index.bytes,
            ));
        }
        say(i18n::feeds_summary(report.lang, report.feeds));
    }
    if warnings > 0 {
        eprintln!("{}", i18n::warnings_only(report.lang, warnings));
    }
    ExitCode::SUCCESS
}
