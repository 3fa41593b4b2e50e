//! The `sohoa` command: parse arguments, run, print the error chain, exit with a documented code.

fn main() {
    quiet_broken_pipe();
    single_threaded_openmp();
    let code = sohoa::cli::main();
    std::process::exit(code);
}

/// Tesseract's OpenMP runtime reads OMP_THREAD_LIMIT once, when the library loads, before
/// `main` runs; with its default threads, pages read side by side are several times slower
/// (domain reference 12). So when the variable is unset, sohoa starts itself again with it set
/// to 1. A value the user set is kept.
fn single_threaded_openmp() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("OMP_THREAD_LIMIT").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let err = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("OMP_THREAD_LIMIT", "1")
        .exec();
    // exec only returns on failure: go on with OpenMP's defaults.
    eprintln!("warning: could not restart with OMP_THREAD_LIMIT=1 ({err}); OCR may be slow");
}

/// `sohoa synth ... | head`: a reader that stops early closes the pipe. Rust ignores SIGPIPE,
/// so the next print would panic; restoring the default ends the process quietly, as other
/// command-line tools do. Page results already written stay (each is written atomically).
fn quiet_broken_pipe() {
    // SAFETY: setting a signal's disposition to its default, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
