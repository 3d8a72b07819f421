//! `unionpress build`: one build into the output folder, starting from the
//! build cache unless `--no-cache` (see [`crate::cache`]).

use std::process::ExitCode;

use crate::build;
use crate::cli::{BuildArgs, print_report, usage_error};
use crate::i18n::Lang;

pub fn run(args: &BuildArgs, lang: Option<Lang>) -> ExitCode {
    let req = match args.request(lang) {
        Ok(r) => r,
        Err(d) => return usage_error(d, lang),
    };
    let report = if args.no_cache {
        build::run(&req)
    } else {
        build::run_cached(&req)
    };
    print_report(&report, args.verbose)
}
