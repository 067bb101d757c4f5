//! The facts model: the interchange format between extraction and the graph.
//!
//! A [`Facts`] value is self-contained: it carries the article (metadata and text) and every
//! fact found in it. All spans are **character offsets** — counted in Unicode scalar values
//! (Rust `char`s, Python `str` indices), 0-based, end exclusive — into `article.text`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::article::ArticleMeta;

/// Version tag written in every facts file; readers accept this exact value.
pub const FACTS_FORMAT: &str = "newsgraph-facts/1";

/// Everything known about one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Format tag, always `newsgraph-facts/1`.
    pub format: String,
    /// The article the facts were read from.
    pub article: ArticleRecord,
    /// Who or what produced these facts.
    pub generated_by: Producer,
    /// Persons, organisations and places, each with every mention.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Who holds which post.
    #[serde(default)]
    pub posts: Vec<PostHolding>,
    /// Meetings, talks, visits, announcements and the like.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// The article: its metadata and the exact text that every span points into.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleRecord {
    /// Stable article id (letters, digits, `-`, `_`, `.`); names the article's graph.
    pub id: String,
    #[serde(flatten)]
    pub meta: ArticleMeta,
    /// The article text (NFC). Spans count `char`s into this string.
    pub text: String,
}

/// The tool run or the person that produced a facts file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Producer {
    /// Tool name, e.g. `newsgraph`, `spacy`, `gpt-...`, or `hand` for human annotation.
    pub tool: String,
    /// Tool version, when a tool produced the facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Person or team that wrote or reviewed the facts by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    /// When the facts were produced (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<String>,
}

/// A character span in the article text, with the text it covers.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// First character (0-based, in Unicode scalar values).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The covered text, exactly; checked against the article text on load.
    pub text: String,
}

/// Why a fact is believed: where it is written and who or what read it there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The span(s) of text that state the fact (at least one).
    pub spans: Vec<Span>,
    /// The extraction rule that fired (for tool output), e.g. `post.title-before-name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The person who wrote the fact by hand (for annotations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotator: Option<String>,
    /// Confidence in [0, 1].
    pub confidence: f64,
}

/// What kind of thing an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    Person,
    Organisation,
    Place,
}

/// What kind of place a place is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Country,
    City,
    Region,
    Other,
}

/// A person, organisation or place named in the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Id unique within this file; posts and events refer to entities by it.
    pub id: String,
    pub kind: EntityKind,
    /// For places: country, city, region or other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_kind: Option<PlaceKind>,
    /// Canonical name, the fullest form used in the article ("Ilham Aliyev").
    pub name: String,
    /// Other names used for it ("Aliyev", "AIPAC").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Every mention, including partial names and resolved descriptions.
    pub mentions: Vec<Span>,
    /// Who or what found the entity (its spans are usually the first mention).
    pub evidence: Evidence,
}

/// Whether a post is held now, soon, formerly, or in an acting capacity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Incumbent,
    Incoming,
    Former,
    Acting,
}

/// A person holding a post ("Foreign Minister" of Israel).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostHolding {
    /// Entity id of the holder (a person).
    pub holder: String,
    /// The post title as a common noun phrase, lower-case unless a proper name ("foreign minister").
    pub title: String,
    /// Entity id of the organisation, country or person the post is in or serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    pub status: PostStatus,
    /// When the article says the post was held (defaults to the publication date when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<TimeExpr>,
    pub evidence: Evidence,
}

/// The kind of an event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Meeting,
    Talks,
    Visit,
    Briefing,
    Call,
    Announcement,
    Mediation,
    Agreement,
    Publication,
    Other,
}

impl EventKind {
    /// Every kind, in declaration order.
    pub const ALL: [EventKind; 10] = [
        EventKind::Meeting,
        EventKind::Talks,
        EventKind::Visit,
        EventKind::Briefing,
        EventKind::Call,
        EventKind::Announcement,
        EventKind::Mediation,
        EventKind::Agreement,
        EventKind::Publication,
        EventKind::Other,
    ];

