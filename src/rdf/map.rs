//! The pure mapping Facts → quads of one article graph. Same facts, same quads: no clock, no
//! randomness, no blank nodes.
//!
//! Why one file of over 500 lines: one function per kind of fact, all sharing the IRI scheme
//! and the evidence writer; splitting them would scatter the mapping the invariants describe.

use std::collections::{HashMap, HashSet};

use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};

use super::iri::{content_hash, entity_iri, entity_iris, Base};
use super::vocab::{itsrdf, ng, nif, org, prov, rdf, rdfs, schema, xsd};
use crate::article::PubDate;
use crate::facts::*;

/// Hash of the facts' content, ignoring when they were produced (`generated_by.at`): two runs
/// over the same article with the same tool give the same hash.
pub fn facts_hash(facts: &Facts) -> String {
    let mut f = facts.clone();
    f.generated_by.at = None;
    content_hash(&[&serde_json::to_string(&f).expect("facts serialise")])
}

struct Mapper<'a> {
    base: &'a Base,
    graph: GraphName,
    article: NamedNode,
    context: NamedNode,
    activity: NamedNode,
    entities: HashMap<String, NamedNode>,
    kinds: HashMap<&'a str, &'a Entity>,
    events: HashMap<&'a str, NamedNode>,
    /// (start, end) of the spans whose nodes are already described.
    spans: HashSet<(usize, usize)>,
    quads: Vec<Quad>,
}

impl Mapper<'_> {
    fn add(&mut self, s: impl Into<NamedOrBlankNode>, p: NamedNodeRef<'_>, o: impl Into<Term>) {
        self.quads
            .push(Quad::new(s, p.into_owned(), o, self.graph.clone()));
    }

    /// The NIF string node of a span; its description is written the first time only.
    fn span_node(&mut self, span: &Span) -> NamedNode {
        let node = NamedNode::new_unchecked(format!(
            "{}#char={},{}",
            self.article.as_str(),
            span.start,
            span.end
        ));
        if !self.spans.insert((span.start, span.end)) {
            return node;
        }
        // Typed nif:Phrase only: the URI scheme class nif:RFC5147String is stated once, on
        // the article's nif:Context, whose fragment IRIs every phrase shares (it was 8% of the
        // quads of a BBC ingest).
        self.add(node.clone(), rdf::TYPE, nif::PHRASE.into_owned());
        self.add(node.clone(), nif::BEGIN_INDEX, nonneg(span.start));
        self.add(node.clone(), nif::END_INDEX, nonneg(span.end));
        self.add(
            node.clone(),
            nif::ANCHOR_OF,
            Literal::new_simple_literal(&span.text),
        );
        self.add(node.clone(), nif::REFERENCE_CONTEXT, self.context.clone());
        node
    }

    fn evidence(&mut self, fact: &NamedNode, ev: &Evidence) {
        for span in &ev.spans {
            let node = self.span_node(span);
            self.add(fact.clone(), prov::WAS_DERIVED_FROM, node);
        }
        self.provenance(fact, ev);
    }

    fn provenance(&mut self, node: &NamedNode, ev: &Evidence) {
        if let Some(rule) = &ev.rule {
            self.add(node.clone(), ng::RULE, Literal::new_simple_literal(rule));
        }
        if let Some(annotator) = &ev.annotator {
            let agent = self.agent_person(annotator);
            self.add(node.clone(), prov::WAS_ATTRIBUTED_TO, agent);
        }
        self.add(node.clone(), ng::CONFIDENCE, Literal::from(ev.confidence));
        self.add(node.clone(), prov::WAS_GENERATED_BY, self.activity.clone());
    }

    fn agent_person(&mut self, name: &str) -> NamedNode {
        let agent = self.base.iri(&format!("agent/{}", super::iri::slug(name)));
        self.add(agent.clone(), rdf::TYPE, prov::PERSON.into_owned());
        self.add(
            agent.clone(),
            rdfs::LABEL,
            Literal::new_simple_literal(name),
        );
        agent
    }

    fn time(&mut self, node: &NamedNode, date_prop: NamedNodeRef<'_>, t: &TimeExpr) {
        if let (Some(v), Some(p)) = (&t.value, t.precision) {
            let dt = match p {
                Precision::Day => xsd::DATE,
                Precision::Month => xsd::G_YEAR_MONTH,
                Precision::Year => xsd::G_YEAR,
            };
            self.add(node.clone(), date_prop, Literal::new_typed_literal(v, dt));
            let prec = match p {
                Precision::Day => ng::DAY,
                Precision::Month => ng::MONTH,
                Precision::Year => ng::YEAR,
            };
            self.add(node.clone(), ng::TIME_PRECISION, prec.into_owned());
        }
        self.add(
            node.clone(),
            ng::TIME_PHRASE,
            Literal::new_simple_literal(&t.phrase),
        );
        let method = match &t.resolution {
            Resolution::Explicit => ng::EXPLICIT,
            Resolution::PublicationDate => ng::PUBLICATION_DATE,
            Resolution::RelativeToEvent { event, offset_days } => {
                if let Some(other) = self.events.get(event.as_str()).cloned() {
                    self.add(node.clone(), ng::RELATIVE_TO, other);
                }
                self.add(node.clone(), ng::OFFSET_DAYS, Literal::from(*offset_days));
                ng::RELATIVE_TO_EVENT
            }
            Resolution::NamedEvent { name, offset_days } => {
                self.add(
                    node.clone(),
                    ng::ANCHOR_EVENT,
                    Literal::new_simple_literal(name),
                );
                self.add(node.clone(), ng::OFFSET_DAYS, Literal::from(*offset_days));
                ng::NAMED_EVENT
            }
            Resolution::Unresolved => ng::UNRESOLVED,
        };
        self.add(node.clone(), ng::TIME_RESOLUTION, method.into_owned());
        if let Some(span) = &t.span {
            let s = self.span_node(span);
            self.add(node.clone(), prov::WAS_DERIVED_FROM, s);
        }
    }
}

