//! `unionpress init [DIR] [--theme]`: the command line of
//! [`crate::scaffold::site`]. `--lang en` writes the English starter site.
//! `--theme` also copies the built-in theme into `themes/default/` for
//! customizing; run in a folder that already holds a site, it does only
//! that (mdBook's `init --theme` is the model).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::cli::usage_error;
use crate::config;
use crate::i18n::{self, Lang};
use crate::scaffold::site;

#[derive(Args, Debug, Clone)]
pub struct InitArgs {
    /// The folder for the new site (created if missing; default: here).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty, replacing files with the same names.
    #[arg(long)]
    pub force: bool,
    /// Also copy the built-in theme into themes/default/ to change it; in an
    /// existing site, copy only the theme (files already there are kept).
    #[arg(long)]
    pub theme: bool,
}

pub fn run(args: &InitArgs, lang: Option<Lang>) -> ExitCode {
    let shown_lang = lang.unwrap_or_default();
    let dir = args.dir.display().to_string();
    let existing_site = args.dir.join(config::FILE_NAME).is_file();
    if !(args.theme && existing_site) {
        let today = jiff::Timestamp::now()
            .to_zoned(config::Config::with_defaults(&args.dir, "").timezone)
            .date();
        if let Err(d) = site::create(&args.dir, args.force, today, shown_lang) {
            return usage_error(d, lang);
        }
        crate::cli::say(i18n::init_done(shown_lang, &dir));
    }
    if args.theme {
        match site::eject_theme(&args.dir) {
            Ok(done) => {
                let folder = site::theme_folder(&args.dir).display().to_string();
                crate::cli::say(i18n::theme_ejected(
                    shown_lang,
                    &folder,
                    done.written.len(),
                    done.kept.len(),
                ));
            }
            Err(d) => return usage_error(d, lang),
        }
    }
    ExitCode::SUCCESS
}
