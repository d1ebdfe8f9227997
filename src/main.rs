mod cli;

// mimalloc: glibc's per-thread arenas grow a page at a time (thousands of
// mprotect calls and page faults when both cores build the syntax tree);
// mimalloc serves the parser's many small allocations far faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
