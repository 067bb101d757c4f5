//! Criterion benchmarks of the extractor's hot paths: sentence splitting (with folding and
//! tokens), mention detection (lexicon lookups and matchers), and one whole article.
//! Run: `cargo bench --profile dev --bench extract` (the project keeps one cargo profile).

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsgraph::article::{parse_text_article, Article};
use newsgraph::extract::lexicon::Lexicon;
use newsgraph::extract::text::Doc;
use newsgraph::extract::{mentions, Extractor};

fn seed() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/000_43bfa79b2a45682c.txt");
    let text = std::fs::read_to_string(&path).expect("seed article");
    parse_text_article(&path, &text, "seed").expect("seed parses")
}

fn bench(c: &mut Criterion) {
    let article = seed();
    let words = article.text.split_whitespace().count() as u64;
    let lex = Lexicon::bundled();
    let mut g = c.benchmark_group("seed");
    g.throughput(Throughput::Elements(words));
    g.bench_function("sentences+tokens", |b| {
        b.iter(|| Doc::new(black_box(&article.text)))
    });
    let doc = Doc::new(&article.text);
    g.bench_function("mentions", |b| {
        b.iter(|| mentions::detect(black_box(&doc), lex))
    });
    let ex = Extractor::default();
    let published = "2025-01".parse().ok();
    g.bench_function("whole-article", |b| {
        b.iter(|| ex.extract(black_box(&article), published, None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
