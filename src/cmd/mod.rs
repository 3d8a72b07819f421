//! One module a subcommand; each parses nothing and prints its own report.

pub mod build;
pub mod check;
pub mod grouped;
pub mod init;
pub mod new;
pub mod serve;
pub mod watch;