/// Character offsets as `xsd:integer`: Oxigraph stores every integer type as `xsd:integer`,
/// so emitting that type keeps store round trips exact.
fn nonneg(n: usize) -> Literal {
    Literal::new_typed_literal(n.to_string(), xsd::INTEGER)
}

fn pub_date_literal(d: PubDate) -> Literal {
    match d {
        PubDate::Day(_) => Literal::new_typed_literal(d.to_string(), xsd::DATE),
        PubDate::Month { .. } => Literal::new_typed_literal(d.to_string(), xsd::G_YEAR_MONTH),
    }
}

/// Maps one article's facts to the quads of its named graph (the article IRI).
///
/// The facts must have passed [`check`](crate::facts::check); references that do not resolve are
/// skipped rather than invented.
pub fn facts_to_quads(facts: &Facts, base: &Base) -> Vec<Quad> {
    facts_to_quads_hashed(facts, base, &facts_hash(facts))
}

/// [`facts_to_quads`] for a caller that already has `hash`, which must be
/// [`facts_hash`]`(facts)`: the hash serialises the whole facts, text included, so it is worth
/// computing once.
pub fn facts_to_quads_hashed(facts: &Facts, base: &Base, hash: &str) -> Vec<Quad> {
    let article = base.article(&facts.article.id);
    let text_len = facts.article.text.chars().count();
    let context = NamedNode::new_unchecked(format!("{}#char=0,{text_len}", article.as_str()));
    let producer = &facts.generated_by;
    let activity = base.iri(&format!(
        "run/{}",
        &content_hash(&[
            &facts.article.id,
            &producer.tool,
            producer.version.as_deref().unwrap_or(""),
            producer.annotator.as_deref().unwrap_or(""),
            producer.at.as_deref().unwrap_or(""),
        ])[..16]
    ));
    let mut m = Mapper {
        base,
        graph: GraphName::NamedNode(article.clone()),
        article: article.clone(),
        context: context.clone(),
        activity: activity.clone(),
        entities: entity_iris(base, &facts.entities),
        kinds: facts.entities.iter().map(|e| (e.id.as_str(), e)).collect(),
        events: HashMap::new(),
        spans: HashSet::new(),
        quads: Vec::new(),
    };

    // The article and its text.
    let meta = &facts.article.meta;
    m.add(
        article.clone(),
        rdf::TYPE,
        schema::NEWS_ARTICLE.into_owned(),
    );
    m.add(
        article.clone(),
        ng::ARTICLE_ID,
        Literal::new_simple_literal(&facts.article.id),
    );
    m.add(
        article.clone(),
        ng::CONTENT_HASH,
        Literal::new_simple_literal(hash),
    );
    if let Some(h) = &meta.headline {
        m.add(
            article.clone(),
            schema::HEADLINE,
            Literal::new_simple_literal(h),
        );
    }
    if let Some(s) = &meta.subtitle {
        m.add(
            article.clone(),
            schema::ALTERNATIVE_HEADLINE,
            Literal::new_simple_literal(s),
        );
    }
    if let Some(u) = meta.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
        m.add(article.clone(), schema::URL, u);
    }
    if let Some(d) = meta.published {
        m.add(article.clone(), schema::DATE_PUBLISHED, pub_date_literal(d));
    }
    named_party(
        &mut m,
        &article,
        schema::PUBLISHER,
        EntityKind::Organisation,
        meta.publisher.as_deref(),
    );
    named_party(
        &mut m,
        &article,
        schema::AUTHOR,
        EntityKind::Person,
        meta.author.as_deref(),
    );
    if let Some(src) = &meta.based_on {
        let src_iri = src
            .url
            .as_deref()
            .and_then(|u| NamedNode::new(u).ok())
            .unwrap_or_else(|| NamedNode::new_unchecked(format!("{}/based-on", article.as_str())));
        m.add(article.clone(), schema::IS_BASED_ON, src_iri.clone());
        m.add(
            src_iri.clone(),
            rdf::TYPE,
            schema::NEWS_ARTICLE.into_owned(),
        );
        if let Some(h) = &src.headline {
            m.add(
                src_iri.clone(),
                schema::HEADLINE,
                Literal::new_simple_literal(h),
            );
        }
        if let Some(u) = src.url.as_deref().and_then(|u| NamedNode::new(u).ok()) {
            m.add(src_iri.clone(), schema::URL, u);
        }
        named_party(
            &mut m,
            &src_iri,
            schema::PUBLISHER,
            EntityKind::Organisation,
            src.publisher.as_deref(),
        );
        named_party(
            &mut m,
            &src_iri,
            schema::AUTHOR,
            EntityKind::Person,
            src.author.as_deref(),
        );
    }
    m.add(context.clone(), rdf::TYPE, nif::CONTEXT.into_owned());
    m.add(context.clone(), rdf::TYPE, nif::RFC5147_STRING.into_owned());
    m.add(
        context.clone(),
        nif::IS_STRING,
        Literal::new_simple_literal(&facts.article.text),
    );
    m.add(context.clone(), nif::BEGIN_INDEX, nonneg(0));
    m.add(context.clone(), nif::END_INDEX, nonneg(text_len));
    m.add(context.clone(), nif::SOURCE_URL, article.clone());

    // The run that produced the facts.
    m.add(activity.clone(), rdf::TYPE, prov::ACTIVITY.into_owned());
    m.add(activity.clone(), prov::USED, article.clone());
    m.add(
        activity.clone(),
        rdfs::LABEL,
        Literal::new_simple_literal(format!("{} run", producer.tool)),
    );
    if let Some(at) = &producer.at {
        m.add(
            activity.clone(),
            prov::ENDED_AT_TIME,
            Literal::new_typed_literal(at, xsd::DATE_TIME),
        );
    }
    let tool = base.iri(&format!("agent/{}", super::iri::slug(&producer.tool)));
    m.add(tool.clone(), rdf::TYPE, prov::SOFTWARE_AGENT.into_owned());
    m.add(
        tool.clone(),
        rdfs::LABEL,
        Literal::new_simple_literal(&producer.tool),
    );
    if let Some(v) = &producer.version {
        m.add(
            activity.clone(),
            schema::SOFTWARE_VERSION,
            Literal::new_simple_literal(v),
        );
    }
    m.add(activity.clone(), prov::WAS_ASSOCIATED_WITH, tool);
    if let Some(a) = &producer.annotator {
        let agent = m.agent_person(a);
        m.add(activity.clone(), prov::WAS_ASSOCIATED_WITH, agent);
    }

    // Entities and their mentions.
    for e in &facts.entities {
        let node = m.entities[&e.id].clone();
        let types: &[NamedNodeRef<'_>] = match (e.kind, e.place_kind) {
            (EntityKind::Person, _) => &[schema::PERSON],
            (EntityKind::Organisation, _) => &[schema::ORGANIZATION, org::ORGANIZATION],
            (EntityKind::Place, Some(PlaceKind::Country)) => &[schema::PLACE, schema::COUNTRY],
            (EntityKind::Place, Some(PlaceKind::City)) => &[schema::PLACE, schema::CITY],
            (EntityKind::Place, Some(PlaceKind::Region)) => {
                &[schema::PLACE, schema::ADMINISTRATIVE_AREA]
            }
            (EntityKind::Place, _) => &[schema::PLACE],
        };
        for t in types {
            m.add(node.clone(), rdf::TYPE, t.into_owned());
        }
        m.add(
            node.clone(),
            schema::NAME,
            Literal::new_simple_literal(&e.name),
        );
        m.add(
            node.clone(),
            rdfs::LABEL,
            Literal::new_simple_literal(&e.name),
        );
        for a in &e.aliases {
            m.add(
                node.clone(),
                schema::ALTERNATE_NAME,
                Literal::new_simple_literal(a),
            );
        }
        m.add(article.clone(), schema::MENTIONS, node.clone());
        for span in &e.mentions {
            let s = m.span_node(span);
            m.add(s, itsrdf::TA_IDENT_REF, node.clone());
        }
        for span in &e.evidence.spans {
            let s = m.span_node(span);
            m.add(s.clone(), itsrdf::TA_IDENT_REF, node.clone());
            m.provenance(&s, &e.evidence);
        }
    }

    // Events: IRIs first, so that times can refer to other events.
    let event_iris: Vec<NamedNode> = facts
        .events
        .iter()
        .map(|ev| event_iri(&m, &facts.article.id, ev))
        .collect();
    for (ev, iri) in facts.events.iter().zip(&event_iris) {
        m.events.insert(ev.id.as_str(), iri.clone());
    }
    for (ev, node) in facts.events.iter().zip(event_iris) {
        m.add(node.clone(), rdf::TYPE, schema::EVENT.into_owned());
        m.add(node.clone(), rdf::TYPE, event_class(ev.kind).into_owned());
        m.add(
            node.clone(),
            ng::ARTICLE_ID,
            Literal::new_simple_literal(&facts.article.id),
        );
        let names: Vec<&str> = ev
            .participants
            .iter()
            .filter_map(|p| m.kinds.get(p.entity.as_str()).map(|e| e.name.as_str()))
            .collect();
        let label = format!("{}: {}", ev.kind.as_str(), names.join(", "));
        m.add(
            node.clone(),
            rdfs::LABEL,
            Literal::new_simple_literal(label),
        );
        for p in &ev.participants {
            let (Some(ent), Some(target)) = (
                m.kinds.get(p.entity.as_str()).copied(),
                m.entities.get(&p.entity).cloned(),
            ) else {
                continue;
            };
            if ent.kind != EntityKind::Place {
                m.add(node.clone(), schema::ATTENDEE, target.clone());
            }
            let part = NamedNode::new_unchecked(format!(
                "{}/{}/{}",
                node.as_str(),
                p.role.as_str(),
                target.as_str().rsplit('/').next().unwrap_or("x")
            ));
            m.add(node.clone(), ng::HAS_PARTICIPATION, part.clone());
            m.add(part.clone(), rdf::TYPE, ng::PARTICIPATION.into_owned());
            m.add(part.clone(), ng::PARTICIPANT, target);
            m.add(part, ng::ROLE, role_iri(p.role).into_owned());
        }
        if let Some(place) = ev.place.as_ref().and_then(|p| m.entities.get(p).cloned()) {
            m.add(node.clone(), schema::LOCATION, place);
        }
        if let Some(t) = &ev.time {
            m.time(&node, schema::START_DATE, t);
        }
        let status = match ev.status {
            EventStatus::Occurred => ng::OCCURRED,
            EventStatus::Planned => {
                m.add(
                    node.clone(),
                    schema::EVENT_STATUS,
                    schema::EVENT_SCHEDULED.into_owned(),
                );
                ng::PLANNED
            }
        };
        m.add(node.clone(), ng::STATUS, status.into_owned());
        for topic in &ev.topics {
            m.add(node.clone(), ng::TOPIC, Literal::new_simple_literal(topic));
            m.add(
                node.clone(),
                schema::KEYWORDS,
                Literal::new_simple_literal(topic),
            );
        }
        m.evidence(&node, &ev.evidence);
    }

    // Post holdings.
    for p in &facts.posts {
        let Some(holder) = m.entities.get(&p.holder).cloned() else {
            continue;
        };
        let of = p.of.as_ref().and_then(|o| m.entities.get(o).cloned());
        let node = base.iri(&format!(
            "holding/{}",
            &content_hash(&[
                &facts.article.id,
                holder.as_str(),
                &p.title,
                of.as_ref().map_or("", |o| o.as_str()),
                p.status.as_str(),
            ])[..16]
        ));
        m.add(node.clone(), rdf::TYPE, ng::POST_HOLDING.into_owned());
        m.add(node.clone(), rdf::TYPE, org::MEMBERSHIP.into_owned());
        m.add(node.clone(), org::MEMBER, holder.clone());
        m.add(
            node.clone(),
            ng::POST_TITLE,
            Literal::new_simple_literal(&p.title),
        );
        let role = base.iri(&format!("post/{}", super::iri::slug(&p.title)));
        m.add(node.clone(), org::ROLE, role.clone());
        m.add(role.clone(), rdf::TYPE, org::ROLE_CLASS.into_owned());
        m.add(role, rdfs::LABEL, Literal::new_simple_literal(&p.title));
        if let Some(of) = of {
            m.add(node.clone(), org::ORGANIZATION_PROP, of);
        }
        let status = match p.status {
            PostStatus::Incumbent => ng::INCUMBENT,
            PostStatus::Incoming => ng::INCOMING,
            PostStatus::Former => ng::FORMER,
            PostStatus::Acting => ng::ACTING,
        };
        m.add(node.clone(), ng::STATUS, status.into_owned());
        if p.status == PostStatus::Incumbent {
            m.add(
                holder,
                schema::JOB_TITLE,
                Literal::new_simple_literal(&p.title),
            );
        }
        if let Some(t) = &p.as_of {
            m.time(&node, ng::AS_OF, t);
        }
        m.add(
            node.clone(),
            ng::ARTICLE_ID,
            Literal::new_simple_literal(&facts.article.id),
        );
        m.evidence(&node, &p.evidence);
    }

    // Facts can state the same triple twice (a type, a shared place): keep the first, in the
    // order written, which depends only on the facts.
    let mut quads = m.quads;
    let keep: Vec<bool> = {
        // Fx rather than SipHash: with SipHash this set was about 4% of a BBC ingest's
        // instructions (callgrind). The strings come from the article, so crafted collisions
        // could slow the mapping of that one article, no more; Oxigraph's bulk loader hashes
        // quads with Fx too.
        let mut seen =
            rustc_hash::FxHashSet::with_capacity_and_hasher(quads.len(), Default::default());
        quads.iter().map(|q| seen.insert(q)).collect()
    };
    let mut keep = keep.into_iter();
    quads.retain(|_| keep.next().unwrap_or(false));
    quads
}

