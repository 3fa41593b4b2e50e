//! The `sohoa` command: parse arguments, run, print the error chain, exit with a documented code.

fn main() {
    let code = sohoa::cli::main();
    std::process::exit(code);
}
