//! Reference datasets: records with names, an id (IRI), a kind and context words.
//!
//! Readers: RDF files (Turtle, N-Triples; labels from `rdfs:label`, `skos:altLabel`,
//! `schema:name`), CSV files described by a [`CsvMapping`] (a TOML file or the built-in
//! EveryPolitician layout), and the Our World in Data country list (`.ts`).

use std::path::{Path, PathBuf};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedNodeRef, Term};
use serde::Deserialize;

use crate::facts::EntityKind;
use crate::rdf::vocab::{foaf, org, rdf, rdfs, schema, skos, wd};

/// One record of a reference dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The IRI links point to.
    pub iri: String,
    /// Main label first, then aliases.
    pub names: Vec<String>,
    /// Kind, when the dataset says.
    pub kind: Option<EntityKind>,
    /// Context labels (party, country, area) used to break ties.
    pub context: Vec<String>,
    /// For places, when the dataset says (countries in the OWID list).
    pub place_kind: Option<crate::facts::PlaceKind>,
}

/// A loaded reference dataset.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Short name, used in the linkset IRI and the report.
    pub name: String,
    /// Where it came from.
    pub source: String,
    pub records: Vec<Record>,
}

/// How to read a CSV file (all columns by header name).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CsvMapping {
    /// The CSV file (relative to the mapping file).
    pub file: PathBuf,
    /// Dataset name (default: the file stem).
    #[serde(default)]
    pub name: Option<String>,
    /// person, organisation or place.
    pub kind: EntityKind,
    pub name_column: String,
    #[serde(default)]
    pub alias_columns: Vec<String>,
    /// Column with the id: a full IRI, or a local id completed with `id_prefix`.
    pub id_column: String,
    #[serde(default)]
    pub id_prefix: String,
    #[serde(default)]
    pub context_columns: Vec<String>,
    /// Context that holds for every record ("Israel" for the Knesset).
    #[serde(default)]
    pub context: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MappingFile {
    reference: Vec<CsvMapping>,
}

/// Why a reference could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: no mapping for this CSV; describe its columns in a TOML file given with --mapping (see README)")]
    NoMapping { path: PathBuf },
}

