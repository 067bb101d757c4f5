//! Any bytes as a facts file: parsing and checking must not panic; what passes the checks must
//! map to quads without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(facts) = newsgraph::facts::parse_facts(Path::new("fuzz.json"), text) {
        let _ = newsgraph::rdf::facts_to_quads(&facts, &newsgraph::rdf::Base::default());
    }
});
