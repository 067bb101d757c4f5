//! Any text after a `+++` line: front matter parsing must not panic, and its errors must name a
//! position inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::article::{parse_text_article, ArticleError};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let text = format!("+++\n{body}");
    if let Err(ArticleError::FrontMatter { line, .. }) = parse_text_article(Path::new("f.txt"), &text, "x") {
        assert!(line >= 2 && line <= text.lines().count() + 1, "line {line} outside the input");
    }
});
