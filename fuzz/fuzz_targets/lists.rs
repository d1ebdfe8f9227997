//! List files of arbitrary bytes, in every format the tool reads: a
//! result or a located error, never a panic. Loaded lists answer lookups.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((set, loaded)) = sieve_lint::lists::load_fuzz_input(data) else {
        return;
    };
    match loaded {
        Ok(()) => {
            for name in set.names() {
                let list = set.get(name).expect("a listed name is found");
                let _ = list.find("ann@example.org");
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