fn invalid(path: &Path, message: impl Into<String>) -> ReferenceError {
    ReferenceError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Reads the mappings of a TOML mapping file; file paths are made relative to it.
pub fn read_mappings(path: &Path) -> Result<Vec<CsvMapping>, ReferenceError> {
    let text = std::fs::read_to_string(path).map_err(|source| ReferenceError::Io {
        path: path.into(),
        source,
    })?;
    let m: MappingFile = toml::from_str(&text).map_err(|e| invalid(path, e.to_string()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    Ok(m.reference
        .into_iter()
        .map(|mut r| {
            if r.file.is_relative() {
                r.file = dir.join(&r.file);
            }
            r
        })
        .collect())
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Reads a CSV reference with a mapping.
pub fn read_csv(m: &CsvMapping) -> Result<Dataset, ReferenceError> {
    let path = &m.file;
    let mut rdr = csv::Reader::from_path(path).map_err(|e| invalid(path, e.to_string()))?;
    let headers = rdr
        .headers()
        .map_err(|e| invalid(path, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            invalid(
                path,
                format!(
                    "no column {name:?} (columns: {})",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ),
            )
        })
    };
    let name_i = col(&m.name_column)?;
    let id_i = col(&m.id_column)?;
    let alias_i = m
        .alias_columns
        .iter()
        .map(|c| col(c))
        .collect::<Result<Vec<_>, _>>()?;
    let ctx_i = m
        .context_columns
        .iter()
        .map(|c| col(c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut records = Vec::new();
    for (n, row) in rdr.records().enumerate() {
        let row = row.map_err(|e| invalid(path, format!("row {}: {e}", n + 2)))?;
        let id = row.get(id_i).unwrap_or("").trim();
        let name = row.get(name_i).unwrap_or("").trim();
        if id.is_empty() || name.is_empty() {
            continue;
        }
        let iri = if id.contains("://") {
            id.replace(
                "https://www.wikidata.org/wiki/",
                "http://www.wikidata.org/entity/",
            )
        } else {
            format!("{}{id}", m.id_prefix)
        };
        let mut names = vec![name.to_owned()];
        names.extend(
            alias_i
                .iter()
                .filter_map(|&i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        );
        let mut context: Vec<String> = ctx_i
            .iter()
            .filter_map(|&i| row.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        context.extend(m.context.iter().cloned());
        records.push(Record {
            iri,
            names,
            kind: Some(m.kind),
            context,
            place_kind: None,
        });
    }
    Ok(Dataset {
        name: m.name.clone().unwrap_or_else(|| stem(path)),
        source: path.display().to_string(),
        records,
    })
}

/// The built-in mapping for EveryPolitician CSVs (recognised by their header): persons, named
/// by `name` and `sort_name`, with party and area as context. Records link to their Wikidata
/// id when the file has a `wikidata` column, else to EveryPolitician's person id.
fn everypolitician(path: &Path, headers: &[String]) -> Option<CsvMapping> {
    let has = |c: &str| headers.iter().any(|h| h == c);
    if !(has("id") && has("name") && has("sort_name") && has("group") && has("chamber")) {
        return None;
    }
    let (id_column, id_prefix) = if has("wikidata") {
        (
            "wikidata".to_owned(),
            "http://www.wikidata.org/entity/".to_owned(),
        )
    } else {
        ("id".to_owned(), "urn:uuid:".to_owned())
    };
    Some(CsvMapping {
        file: path.into(),
        name: None,
        kind: EntityKind::Person,
        name_column: "name".into(),
        alias_columns: vec!["sort_name".into()],
        id_column,
        id_prefix,
        context_columns: vec!["group".into(), "area".into()],
        context: vec![],
    })
}

/// Reads the Our World in Data country list (a CSV inside a TypeScript template literal).
fn read_owid(path: &Path, text: &str) -> Result<Dataset, ReferenceError> {
    let (a, b) = (text.find('`'), text.rfind('`'));
    let (Some(a), Some(b)) = (a, b) else {
        return Err(invalid(path, "expected a CSV between backticks"));
    };
    let mut rdr = csv::Reader::from_reader(&text.as_bytes()[a + 1..b]);
    let headers = rdr
        .headers()
        .map_err(|e| invalid(path, e.to_string()))?
        .clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| invalid(path, format!("no column {n:?}")))
    };
    let (name_i, uri_i, alias_i) = (col("name")?, col("wikidata_uri")?, col("aliases")?);
    let mut records = Vec::new();
    for row in rdr.records() {
        let row = row.map_err(|e| invalid(path, e.to_string()))?;
        let uri = row.get(uri_i).unwrap_or("").trim();
        if uri.is_empty() {
            continue;
        }
        let iri = uri.replace(
            "https://www.wikidata.org/wiki/",
            "http://www.wikidata.org/entity/",
        );
        let mut names = vec![row.get(name_i).unwrap_or("").to_owned()];
        if let Ok(aliases) = serde_json::from_str::<Vec<String>>(row.get(alias_i).unwrap_or("")) {
            names.extend(aliases.into_iter().filter(|a| !a.contains("\\u00")));
        }
        records.push(Record {
            iri,
            names,
            kind: Some(EntityKind::Place),
            context: vec![],
            place_kind: Some(crate::facts::PlaceKind::Country),
        });
    }
    Ok(Dataset {
        name: stem(path),
        source: path.display().to_string(),
        records,
    })
}

const LABEL_PREDICATES: &[NamedNodeRef<'static>] = &[
    rdfs::LABEL,
    skos::PREF_LABEL,
    skos::ALT_LABEL,
    schema::NAME,
    schema::ALTERNATE_NAME,
    foaf::NAME,
];

fn kind_of_type(t: NamedNodeRef<'_>) -> Option<EntityKind> {
    let any = |of: &[NamedNodeRef<'_>]| of.contains(&t);
    Some(if any(&[schema::PERSON, foaf::PERSON, wd::HUMAN]) {
        EntityKind::Person
    } else if any(&[
        schema::ORGANIZATION,
        org::ORGANIZATION,
        foaf::ORGANIZATION,
        wd::ORGANIZATION,
    ]) {
        EntityKind::Organisation
    } else if any(&[
        schema::PLACE,
        schema::COUNTRY,
        schema::CITY,
        wd::COUNTRY,
        wd::CITY,
    ]) {
        EntityKind::Place
    } else {
        return None;
    })
}

/// Reads an RDF reference (Turtle or N-Triples): every IRI subject with a label.
fn read_rdf(path: &Path, format: RdfFormat, bytes: &[u8]) -> Result<Dataset, ReferenceError> {
    let mut by_subject: std::collections::BTreeMap<String, Record> = Default::default();
    for q in RdfParser::from_format(format).for_slice(bytes) {
        let q = q.map_err(|e| invalid(path, e.to_string()))?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(s) = &q.subject else {
            continue;
        };
        let rec = by_subject
            .entry(s.as_str().to_owned())
            .or_insert_with(|| Record {
                iri: s.as_str().to_owned(),
                names: vec![],
                kind: None,
                context: vec![],
                place_kind: None,
            });
        let p = q.predicate.as_ref();
        match &q.object {
            Term::Literal(l) if LABEL_PREDICATES.contains(&p) => {
                rec.names.push(l.value().to_owned())
            }
            Term::NamedNode(o) if p == rdf::TYPE => {
                if let Some(k) = kind_of_type(o.as_ref()) {
                    rec.kind = Some(k);
                }
            }
            _ => {}
        }
    }
    Ok(Dataset {
        name: stem(path),
        source: path.display().to_string(),
        records: by_subject
            .into_values()
            .filter(|r| !r.names.is_empty())
            .collect(),
    })
}

/// Reads one reference file, choosing the reader by extension (and, for CSV, the mapping that
/// names this file, or the built-in EveryPolitician layout).
pub fn read_reference(path: &Path, mappings: &[CsvMapping]) -> Result<Dataset, ReferenceError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let bytes = std::fs::read(path).map_err(|source| ReferenceError::Io {
        path: path.into(),
        source,
    })?;
    match ext.as_str() {
        "ttl" => read_rdf(path, RdfFormat::Turtle, &bytes),
        "nt" => read_rdf(path, RdfFormat::NTriples, &bytes),
        "ts" => read_owid(path, &String::from_utf8_lossy(&bytes)),
        "csv" => {
            let canon = path.canonicalize().ok();
            if let Some(m) = mappings
                .iter()
                .find(|m| m.file.canonicalize().ok() == canon)
            {
                return read_csv(m);
            }
            let headers: Vec<String> = csv::Reader::from_reader(bytes.as_slice())
                .headers()
                .map_err(|e| invalid(path, e.to_string()))?
                .iter()
                .map(str::to_owned)
                .collect();
            match everypolitician(path, &headers) {
                Some(m) => read_csv(&m),
                None => Err(ReferenceError::NoMapping { path: path.into() }),
            }
        }
        _ => Err(invalid(
            path,
            "unknown reference format; use .ttl, .nt, .csv (with a mapping) or the OWID .ts list",
        )),
    }
}
