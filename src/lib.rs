//! newsgraph: turn news articles into a knowledge graph.
//!
//! Data flows one way: [`article`] (read and normalise) → `extract` (text → [`facts::Facts`])
//! → [`rdf`] (pure mapping Facts → quads) → [`store`] (Oxigraph: replace article graph, query,
//! export). The CLI in `src/main.rs` is a thin layer over [`load`] and the modules above.
//! Library code never prints, never exits and never panics on user input.

#![deny(clippy::print_stdout, clippy::print_stderr, clippy::exit)]

pub mod article;
pub mod error;
pub mod eval;
pub mod extract;
pub mod facts;
pub mod ingest;
pub mod link;
pub mod load;
pub mod names;
pub mod network;
pub mod output;
#[cfg(feature = "http")]
pub mod push;
pub mod rdf;
pub mod serve;
pub mod shacl;
pub mod store;
pub mod validate;
pub mod web;

/// The tool's version, recorded in the provenance of every run.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