    /// True for the kinds where parties come together: meeting, talks, visit, call, briefing.
    /// These are what `queries/meetings.rq` lists and the summary pairs up.
    pub fn is_meeting_like(self) -> bool {
        matches!(
            self,
            EventKind::Meeting
                | EventKind::Talks
                | EventKind::Visit
                | EventKind::Call
                | EventKind::Briefing
        )
    }

    /// True for the kinds that `eval` scores as meetings: meeting, talks, visit and call.
    /// Briefings are meeting-like but not scored (`tests/gold/GUIDELINES.md` §4, and
    /// `check_gold.py`'s `MEETING_LIKE`, which a test compares with this).
    pub fn is_scored_as_meeting(self) -> bool {
        self.is_meeting_like() && self != EventKind::Briefing
    }
}

/// The part a participant plays in an event.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Invites or receives the others.
    Host,
    /// Comes to the host.
    Guest,
    /// Takes part, with no finer role stated.
    Participant,
    /// Goes between two parties.
    Mediator,
    /// One of the sides a mediation or agreement is between.
    Party,
    /// Speaks, announces or briefs.
    Speaker,
    /// Is briefed or addressed.
    Audience,
    /// Wrote a published work.
    Author,
    /// Published a work.
    Publisher,
}

/// Whether an event has happened or is planned.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Occurred,
    Planned,
}

/// A participant of an event.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Entity id.
    pub entity: String,
    pub role: Role,
}

/// Something that happened or is planned: who, where, when, about what.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Id unique within this file; other events' times may refer to it.
    pub id: String,
    pub kind: EventKind,
    pub participants: Vec<Participant>,
    /// Entity id of the place.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeExpr>,
    pub status: EventStatus,
    /// What was discussed or announced, as short phrases from the text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub topics: Vec<String>,
    pub evidence: Evidence,
}

/// How precise a resolved time value is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// How a time phrase was turned into a value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Resolution {
    /// The phrase states the full value ("21 January 2025").
    Explicit,
    /// Completed from the publication date ("December 11", "yesterday", "last month").
    PublicationDate,
    /// Counted from another event of the same article ("two days after this visit").
    RelativeToEvent {
        /// Id of the event counted from.
        event: String,
        /// Days after (negative: before) that event.
        offset_days: i64,
    },
    /// Counted from a named, dated event in the shipped list ("after Trump's inauguration").
    NamedEvent {
        /// Key of the named event in the list (e.g. `us-presidential-inauguration-2025`).
        name: String,
        /// Days after (negative: before) that event.
        offset_days: i64,
    },
    /// Nothing resolved the phrase; no value is given.
    Unresolved,
}

/// A time as written, and what it was resolved to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TimeExpr {
    /// The phrase as written ("Two days after this visit").
    pub phrase: String,
    /// ISO 8601 value: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, with the given precision; absent when unresolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    pub resolution: Resolution,
    /// Where the phrase is written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// Lower-case names, exactly as serialised.
macro_rules! as_str {
    ($t:ty { $($v:ident => $s:literal),* $(,)? }) => {
        impl $t {
            /// The name as written in facts JSON.
            pub fn as_str(self) -> &'static str {
                match self { $(<$t>::$v => $s),* }
            }
        }
    };
}
as_str!(EntityKind { Person => "person", Organisation => "organisation", Place => "place" });
as_str!(PlaceKind { Country => "country", City => "city", Region => "region", Other => "other" });
as_str!(PostStatus { Incumbent => "incumbent", Incoming => "incoming", Former => "former", Acting => "acting" });
as_str!(EventStatus { Occurred => "occurred", Planned => "planned" });
as_str!(EventKind {
    Meeting => "meeting", Talks => "talks", Visit => "visit", Briefing => "briefing", Call => "call",
    Announcement => "announcement", Mediation => "mediation", Agreement => "agreement",
    Publication => "publication", Other => "other",
});
as_str!(Role {
    Host => "host", Guest => "guest", Participant => "participant", Mediator => "mediator",
    Party => "party", Speaker => "speaker", Audience => "audience", Author => "author",
    Publisher => "publisher",
});
