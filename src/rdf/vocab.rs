//! Vocabulary IRIs as constants, one module per prefix. `rdf`, `rdfs` and `xsd` come from
//! Oxigraph (`oxigraph::model::vocab`).

pub use oxigraph::model::vocab::{rdf, rdfs, xsd};

/// Declares a vocabulary module: its namespace, prefix and terms.
macro_rules! vocab {
    ($(#[$doc:meta])* $module:ident, $prefix:literal, $ns:literal, { $($name:ident = $local:literal),* $(,)? }) => {
        $(#[$doc])*
        pub mod $module {
            use oxigraph::model::NamedNodeRef;
            /// The namespace IRI.
            pub const NS: &str = $ns;
            /// The usual prefix.
            pub const PREFIX: &str = $prefix;
            $(
                pub const $name: NamedNodeRef<'static> =
                    NamedNodeRef::new_unchecked(concat!($ns, $local));
            )*
        }
    };
}

vocab!(
    /// The newsgraph ontology (`ontology/newsgraph.ttl`).
    ng, "ng", "https://w3id.org/newsgraph/ns#", {
    POST_HOLDING = "PostHolding",
    ARTICLE_COUNT = "articleCount",
    EVENT_COUNT = "eventCount",
    UP_TO_DATE = "upToDate",
    SORT_KEY = "sortKey",
    PAIR_MEMBER = "pairMember",
    FIRST_DATE = "firstDate",
    LAST_DATE = "lastDate",
    PARTICIPATION = "Participation",
    MEETING = "Meeting",
    TALKS = "Talks",
    VISIT = "Visit",
    BRIEFING = "Briefing",
    CALL = "Call",
    ANNOUNCEMENT = "Announcement",
    MEDIATION = "Mediation",
    AGREEMENT = "Agreement",
    PUBLICATION = "Publication",
    OTHER_EVENT = "OtherEvent",
    STATUS = "status",
    INCUMBENT = "Incumbent",
    INCOMING = "Incoming",
    FORMER = "Former",
    ACTING = "Acting",
    OCCURRED = "Occurred",
    PLANNED = "Planned",
    POST_TITLE = "postTitle",
    AS_OF = "asOf",
    HAS_PARTICIPATION = "hasParticipation",
    PARTICIPANT = "participant",
    ROLE = "role",
    HOST = "Host",
    GUEST = "Guest",
    PARTICIPANT_ROLE = "ParticipantRole",
    MEDIATOR = "Mediator",
    PARTY = "Party",
    SPEAKER = "Speaker",
    AUDIENCE = "Audience",
    AUTHOR = "Author",
    PUBLISHER = "Publisher",
    TIME_PHRASE = "timePhrase",
    TIME_PRECISION = "timePrecision",
    TIME_RESOLUTION = "timeResolution",
    RELATIVE_TO = "relativeTo",
    ANCHOR_EVENT = "anchorEvent",
    OFFSET_DAYS = "offsetDays",
    DAY = "Day",
    MONTH = "Month",
    YEAR = "Year",
    EXPLICIT = "Explicit",
    PUBLICATION_DATE = "PublicationDate",
    RELATIVE_TO_EVENT = "RelativeToEvent",
    NAMED_EVENT = "NamedEvent",
    UNRESOLVED = "Unresolved",
    RULE = "rule",
    CONFIDENCE = "confidence",
    CONTENT_HASH = "contentHash",
    ARTICLE_ID = "articleId",
    TOPIC = "topic",
    LINK = "Link",
    LINK_SUBJECT = "linkSubject",
    LINK_TARGET = "linkTarget",
    LINK_PREDICATE = "linkPredicate",
    SCORE = "score",
    METHOD = "method",
    SOURCE_FILE = "sourceFile",
});

vocab!(
    /// schema.org.
    schema, "schema", "http://schema.org/", {
    PERSON = "Person",
    ORGANIZATION = "Organization",
    PLACE = "Place",
    COUNTRY = "Country",
    CITY = "City",
    ADMINISTRATIVE_AREA = "AdministrativeArea",
    EVENT = "Event",
    NEWS_ARTICLE = "NewsArticle",
    NAME = "name",
    ALTERNATE_NAME = "alternateName",
    JOB_TITLE = "jobTitle",
    ATTENDEE = "attendee",
    LOCATION = "location",
    START_DATE = "startDate",
    EVENT_STATUS = "eventStatus",
    EVENT_SCHEDULED = "EventScheduled",
    HEADLINE = "headline",
    ALTERNATIVE_HEADLINE = "alternativeHeadline",
    AUTHOR = "author",
    PUBLISHER = "publisher",
    URL = "url",
    DATE_PUBLISHED = "datePublished",
    IS_BASED_ON = "isBasedOn",
    MENTIONS = "mentions",
    KEYWORDS = "keywords",
    IDENTIFIER = "identifier",
    SOFTWARE_VERSION = "softwareVersion",
});

vocab!(
    /// W3C Organization Ontology.
    org, "org", "http://www.w3.org/ns/org#", {
    ORGANIZATION = "Organization",
    MEMBERSHIP = "Membership",
    MEMBER = "member",
    ORGANIZATION_PROP = "organization",
    ROLE = "role",
    ROLE_CLASS = "Role",
});

vocab!(
    /// W3C PROV-O.
    prov, "prov", "http://www.w3.org/ns/prov#", {
    ACTIVITY = "Activity",
    SOFTWARE_AGENT = "SoftwareAgent",
    PERSON = "Person",
    WAS_DERIVED_FROM = "wasDerivedFrom",
    WAS_GENERATED_BY = "wasGeneratedBy",
    WAS_ASSOCIATED_WITH = "wasAssociatedWith",
    WAS_ATTRIBUTED_TO = "wasAttributedTo",
    ENDED_AT_TIME = "endedAtTime",
    USED = "used",
});

vocab!(
    /// NLP Interchange Format core.
    nif, "nif", "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#", {
    CONTEXT = "Context",
    PHRASE = "Phrase",
    RFC5147_STRING = "RFC5147String",
    BEGIN_INDEX = "beginIndex",
    END_INDEX = "endIndex",
    ANCHOR_OF = "anchorOf",
    REFERENCE_CONTEXT = "referenceContext",
    IS_STRING = "isString",
    SOURCE_URL = "sourceUrl",
});

vocab!(
    /// ITS 2.0 RDF (entity references from NIF mentions).
    itsrdf, "itsrdf", "http://www.w3.org/2005/11/its/rdf#", {
    TA_IDENT_REF = "taIdentRef",
});

vocab!(
    /// SKOS.
    skos, "skos", "http://www.w3.org/2004/02/skos/core#", {
    PREF_LABEL = "prefLabel",
    ALT_LABEL = "altLabel",
    CLOSE_MATCH = "closeMatch",
});

vocab!(
    /// VoID, for describing linksets.
    void, "void", "http://rdfs.org/ns/void#", {
    LINKSET = "Linkset",
    IN_DATASET = "inDataset",
    OBJECTS_TARGET = "objectsTarget",
    LINK_PREDICATE = "linkPredicate",
    TRIPLES = "triples",
});

vocab!(
    /// OWL.
    owl, "owl", "http://www.w3.org/2002/07/owl#", {
    SAME_AS = "sameAs",
    VERSION_INFO = "versionInfo",
    ONTOLOGY = "Ontology",
});

vocab!(
    /// SHACL: validation reports and the shapes' messages and names.
    sh, "sh", "http://www.w3.org/ns/shacl#", {
    MESSAGE = "message",
    NAME = "name",
    VALIDATION_REPORT = "ValidationReport",
    VALIDATION_RESULT = "ValidationResult",
    CONFORMS = "conforms",
    RESULT = "result",
    FOCUS_NODE = "focusNode",
    RESULT_PATH = "resultPath",
    VALUE = "value",
    RESULT_MESSAGE = "resultMessage",
    RESULT_SEVERITY = "resultSeverity",
    SOURCE_CONSTRAINT_COMPONENT = "sourceConstraintComponent",
    SOURCE_SHAPE = "sourceShape",
    ALTERNATIVE_PATH = "alternativePath",
});

vocab!(
    /// FOAF, as reference RDF files use it.
    foaf, "foaf", "http://xmlns.com/foaf/0.1/", {
    NAME = "name",
    PERSON = "Person",
    ORGANIZATION = "Organization",
});

vocab!(
    /// Wikidata items used as classes in reference RDF files.
    wd, "wd", "http://www.wikidata.org/entity/", {
    HUMAN = "Q5",
    ORGANIZATION = "Q43229",
    COUNTRY = "Q6256",
    CITY = "Q515",
});

/// Every prefix used when pretty-printing Turtle and TriG, as (prefix, namespace).
pub fn prefixes() -> Vec<(&'static str, &'static str)> {
    vec![
        (ng::PREFIX, ng::NS),
        (schema::PREFIX, schema::NS),
        (org::PREFIX, org::NS),
        (prov::PREFIX, prov::NS),
        (nif::PREFIX, nif::NS),
        (itsrdf::PREFIX, itsrdf::NS),
        (skos::PREFIX, skos::NS),
        (owl::PREFIX, owl::NS),
        (void::PREFIX, void::NS),
        ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ]
}
