//! `unionpress serve`: watch, plus a local preview server with live reload.

use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;

use crate::build::Session;
use crate::cli::usage_error;
use crate::cmd::watch::{Announcer, WatchArgs};
use crate::i18n::{self, Lang};
use crate::serve::live::Live;
use crate::serve::{self, Preview};
use crate::watch::{self, Changes, Event, Mode};

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub watch: WatchArgs,
    /// Address to listen on; only this computer by default.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Port to listen on (the next free one is used if it is taken).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Serve the site under this sub-path, as the intranet will (e.g. /union/).
    #[arg(long, default_value = "/")]
    pub base_path: String,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &ServeArgs, lang: Option<Lang>) -> ExitCode {
    let req = match args.watch.build.request(lang) {
        Ok(r) => r,
        Err(d) => return usage_error(d, lang),
    };
    // Watcher events carry absolute paths: match them against absolute ones.
    let req = req.anchored();
    let shown_lang = lang.unwrap_or_default();
    let (server, port) = match serve::bind(args.bind, args.port) {
        Ok(x) => x,
        Err(e) => {
            eprintln!(
                "{}",
                i18n::no_free_port(shown_lang, args.port, &e.to_string())
            );
            return ExitCode::FAILURE;
        }
    };
    if args.port != 0 && port != args.port {
        crate::cli::say(i18n::port_taken(shown_lang, args.port, port));
    }
    let (changes, mode) = match Changes::start(&req.root, req.output.as_deref(), args.watch.mode())
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", i18n::watch_failed(shown_lang, &e.to_string()));
            return ExitCode::FAILURE;
        }
    };
    let live = Live::new();
    let base_path = serve::normalize_base(&args.base_path);
    let Some(out) = req.output.clone() else {
        return ExitCode::FAILURE;
    };
    let url = format!("http://{}:{port}{base_path}", args.bind);
    let mut session = Session::new(req);
    // Build before serving, so the first page a browser asks for exists.
    let mut announcer = Announcer::new(Some(&live), shown_lang);
    let first = session.build();
    announcer.on(Event::Built(&first));
    if crate::output::refused(&first.diags) {
        // Never serve a folder that is not the site's.
        return ExitCode::FAILURE;
    }
    let preview = Arc::new(Preview {
        root: out,
        base_path,
        live: live.clone(),
        lang: shown_lang,
    });
    std::thread::spawn(move || preview.run(server));
    crate::cli::say(i18n::serving(shown_lang, &url));
    crate::cli::say(i18n::watching(shown_lang, matches!(mode, Mode::Poll(_))));
    if args.open {
        open_browser(&url);
    }
    watch::run_from(session, &changes, |e| announcer.on(e));
    ExitCode::SUCCESS
}

fn open_browser(url: &str) {
    let cmd = if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else {
        ("xdg-open", vec![url])
    };
    let _ = std::process::Command::new(cmd.0).args(cmd.1).spawn();
}
