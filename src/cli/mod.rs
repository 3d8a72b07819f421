//! The command line: parse arguments, run a command, print its report.
//! Thin on purpose: every command is a call into the library. [`zh`] puts
//! `--help` and clap's messages into Chinese, the default.

mod zh;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

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
    /// List every warning, also those repeated in many files.
    #[arg(long)]
    pub verbose: bool,
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

/// The nearest folder, from `start` up, that holds site.yaml (as git and
/// cargo look for theirs), so `unionpress build` works from inside
/// `content/`. `None` when no folder up to the file-system root has one.
pub fn find_site_root(start: &Path) -> Option<PathBuf> {
    let start = std::fs::canonicalize(start).ok()?;
    start
        .ancestors()
        .find(|d| d.join(crate::config::FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

/// The `--root` of the commands that read a site.
fn site_root(command: &mut Command) -> Option<&mut PathBuf> {
    match command {
        Command::Build(a) => Some(&mut a.root),
        Command::Check(a) => Some(&mut a.root),
        Command::Watch(a) => Some(&mut a.build.root),
        Command::Serve(a) => Some(&mut a.watch.build.root),
        Command::New(a) => Some(&mut a.root),
        Command::Init(_) => None,
    }
}

/// Parses the command line, with help and errors in Chinese unless the
/// language is English (`--lang en`, or the site's `language: en`).
fn parse() -> Cli {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let text: Vec<String> = argv
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let lang = zh::lang_from_argv(&text);
    let mut cmd = Cli::command();
    if lang == Lang::Zh {
        cmd = zh::localize(cmd);
    }
    let parsed = cmd
        .clone()
        .try_get_matches_from(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) => {
            if lang == Lang::Zh {
                if let Some(text) = zh::error_text(&e, &mut cmd) {
                    eprintln!("{text}");
                    std::process::exit(2);
                }
                if e.kind() == clap::error::ErrorKind::DisplayHelp {
                    say(zh::placeholders(e.render().to_string().trim_end()));
                    std::process::exit(0);
                }
            }
            e.exit()
        }
    }
}

pub fn main() -> ExitCode {
    let mut cli = parse();
    if let Some(root) = site_root(&mut cli.command)
        && !root.join(crate::config::FILE_NAME).is_file()
        && let Some(found) = find_site_root(root)
    {
        let lang = cli.lang.unwrap_or_default();
        let file = found.join(crate::config::FILE_NAME);
        eprintln!(
            "{}",
            i18n::site_found_above(lang, &file.display().to_string())
        );
        *root = found;
    }
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
pub fn print_report(report: &build::Report, verbose: bool) -> ExitCode {
    print_timings(report);
    if let Some(note) = &report.note {
        say(note.clone());
    }
    let renderer = Renderer {
        sources: &report.sources,
        lang: report.lang,
    };
    crate::cmd::grouped::emit(&renderer, &report.diags, verbose);
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
        let held = &report.held_back;
        if let Some(line) = i18n::held_back(report.lang, &held.drafts, &held.scheduled) {
            say(line);
        }
    }
    if warnings > 0 {
        eprintln!("{}", i18n::warnings_only(report.lang, warnings));
    }
    ExitCode::SUCCESS
}
