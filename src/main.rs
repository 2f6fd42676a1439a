fn main() -> std::process::ExitCode {
    lienhe::cli::main()
}
