//! `unionpress watch`: build, then keep the output up to date.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::build::{Report, Session};
use crate::cli::{BuildArgs, usage_error};
use crate::diagnostics::Renderer;
use crate::i18n::{self, Lang};
use crate::serve::live::Live;
use crate::watch::{self, Changes, Event, Mode};

#[derive(Args, Debug, Clone)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Poll for changes every MS milliseconds instead of relying on the
    /// operating system's events (for network shares).
    #[arg(long, value_name = "MS", num_args = 0..=1, default_missing_value = "500")]
    pub poll: Option<u64>,
}

impl WatchArgs {
    pub fn mode(&self) -> Mode {
        match self.poll {
            Some(ms) => Mode::Poll(Duration::from_millis(ms.max(50))),
            None => Mode::Native,
        }
    }
}

/// Prints what each build found, and tells open previews.
pub struct Announcer<'a> {
    pub live: Option<&'a Live>,
    pub lang: Lang,
    /// Pages the quick path already wrote (and reloaded) since the last
    /// full build: several quick updates when a newer change stopped the
    /// full builds between them.
    quick: Vec<String>,
}

impl<'a> Announcer<'a> {
    pub fn new(live: Option<&'a Live>, lang: Lang) -> Self {
        Announcer {
            live,
            lang,
            quick: Vec::new(),
        }
    }

    pub fn on(&mut self, event: Event) {
        match event {
            Event::Quick { urls, elapsed } => {
                crate::cli::say(i18n::quick_update(
                    self.lang,
                    urls.len(),
                    elapsed.as_millis(),
                ));
                if let Some(live) = self.live {
                    live.publish(urls.len(), None);
                }
                self.quick.extend_from_slice(urls);
            }
            Event::Built(report) => {
                self.lang = report.lang;
                self.built(report);
                self.quick.clear();
            }
        }
    }

    fn built(&self, report: &Report) {
        crate::cli::print_timings(report);
        let renderer = Renderer {
            sources: &report.sources,
            lang: report.lang,
        };
        crate::cmd::grouped::emit(&renderer, &report.diags, false);
        let errors = report.diags.iter().filter(|d| d.is_error()).count();
        if let Some((updated, not_updated)) = &report.partly_written {
            eprintln!(
                "{}",
                i18n::partly_updated(report.lang, errors, *updated, not_updated)
            );
        } else if crate::output::refused(&report.diags) {
            let warnings = report.diags.len() - errors;
            eprintln!("{}", i18n::build_failed(report.lang, errors, warnings));
        } else if errors > 0 {
            eprintln!("{}", i18n::kept_last_good(report.lang, errors));
        } else {
            crate::cli::say(i18n::rebuilt(
                report.lang,
                report.changed.len(),
                report.elapsed.as_millis(),
            ));
        }
        let Some(live) = self.live else { return };
        let shown: Vec<_> = report
            .diags
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let error = (errors > 0).then(|| renderer.to_string(&shown));
        // Pages already reloaded by the quick path, and the search index
        // (which no open page shows), do not call for another reload.
        let others = report
            .changed
            .iter()
            .filter(|u| {
                !self.quick.contains(u) && !u.starts_with(&format!("{}/", crate::search::DIR))
            })
            .count();
        live.publish(others, error);
    }
}

pub fn run(args: &WatchArgs, lang: Option<Lang>) -> ExitCode {
    let req = match args.build.request(lang) {
        Ok(r) => r,
        Err(d) => return usage_error(d, lang),
    };
    // Watcher events carry absolute paths: match them against absolute ones.
    let req = req.anchored();
    let shown_lang = lang.unwrap_or_default();
    let (changes, mode) = match Changes::start(&req.root, req.output.as_deref(), args.mode()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", i18n::watch_failed(shown_lang, &e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    crate::cli::say(i18n::watching(shown_lang, matches!(mode, Mode::Poll(_))));
    let mut announcer = Announcer::new(None, shown_lang);
    let mut session = Session::new(req);
    let first = session.build();
    announcer.on(Event::Built(&first));
    if crate::output::refused(&first.diags) {
        return ExitCode::FAILURE;
    }
    watch::run_from(session, &changes, |e| announcer.on(e));
    ExitCode::SUCCESS
}
