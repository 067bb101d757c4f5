//! The integration tests, as one crate with a module per area (as ripgrep's `tests/tests.rs`):
//! the binary's dependencies are linked into one test executable instead of seven.
//! Each module runs the real `newsgraph` binary on temp dirs (`common` holds the helpers).

mod common;

mod cli;
mod corpus;
mod extraction;
mod graph_core;
mod link;
mod push;
mod reliability;
mod summary;
mod tagger;
mod validate;
mod web;
