//! What `unionpress init` and `unionpress new` write: a starter site in
//! Chinese or English ([`site`]) and a new page of a kind ([`page`]). The
//! texts live in `scaffold/` at the crate root and travel inside the binary;
//! the default theme is [`crate::theme`]'s. The commands in `cmd/` only
//! read their arguments and print what was done.

pub mod page;
pub mod site;
