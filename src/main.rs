fn main() -> std::process::ExitCode {
    unionpress::heap::setup();
    unionpress::cli::main()
}
