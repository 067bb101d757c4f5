//! The pages' data as askama templates (`src/web/templates/*.html`; HTML escaping is on for
//! every value). Entry point: the structs, one per page.

use askama::Template;

use super::network::Layout;

/// A link to an entity, with what a list shows of it.
pub struct EntityLink {
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub articles: u64,
}

pub struct PairRow {
    pub a: EntityLink,
    pub b: EntityLink,
    pub events: u64,
    pub articles: u64,
    pub first: String,
    pub last: String,
}

pub struct ClassCount {
    pub label: String,
    pub href: String,
    pub events: u64,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct Home {
    pub articles: u64,
    pub persons: u64,
    pub organisations: u64,
    pub places: u64,
    pub classes: Vec<ClassCount>,
    pub top_persons: Vec<EntityLink>,
    pub top_organisations: Vec<EntityLink>,
    pub pairs: Vec<PairRow>,
}

pub struct Hit {
    pub entity: EntityLink,
    /// The name or alias that matched, when it is not the canonical name.
    pub matched: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct Search {
    pub q: String,
    pub hits: Vec<Hit>,
    pub more: bool,
}

pub struct PostRow {
    pub title: String,
    pub of: Option<EntityLink>,
    pub status: String,
    pub articles: u64,
}

/// One event on a timeline.
pub struct EventRow {
    pub date: String,
    pub kind: String,
    pub status: String,
    pub place: Option<EntityLink>,
    /// The entity's role (entity page only).
    pub role: String,
    pub others: Vec<EntityLink>,
    pub article_href: String,
    pub headline: String,
}

pub struct LinkRow {
    pub target: String,
    pub relation: &'static str,
    pub score: String,
    pub method: String,
    pub dataset: String,
}

pub struct ArticleRow {
    pub href: String,
    pub headline: String,
    pub published: String,
}

#[derive(Template)]
#[template(path = "entity.html")]
pub struct Entity {
    pub name: String,
    pub kind: &'static str,
    pub articles: u64,
    pub aliases: Vec<String>,
    pub posts: Vec<PostRow>,
    pub events: Vec<EventRow>,
    pub events_capped: bool,
    pub timeline_href: String,
    pub network: Option<Layout>,
    pub partners: Vec<PairRow>,
    pub links: Vec<LinkRow>,
    pub newest: Vec<ArticleRow>,
}

/// A stretch of article text with the same mention and evidence over all of it.
pub struct Segment {
    pub text: String,
    /// (href, kind, name) of the entity the stretch names.
    pub mention: Option<(String, &'static str, String)>,
    /// The anchors (`f1 f3`) of the facts whose evidence covers the stretch; "" if none.
    pub facts: String,
}

pub struct FactRow {
    pub anchor: String,
    pub kind: String,
    pub label: String,
    pub quote: String,
    pub rule: String,
    pub confidence: String,
    pub date: String,
    pub date_how: String,
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct Article {
    pub id: String,
    pub headline: String,
    pub published: String,
    pub publisher: String,
    pub url: String,
    pub segments: Vec<Segment>,
    pub facts: Vec<FactRow>,
    pub mentions: usize,
}

pub struct KindOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "timeline.html")]
pub struct Timeline {
    pub from: String,
    pub to: String,
    pub kinds: Vec<KindOption>,
    pub place: String,
    pub who: String,
    /// What the filters could not resolve ("no place named ...").
    pub notes: Vec<String>,
    pub events: Vec<EventRow>,
    pub capped: bool,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub message: String,
}
