//! List files of arbitrary bytes, in every format the tool reads: a
//! result or a located error, never a panic. Loaded lists answer lookups.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sieve_lint::lists::ListSet;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let mut set = ListSet::default();
    let loaded = match kind % 5 {
        0 => set.load_map_bytes(Path::new("fuzz.json"), body),
        1 => set.load_map_bytes(Path::new("fuzz.csv"), body),
        2 => set.load_one_bytes(":addrbook:friends", Path::new("one.csv"), body),
        3 => set.load_one_bytes("tag:example.com,2026:vip", Path::new("one.json"), body),
        _ => set.load_one_bytes("urn:example:list", Path::new("one.txt"), body),
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
