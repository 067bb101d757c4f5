//! Any text after a `+++` line: front matter parsing must not panic, and its errors must name a
//! line of the input as read (lone `\r` and `\r\n` are line ends, as in `normalize_text`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::article::{normalize_text, parse_text_article, ArticleError};
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    let text = format!("+++\n{body}");
    if let Err(ArticleError::FrontMatter { line, .. }) = parse_text_article(Path::new("f.txt"), &text, "x") {
        let lines = normalize_text(&text).lines().count();
        assert!(line >= 2 && line <= lines + 1, "line {line} outside the input ({lines} lines)");
    }
});
