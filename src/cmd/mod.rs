//! One module a subcommand; each parses nothing and prints its own report.

pub mod build;
pub mod serve;
pub mod watch;
