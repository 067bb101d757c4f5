//! Extraction speed on one thread: reads every article under the given paths (as `ingest`
//! finds them), then times `Extractor::extract` over all of them, with the shipped name tagger
//! and with the rules alone. Prints one JSON line.
//!
//! `cargo run --example extract_speed -- ../shared/corpus/bbc`

use std::path::PathBuf;
use std::time::Instant;

use newsgraph::article::Decode;
use newsgraph::extract::Extractor;
use newsgraph::ingest::{discover, Units};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("usage: extract_speed PATH...".into());
    }
    let sources = discover(&paths)?;
    let articles: Vec<_> = Units::new(&sources, Decode::Strict)
        .flat_map(|u| u.articles)
        .collect::<Result<_, _>>()?;
    let words: usize = articles
        .iter()
        .map(|a| a.text.split_whitespace().count())
        .sum();
    let time = |extractor: &Extractor| {
        let start = Instant::now();
        let mut facts = 0usize;
        for a in &articles {
            let f = extractor.extract(a, None, Some("2026-01-01T00:00:00Z".into()));
            facts += f.entities.len() + f.events.len() + f.posts.len();
        }
        (start.elapsed().as_secs_f64(), facts)
    };
    // Rules first, then the default: the tagger's one-time load (weights, gazetteers) is
    // counted in the default's time.
    let (rules_secs, _) = time(&Extractor::default().with_tagger(None));
    let (secs, facts) = time(&Extractor::default());
    println!(
        "{{\"articles\": {}, \"words\": {words}, \"seconds\": {secs:.3}, \"words_per_s\": {:.0}, \"facts\": {facts}, \"rules_only_seconds\": {rules_secs:.3}, \"rules_only_words_per_s\": {:.0}}}",
        articles.len(),
        words as f64 / secs,
        words as f64 / rules_secs
    );
    Ok(())
}
