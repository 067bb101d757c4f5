//! Any query text: reading its `# Scope:` declaration must not panic; a declaration it accepts
//! names valid variables, and an error names a line of the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::store::Scope;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Scope::of_query(text) {
        Ok(scope) => {
            for v in &scope.variables {
                assert!(!v.as_str().is_empty());
            }
            let _ = scope.names();
        }
        Err(e) => assert!(e.line >= 1 && e.line <= text.lines().count(), "line {}", e.line),
    }
});
