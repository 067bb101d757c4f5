//! Any bytes as an article: decoding and front matter must not panic, and whatever the
//! extractor makes of the text must pass the facts checks (spans inside the text and quoting
//! it, references resolving) and map to quads, whose summary counts can be taken.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsgraph::article::{decode, parse_text_article, Decode};
use newsgraph::extract::Extractor;
use newsgraph::facts::check;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.txt");
    let Ok(text) = decode(path, data.to_vec(), Decode::Lossy) else { return };
    let Ok(article) = parse_text_article(path, &text, "fuzz") else { return };
    let published = "2025-01".parse().ok();
    let facts = Extractor::default().extract(&article, published, None);
    let problems = check(&facts);
    assert!(problems.is_empty(), "extracted facts fail their checks: {problems:?}");
    let quads = newsgraph::rdf::facts_to_quads(&facts, &newsgraph::rdf::Base::default());
    let _ = newsgraph::store::Tally::of_article(&quads);
});
