//! What the output module tells the user: each [`Problem`] as a
//! diagnostic, and the sources an output folder must keep clear of.

use std::path::PathBuf;

use super::Refusal;
use super::publish::Problem;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::i18n::Msg;

/// Every source folder and file of the site: an output folder may hold
/// none of them and sit in none of them.
pub fn sources(config: &Config) -> Vec<PathBuf> {
    let root = &config.root;
    vec![
        root.join(crate::config::FILE_NAME),
        config.content_dir(),
        config.theme_dir(),
        root.join("themes"),
        root.join("static"),
        root.join("templates"),
    ]
}

impl Problem {
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            Problem::Io { path, error } => Diagnostic::io(path.display(), error),
            Problem::Refused(Refusal::Place { path, .. }) => Diagnostic::error(
                None,
                Msg::UnsafeOutput {
                    path: path.display().to_string(),
                },
            ),
            other => Diagnostic::error(
                None,
                Msg::Io {
                    path: String::new(),
                    detail: format!("{other:?}"),
                },
            ),
        }
    }
}

/// The old tree could not be removed completely.
pub fn leftover_warning(tree: &std::path::Path) -> Diagnostic {
    Diagnostic::warning(
        None,
        Msg::Io {
            path: tree.display().to_string(),
            detail: "old output kept".into(),
        },
    )
}
