//! `unionpress init [DIR]`: a new site that builds at once — site.yaml with
//! comments, the sections 通知公告 / 政策解读 / 活动报道 / 职工服务 with one
//! page each, and the default theme. The site and the theme travel inside
//! the binary (`scaffold/site`, `themes/default`), so one file is all an
//! office needs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use include_dir::{Dir, DirEntry, include_dir};

use crate::cli::usage_error;
use crate::diagnostics::Diagnostic;
use crate::i18n::{self, Lang, Msg};

static SITE: Dir = include_dir!("$CARGO_MANIFEST_DIR/scaffold/site");
static THEME: Dir = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

#[derive(Args, Debug, Clone)]
pub struct InitArgs {
    /// The folder for the new site (created if missing; default: here).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty, replacing files with the same names.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: &InitArgs, lang: Option<Lang>) -> ExitCode {
    let today = jiff::Timestamp::now()
        .to_zoned(crate::config::Config::with_defaults(&args.dir, "").timezone)
        .date();
    match create(&args.dir, args.force, today) {
        Ok(()) => {
            let dir = args.dir.display().to_string();
            crate::cli::say(i18n::init_done(lang.unwrap_or_default(), &dir));
            ExitCode::SUCCESS
        }
        Err(d) => usage_error(d, lang),
    }
}

/// Writes a new site into `dir`. Refuses a folder with anything in it
/// (hidden files like `.git` aside) unless `force`.
pub fn create(dir: &Path, force: bool, today: jiff::civil::Date) -> Result<(), Diagnostic> {
    if !force && has_files(dir) {
        return Err(Diagnostic::error(
            None,
            Msg::InitNotEmpty {
                path: dir.display().to_string(),
            },
        ));
    }
    let fill = |text: &str| {
        text.replace("{{today}}", &today.to_string())
            .replace("{{year}}", &today.year().to_string())
    };
    for file in files(&SITE) {
        let target = dir.join(file.path());
        // An existing .gitignore is the editor's own: never replaced.
        if file.path() == Path::new(".gitignore") && target.exists() {
            continue;
        }
        let text = String::from_utf8_lossy(file.contents());
        write(&target, fill(&text).as_bytes())?;
    }
    let theme = dir.join("themes").join("default");
    for file in files(&THEME) {
        write(&theme.join(file.path()), file.contents())?;
    }
    Ok(())
}

fn has_files(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| !e.file_name().to_string_lossy().starts_with('.'))
    })
}

fn files<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out = Vec::new();
    for entry in dir.entries() {
        match entry {
            DirEntry::File(f) => out.push(f),
            DirEntry::Dir(d) => out.extend(files(d)),
        }
    }
    out
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    let io = |e: std::io::Error| Diagnostic::io(path.display(), &e);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)
}
