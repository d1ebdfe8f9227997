mod cli;

// mimalloc: glibc's per-thread arenas grow a page at a time (thousands of
// mprotect calls and page faults when both cores build the syntax tree);
// mimalloc serves the parser's many small allocations far faster.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

unsafe extern "C" {
    fn mi_option_get(option: i32) -> std::ffi::c_long;
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3; libmimalloc-sys
/// names its neighbours: eager_commit_delay 14, use_numa_nodes 16).
const MI_OPTION_PURGE_DELAY: i32 = 15;
/// `mi_option_os_tag`, whose default (100) no neighbour shares: a check
/// that the options are numbered as expected.
const MI_OPTION_OS_TAG: i32 = 18;

/// A run lasts milliseconds to seconds and ends by exiting: memory freed
/// along the way is better kept for reuse than handed back to the kernel
/// (mimalloc's purging made 40 `madvise` calls in a 1,000-rule check, each
/// a system call and a TLB flush, and the pages fault again when reused).
fn keep_freed_memory() {
    // SAFETY: plain integer arguments; called before any other thread
    // exists. A mimalloc that numbers its options otherwise is left alone.
    unsafe {
        if mi_option_get(MI_OPTION_OS_TAG) == 100 && mi_option_get(MI_OPTION_PURGE_DELAY) >= 0 {
            mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
}

fn main() -> std::process::ExitCode {
    keep_freed_memory();
    cli::main()
}
