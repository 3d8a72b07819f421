//! What the output module tells the user: each [`Problem`] as a
//! diagnostic, and the sources an output folder must keep clear of.

use std::path::{Path, PathBuf};

use super::Refusal;
use super::guard::Why;
use super::publish::Problem;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::i18n::{Msg, OutputPlace};

/// Every source folder and file of the site: an output folder may hold
/// none of them and sit in none of them.
pub fn sources(config: &Config) -> Vec<PathBuf> {
    let mut all = default_sources(&config.root);
    all.extend([config.content_dir(), config.theme_dir()]);
    all
}

/// The sources every site at `root` has where `site.yaml` does not move
/// them, for checks made before it is read ([`super::lock`]).
pub fn default_sources(root: &Path) -> Vec<PathBuf> {
    [
        crate::config::FILE_NAME,
        "content",
        "themes",
        "static",
        "templates",
    ]
    .iter()
    .map(|s| root.join(s))
    .collect()
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}

impl Problem {
    pub fn diagnostic(&self) -> Diagnostic {
        let msg = match self {
            Problem::Io { path, error } => return Diagnostic::io(path.display(), error),
            Problem::Refused(Refusal::Place { path, why }) => Msg::UnsafeOutput {
                path: shown(path),
                why: match why {
                    Why::SiteRoot => OutputPlace::SiteRoot,
                    Why::HoldsSources(s) => OutputPlace::HoldsSources(shown(s)),
                    Why::InsideSources(s) => OutputPlace::InsideSources(shown(s)),
                    Why::Home => OutputPlace::Home,
                    Why::FsRoot => OutputPlace::FsRoot,
                    Why::CurrentDir => OutputPlace::CurrentDir,
                    Why::MountPoint => OutputPlace::MountPoint,
                },
            },
            Problem::Refused(Refusal::NotOurs { path, files }) => Msg::OutputNotOurs {
                path: shown(path),
                files: *files,
            },
            Problem::Refused(Refusal::NotAFolder { path }) => {
                Msg::OutputNotAFolder { path: shown(path) }
            }
            Problem::Refused(Refusal::BadManifest { path, detail }) => Msg::OutputBadManifest {
                path: shown(path),
                detail: detail.clone(),
            },
            Problem::InTheWay { path } => Msg::OutputInTheWay { path: shown(path) },
            Problem::MountInside { path } => Msg::OutputMountInside { path: shown(path) },
        };
        Diagnostic::error(None, msg)
    }
}

/// The old tree could not be removed completely.
pub fn leftover_warning(tree: &Path) -> Diagnostic {
    Diagnostic::warning(None, Msg::OutputOldKept { path: shown(tree) })
}

/// Whether a build was refused its output folder: no later rebuild can
/// succeed until the user picks another, so `watch` and `serve` stop.
pub fn refused(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| {
        matches!(
            *d.msg,
            Msg::UnsafeOutput { .. }
                | Msg::OutputNotOurs { .. }
                | Msg::OutputNotAFolder { .. }
                | Msg::OutputBadManifest { .. }
        )
    })
}

/// What a build says while it waits for another to finish publishing into
/// `out` (see [`super::lock`]): the message and its hint, two lines.
pub fn busy(lang: crate::i18n::Lang, out: &Path, pid: Option<u32>) -> String {
    let msg = Msg::OutputBusy {
        path: shown(out),
        pid,
    };
    let mut text = msg.text(lang);
    if let Some(hint) = msg.hint(lang) {
        text = format!("{text}\n = {}{hint}", crate::i18n::hint_prefix(lang));
    }
    text
}
