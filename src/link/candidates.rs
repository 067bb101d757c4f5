//! The store's persons, organisations and places as the linker sees them: names, aliases and
//! the organisations of their posts. Entry point: [`candidates`].

use std::collections::BTreeMap;

use oxigraph::model::Term;

use crate::facts::{EntityKind, PlaceKind};
use crate::rdf::vocab::{org, schema};
use crate::store::{NewsStore, StoreError};

/// An entity of the store, as the linker sees it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub iri: String,
    pub kind: EntityKind,
    pub names: Vec<String>,
    /// Names of the organisations and countries its posts are in.
    pub context: Vec<String>,
    /// For places: the kind the graph gives it.
    pub place_kind: Option<PlaceKind>,
}

/// Every person, organisation and place of the store, with its names and post context.
pub fn candidates(store: &NewsStore) -> Result<Vec<Candidate>, StoreError> {
    let q = format!(
        r#"SELECT ?e ?class ?name ?ctx ?sub WHERE {{
              VALUES ?class {{ <{person}> <{organisation}> <{place}> }}
              ?e a ?class .
              OPTIONAL {{ VALUES ?sub {{ <{country}> <{city}> <{area}> }} ?e a ?sub }}
              {{ ?e <{name}> ?name BIND(0 AS ?alt) }} UNION {{ ?e <{alt_name}> ?name BIND(1 AS ?alt) }}
              OPTIONAL {{ ?h <{member}> ?e ; <{organisation_of}>/<{name}> ?ctx }}
            }} ORDER BY ?e ?alt ?name"#,
        person = schema::PERSON.as_str(),
        organisation = schema::ORGANIZATION.as_str(),
        place = schema::PLACE.as_str(),
        country = schema::COUNTRY.as_str(),
        city = schema::CITY.as_str(),
        area = schema::ADMINISTRATIVE_AREA.as_str(),
        name = schema::NAME.as_str(),
        alt_name = schema::ALTERNATE_NAME.as_str(),
        member = org::MEMBER.as_str(),
        organisation_of = org::ORGANIZATION_PROP.as_str(),
    );
    let rows = store.internal_select(&q)?;
    let mut by: BTreeMap<String, Candidate> = BTreeMap::new();
    for r in rows {
        let (Some(Term::NamedNode(e)), Some(Term::NamedNode(class)), Some(Term::Literal(name))) =
            (r[0].clone(), r[1].clone(), r[2].clone())
        else {
            continue;
        };
        let kind = if class.as_ref() == schema::PERSON {
            EntityKind::Person
        } else if class.as_ref() == schema::ORGANIZATION {
            EntityKind::Organisation
        } else {
            EntityKind::Place
        };
        let c = by
            .entry(e.as_str().to_owned())
            .or_insert_with(|| Candidate {
                iri: e.as_str().to_owned(),
                kind,
                names: vec![],
                context: vec![],
                place_kind: match r[4].as_ref() {
                    Some(Term::NamedNode(n)) if n.as_ref() == schema::COUNTRY => {
                        Some(PlaceKind::Country)
                    }
                    Some(Term::NamedNode(n)) if n.as_ref() == schema::CITY => Some(PlaceKind::City),
                    Some(Term::NamedNode(_)) => Some(PlaceKind::Region),
                    _ if kind == EntityKind::Place => Some(PlaceKind::Other),
                    _ => None,
                },
            });
        if !c.names.contains(&name.value().to_owned()) {
            c.names.push(name.value().to_owned());
        }
        if let Some(Term::Literal(ctx)) = &r[3] {
            if !c.context.contains(&ctx.value().to_owned()) {
                c.context.push(ctx.value().to_owned());
            }
        }
    }
    Ok(by.into_values().collect())
}