fn named_party(
    m: &mut Mapper<'_>,
    subject: &NamedNode,
    prop: NamedNodeRef<'_>,
    kind: EntityKind,
    name: Option<&str>,
) {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return;
    };
    let node = entity_iri(m.base, kind, name);
    let class = match kind {
        EntityKind::Person => schema::PERSON,
        _ => schema::ORGANIZATION,
    };
    m.add(subject.clone(), prop, node.clone());
    m.add(node.clone(), rdf::TYPE, class.into_owned());
    if kind == EntityKind::Organisation {
        m.add(node.clone(), rdf::TYPE, org::ORGANIZATION.into_owned());
    }
    m.add(
        node.clone(),
        schema::NAME,
        Literal::new_simple_literal(name),
    );
    m.add(node, rdfs::LABEL, Literal::new_simple_literal(name));
}

fn event_iri(m: &Mapper<'_>, article_id: &str, ev: &Event) -> NamedNode {
    let mut parts: Vec<String> = ev
        .participants
        .iter()
        .map(|p| {
            format!(
                "{}={}",
                p.role.as_str(),
                m.entities.get(&p.entity).map_or("", |n| n.as_str())
            )
        })
        .collect();
    parts.sort();
    let place = ev
        .place
        .as_ref()
        .and_then(|p| m.entities.get(p))
        .map_or(String::new(), |n| n.as_str().to_owned());
    let time = ev.time.as_ref().map_or(String::new(), |t| {
        format!("{}|{}", t.phrase, t.value.as_deref().unwrap_or(""))
    });
    let first = ev
        .evidence
        .spans
        .first()
        .map_or(String::new(), |s| format!("{},{}", s.start, s.end));
    let kind = ev.kind.as_str();
    let joined = parts.join(";");
    m.base.iri(&format!(
        "event/{}",
        &content_hash(&[article_id, kind, &joined, &place, &time, &first])[..16]
    ))
}

fn event_class(kind: EventKind) -> NamedNodeRef<'static> {
    match kind {
        EventKind::Meeting => ng::MEETING,
        EventKind::Talks => ng::TALKS,
        EventKind::Visit => ng::VISIT,
        EventKind::Briefing => ng::BRIEFING,
        EventKind::Call => ng::CALL,
        EventKind::Announcement => ng::ANNOUNCEMENT,
        EventKind::Mediation => ng::MEDIATION,
        EventKind::Agreement => ng::AGREEMENT,
        EventKind::Publication => ng::PUBLICATION,
        EventKind::Other => ng::OTHER_EVENT,
    }
}

fn role_iri(role: Role) -> NamedNodeRef<'static> {
    match role {
        Role::Host => ng::HOST,
        Role::Guest => ng::GUEST,
        Role::Participant => ng::PARTICIPANT_ROLE,
        Role::Mediator => ng::MEDIATOR,
        Role::Party => ng::PARTY,
        Role::Speaker => ng::SPEAKER,
        Role::Audience => ng::AUDIENCE,
        Role::Author => ng::AUTHOR,
        Role::Publisher => ng::PUBLISHER,
    }
}
