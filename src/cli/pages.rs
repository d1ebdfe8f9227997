//! Transparent huge pages, for big inputs only.
//!
//! The allocator (mimalloc) asks the kernel for transparent huge pages on
//! its memory. The first touch of a huge page zeroes 2 MiB: for a small
//! script that is most of the run (a fifth of the wall time of a 100-rule
//! check went to zeroing pages that stayed nearly empty). For a big script
//! or many messages, huge pages save tens of thousands of page faults (a
//! 10,000-rule check: 14,600 faults without, 285 with; 67 ms against 50).
//!
//! So the process starts with huge pages off (`prctl(PR_SET_THP_DISABLE)`,
//! checked by the kernel at each fault, so it applies to memory already
//! reserved) and switches them on once it knows the input is big.

/// Inputs of at least this many bytes get huge pages. Measured (hyperfine,
/// 80-100 runs, A/B in one command): a 17 KB script is faster without
/// them; at 156 KB neither wins clearly (5.9 ms against 6.4 in one session,
/// 5.0-5.6 against 5.5-5.9 the other way in another); at 1.6 MB they win
/// by far (41 ms against 54).
pub const LARGE_INPUT: u64 = 512 * 1024;

/// Called first thing in `main`. Not earlier: the runtime's allocations
/// before `main` fill the allocator's first huge page densely, and that one
/// page is cheaper than the 4 KiB faults it replaces (switched off from an
/// `.init_array` constructor instead, a 100-rule check took 350 page
/// faults instead of 217, and longer).
pub fn start_small() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and
    // touches no memory of ours; a failure (old kernel) changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// The input is big: let the kernel use huge pages from now on.
pub fn input_of(bytes: u64) {
    if bytes < LARGE_INPUT {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use std::sync::atomic::{AtomicBool, Ordering};
        static ON: AtomicBool = AtomicBool::new(false);
        if !ON.swap(true, Ordering::Relaxed) {
            // SAFETY: as in start_small.
            unsafe {
                libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
            }
        }
    }
}
