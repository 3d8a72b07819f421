fn main() -> std::process::ExitCode {
    unionpress::cli::main()
}
