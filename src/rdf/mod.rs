//! RDF: vocabulary constants, IRI minting and the pure mapping Facts → quads.
//!
//! Entry point: [`facts_to_quads`]. Nothing here opens a store or prints.

pub mod iri;
mod map;
pub mod vocab;

pub use iri::{Base, BaseError, DEFAULT_BASE};
pub use map::{facts_hash, facts_to_quads, facts_to_quads_hashed};

/// IRI of the ontology, which is also the name of the graph the store keeps it in.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/newsgraph/ns";
