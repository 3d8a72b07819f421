//! `unionpress init` and `new` carry the default theme and the scaffold
//! inside the binary; rebuild when a file there is added, removed or edited.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=scaffold");
}
