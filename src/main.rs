mod cli;

use std::alloc::{GlobalAlloc, Layout};

// mimalloc: glibc's per-thread arenas grow a page at a time (thousands of
// mprotect calls and page faults when both cores build the syntax tree);
// mimalloc serves the parser's many small allocations far faster.
#[global_allocator]
static GLOBAL: ExitWhenOutOfMemory = ExitWhenOutOfMemory(mimalloc::MiMalloc);

/// The allocator, with one change: when it has no memory left, the
/// process says so and exits 2 ("could not do its job") instead of
/// aborting (SIGABRT, exit 134, maybe a core file): issue 12, item 20.
///
/// This happens inside the allocator, so nothing here may allocate: the
/// message is built in a buffer on the stack and written with one
/// `write(2)` to the file descriptor (not through `std::io::stderr`, whose
/// lock and panic machinery we need not trust here), and the process ends
/// with `_exit(2)`, which does not run `atexit` handlers or flush stdio
/// buffers (`std::process::exit` does, and those may allocate again or
/// take a lock this thread holds). Output already buffered for standard
/// output is lost: the run failed, and exit 2 says so.
///
/// Every failed request exits, also those made through `try_reserve`
/// (which could have recovered): sieve-lint has no use of its own for
/// that, and `std::fs::read`'s is then reported as out of memory rather
/// than as an unreadable file — exit 2 either way.
struct ExitWhenOutOfMemory(mimalloc::MiMalloc);

impl ExitWhenOutOfMemory {
    #[cold]
    #[inline(never)]
    fn out_of_memory(bytes: usize) -> ! {
        let mut buf = [0u8; 96];
        let mut n = 0;
        let mut put = |s: &[u8]| {
            let k = s.len().min(buf.len() - n);
            buf[n..n + k].copy_from_slice(&s[..k]);
            n += k;
        };
        put(b"sieve-lint: out of memory (could not allocate ");
        let mut digits = [0u8; 20];
        let (mut i, mut v) = (digits.len(), bytes);
        loop {
            i -= 1;
            digits[i] = b'0' + (v % 10) as u8;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        put(&digits[i..]);
        put(b" bytes)\n");
        #[cfg(target_os = "linux")]
        // SAFETY: write and _exit are async-signal-safe system calls on a
        // buffer we own; neither allocates. A failed write changes nothing.
        unsafe {
            libc::write(2, buf.as_ptr().cast(), n);
            libc::_exit(2);
        }
        #[cfg(not(target_os = "linux"))]
        {
            use std::io::Write;
            let _ = std::io::stderr().write_all(&buf[..n]);
            std::process::exit(2);
        }
    }

    fn check(p: *mut u8, bytes: usize) -> *mut u8 {
        if p.is_null() {
            Self::out_of_memory(bytes);
        }
        p
    }
}

// SAFETY: every call is forwarded to mimalloc unchanged; a null result
// never returns (the process ends), so the contract of GlobalAlloc holds.
unsafe impl GlobalAlloc for ExitWhenOutOfMemory {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        Self::check(unsafe { self.0.alloc(layout) }, layout.size())
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        Self::check(unsafe { self.0.alloc_zeroed(layout) }, layout.size())
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        Self::check(unsafe { self.0.realloc(ptr, layout, new_size) }, new_size)
    }
}

fn main() -> std::process::ExitCode {
    cli::main()
}
