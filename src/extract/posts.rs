//! Post holdings: a title before a name ("Israeli President Isaac Herzog", "incoming president
//! Bernie Kaminetsky"), an apposition after it ("Hikmet Hajiyev, a senior aide to President
//! Aliyev", "Nail Olpak, president of the ... Board"), or a title of an organisation before a
//! name ("the president of AIPAC, Michael Tuchin").
//!
//! Why one file of over 500 lines: the three detectors share the title matcher, the span
//! helpers and the status words, and run as one pass; about a fifth of the file is tests.

use super::lexicon::Lexicon;
use super::mentions::Mentions;
use super::portfolio::portfolio_end;
use super::text::Doc;
use crate::facts::{EntityKind, PostStatus};

/// A post holding before ids and spans are assigned.
#[derive(Debug, Clone, PartialEq)]
pub struct PostDraft {
    pub holder: usize,
    pub title: String,
    pub of: Option<usize>,
    pub status: PostStatus,
    /// Folded byte range of the evidence.
    pub span: (usize, usize),
    /// Token range of the phrase naming `of` (so events can leave it out of participants).
    pub of_tokens: Option<(usize, usize)>,
    /// The country named before the title ("Israeli President ..."), even when the article
    /// never names the country itself.
    pub country: Option<String>,
    pub rule: &'static str,
    pub confidence: f64,
}

/// A maximal run of tokens that belong to one entity mention.
#[derive(Debug, Clone, Copy)]
pub struct MentionRun {
    pub a: usize,
    pub b: usize,
    pub entity: usize,
}

/// Contiguous token runs of the same entity.
pub fn mention_runs(m: &Mentions) -> Vec<MentionRun> {
    let mut out: Vec<MentionRun> = Vec::new();
    for (i, e) in m.token_entity.iter().enumerate() {
        if let Some(e) = *e {
            match out.last_mut() {
                Some(r) if r.b == i && r.entity == e => r.b = i + 1,
                _ => out.push(MentionRun {
                    a: i,
                    b: i + 1,
                    entity: e,
                }),
            }
        }
    }
    out
}

fn status_word(w: &str) -> Option<PostStatus> {
    Some(match w {
        "incoming" | "designate" | "elect" | "president-elect" | "new" | "newly-appointed" => {
            PostStatus::Incoming
        }
        "former" | "ex" | "then" | "late" | "outgoing" | "retired" | "erstwhile" => {
            PostStatus::Former
        }
        "acting" | "interim" | "caretaker" => PostStatus::Acting,
        _ => return None,
    })
}

struct Ctx<'a> {
    doc: &'a Doc,
    lex: &'a Lexicon,
    m: &'a Mentions,
    runs: Vec<MentionRun>,
}

impl Ctx<'_> {
    fn low(&self, i: usize) -> String {
        self.doc.tok(i).to_lowercase()
    }

    /// The place entity of a country named by a demonym ("Israeli" → Israel), when the
    /// article has one.
    fn country_entity(&self, name: &str) -> Option<usize> {
        self.m
            .entities
            .iter()
            .position(|e| e.kind == EntityKind::Place && e.name == name)
    }

    /// Longest title that starts at `i` (lower-cased tokens): its end.
    fn title_from(&self, i: usize) -> Option<usize> {
        let mut phrase = String::new();
        let mut best = None;
        for k in i..(i + 5).min(self.doc.tokens.len()) {
            if k > i {
                phrase.push(' ');
            }
            phrase.push_str(&self.low(k));
            if self.lex.titles.contains(&phrase) {
                best = Some(k + 1);
            }
        }
        best
    }

    /// Longest title that ends just before `end`, with the modifiers written before it
    /// ("political editor"): its start.
    fn title_ending(&self, end: usize) -> Option<usize> {
        let mut s = (end.saturating_sub(5)..end).find(|&s| self.title_from(s) == Some(end))?;
        while s > 0 && end - s < 6 && self.lex.title_modifiers.contains(&self.low(s - 1)) {
            s -= 1;
        }
        Some(s)
    }

    /// A title starting at `i` after at most two modifiers ("senior aide", "sporting
    /// director"): its end.
    fn title_with_modifiers(&self, i: usize) -> Option<usize> {
        let mut k = i;
        for _ in 0..3 {
            if let Some(e) = self.title_from(k) {
                return Some(e);
            }
            if k < self.doc.tokens.len() && self.lex.title_modifiers.contains(&self.low(k)) {
                k += 1;
            } else {
                return None;
            }
        }
        None
    }

    /// A lower-case title written before a name may open with a capitalised word only at the
    /// start of a sentence ("Documentary maker X") or when that word is an acronym modifier
    /// ("TV presenter X"); otherwise a capitalised title is part of the name's own run.
    fn title_start_ok(&self, ts: usize, sent_start: usize) -> bool {
        let w = self.doc.tok(ts);
        w.chars().next().is_some_and(char::is_lowercase)
            || ts == sent_start
            || (w.len() >= 2
                && w.chars().all(|c| c.is_ascii_uppercase())
                && self.lex.title_modifiers.contains(&w.to_lowercase()))
    }

    /// The mention run covering token `i` (runs are sorted and disjoint).
    fn run_at(&self, i: usize) -> Option<MentionRun> {
        let k = self.runs.partition_point(|r| r.b <= i);
        self.runs.get(k).copied().filter(|r| r.a <= i)
    }

    /// The kind of entity token `i` names, as a portfolio sees it: an organisation named only
    /// there is the portfolio's own words ("for International Cooperation"), not a body.
    fn portfolio_entity(&self, i: usize) -> Option<EntityKind> {
        let e = &self.m.entities[self.run_at(i)?.entity];
        (e.kind != EntityKind::Organisation || e.mentions.len() > 1).then_some(e.kind)
    }

    fn is_kind(&self, e: usize, kinds: &[EntityKind]) -> bool {
        kinds.contains(&self.m.entities[e].kind)
    }

    fn span(&self, a: usize, b: usize) -> (usize, usize) {
        (self.doc.tokens[a].start, self.doc.tokens[b - 1].end)
    }

    /// The entity named right after `i` (skipping "the"), if any: (run, tokens end).
    fn entity_after(&self, mut i: usize) -> Option<MentionRun> {
        if i < self.doc.tokens.len() && self.low(i) == "the" {
            i += 1;
        }
        // Skip a title in front of the name: "to President Aliyev".
        if let Some(e) = self.title_from(i) {
            if self.run_at(e).is_some() {
                i = e;
            }
        }
        self.run_at(i).filter(|r| r.a == i)
    }

    fn status_before(&self, i: usize) -> PostStatus {
        let mut k = i;
        while k > 0 {
            let w = self.low(k - 1);
            if let Some(s) = status_word(&w) {
                return s;
            }
            if w == "-" {
                k -= 1;
                continue;
            }
            break;
        }
        PostStatus::Incumbent
    }
}

/// Finds post holdings.
pub fn detect(doc: &Doc, lex: &Lexicon, m: &Mentions) -> Vec<PostDraft> {
    let ctx = Ctx {
        doc,
        lex,
        m,
        runs: mention_runs(m),
    };
    let mut out: Vec<PostDraft> = Vec::new();
    // 1. Titles inside proper-noun runs: "Israeli President Isaac Herzog".
    for t in &m.titled {
        out.push(PostDraft {
            holder: t.person,
            title: t.title.clone(),
            of: t
                .of
                .or_else(|| t.country.as_deref().and_then(|c| ctx.country_entity(c))),
            status: ctx.status_before(t.title_tokens.0),
            span: t.span,
            of_tokens: None,
            country: t.country.clone(),
            rule: "post.title-before-name",
            confidence: 0.9,
        });
    }
    // Names already given a title inside their proper-noun run.
    let titled_ends: std::collections::HashSet<(usize, usize)> =
        out.iter().map(|p| (p.holder, p.span.1)).collect();
    for r in &ctx.runs {
        if !ctx.is_kind(r.entity, &[EntityKind::Person]) {
            continue;
        }
        let sent = doc.sentences[doc.sentence_of(r.a)];
        // 2. Lower-case title right before the name: "incoming president Bernie Kaminetsky",
        //    "Microsoft chief executive Steve Ballmer", "AIPAC's president Michael Tuchin".
        if r.a > sent.tokens.0 && !titled_ends.contains(&(r.entity, doc.tokens[r.b - 1].end)) {
            if let Some(ts) = ctx.title_ending(r.a) {
                if ctx.title_start_ok(ts, sent.tokens.0) {
                    let mut of = None;
                    let mut of_tokens = None;
                    let mut k = ts;
                    while k > sent.tokens.0 && status_word(&ctx.low(k - 1)).is_some() {
                        k -= 1;
                    }
                    let before = if k > sent.tokens.0 && doc.tok(k - 1) == "'s" {
                        k.saturating_sub(1)
                    } else {
                        k
                    };
                    if before > sent.tokens.0 {
                        if let Some(o) = ctx.run_at(before - 1) {
                            if ctx.is_kind(o.entity, &[EntityKind::Organisation, EntityKind::Place])
                            {
                                of = Some(o.entity);
                                of_tokens = Some((o.a, o.b));
                                k = o.a;
                            }
                        }
                    }
                    let title =
                        doc.text[doc.tokens[ts].start..doc.tokens[r.a - 1].end].to_lowercase();
                    // "former Spurs and England defender Gary Stevens": a post in each.
                    if let Some(o2) = of_tokens
                        .filter(|&(oa, _)| oa >= sent.tokens.0 + 2 && ctx.low(oa - 1) == "and")
                        .and_then(|(oa, _)| ctx.run_at(oa - 2))
                        .filter(|o2| {
                            ctx.is_kind(o2.entity, &[EntityKind::Organisation, EntityKind::Place])
                                && Some(o2.entity) != of
                        })
                    {
                        out.push(PostDraft {
                            holder: r.entity,
                            title: title.clone(),
                            of: Some(o2.entity),
                            status: ctx.status_before(o2.a),
                            span: ctx.span(o2.a, r.b),
                            of_tokens: Some((o2.a, o2.b)),
                            country: None,
                            rule: "post.lowercase-title-before-name.coordinated",
                            confidence: 0.8,
                        });
                        k = o2.a;
                    }
                    out.push(PostDraft {
                        holder: r.entity,
                        title,
                        of,
                        status: match ctx.status_before(ts) {
                            PostStatus::Incumbent => ctx.status_before(k),
                            st => st,
                        },
                        span: ctx.span(k, r.b),
                        of_tokens,
                        country: None,
                        rule: "post.lowercase-title-before-name",
                        confidence: 0.85,
                    });
                }
            }
        }
        // 3. Apposition: "NAME, (a|the) [senior] TITLE (of|to|at|for) X" or "NAME, X's TITLE".
        let mut k = r.b;
        if k < sent.tokens.1 && doc.tok(k) == "," {
            k += 1;
            if k < sent.tokens.1 && matches!(ctx.low(k).as_str(), "a" | "an" | "the") {
                k += 1;
            }
            let mut status = PostStatus::Incumbent;
            let mut of = None;
            let mut of_tokens = None;
            if let Some(s) = (k < sent.tokens.1)
                .then(|| status_word(&ctx.low(k)))
                .flatten()
            {
                status = s;
                k += 1;
            }
            // "X's TITLE" or "an X TITLE": the post is in X.
            if let Some(o) = ctx.run_at(k).filter(|o| o.a == k) {
                let org_like =
                    ctx.is_kind(o.entity, &[EntityKind::Organisation, EntityKind::Place]);
                if org_like && o.b + 1 < sent.tokens.1 && doc.tok(o.b) == "'s" {
                    of = Some(o.entity);
                    of_tokens = Some((o.a, o.b));
                    k = o.b + 1;
                } else if org_like && ctx.title_with_modifiers(o.b).is_some() {
                    of = Some(o.entity);
                    of_tokens = Some((o.a, o.b));
                    k = o.b;
                }
            }
            // The title, after at most two modifiers ("senior aide", "sporting director").
            let found = ctx.title_with_modifiers(k).map(|e| (k, e));
            // "Herzog, Foreign Minister Gideon Saar": a title before the next name, not an apposition.
            let next_is_name = found.is_some_and(|(_, te)| {
                ctx.run_at(te)
                    .is_some_and(|n| n.a == te && ctx.is_kind(n.entity, &[EntityKind::Person]))
            });
            if let Some((ts, te)) = found.filter(|_| !next_is_name) {
                let mut title =
                    doc.text[doc.tokens[ts].start..doc.tokens[te - 1].end].to_lowercase();
                let mut end = te;
                // "envoy to the United Nations": an envoy's title names where they are sent.
                if let Some(o) = envoy_to(&ctx, &title, te) {
                    title = format!(
                        "{title} {}",
                        &doc.text[doc.tokens[te].start..doc.tokens[o.b - 1].end]
                    );
                    end = o.b;
                }
                // "Minister of State for International Cooperation": the portfolio is part of
                // the title; an "of NAME" after it is still the post's organisation.
                let mut te = te;
                if end == te {
                    if let Some(pe) =
                        portfolio_end(doc, |k| ctx.portfolio_entity(k), te, sent.tokens.1)
                    {
                        title = format!(
                            "{title} {}",
                            doc.text[doc.tokens[te].start..doc.tokens[pe - 1].end].to_lowercase()
                        );
                        end = pe;
                        te = pe;
                    }
                }
                if of.is_none()
                    && te < sent.tokens.1
                    && matches!(ctx.low(te).as_str(), "of" | "to" | "at" | "for" | "with")
                {
                    if let Some(o) = ctx.entity_after(te + 1) {
                        of = Some(o.entity);
                        of_tokens = Some((te, o.b));
                        end = o.b;
                        // Keep an acronym in brackets with the span: "(DEIK)".
                        if o.b + 2 < sent.tokens.1 && doc.tok(o.b) == "(" && doc.tok(o.b + 2) == ")"
                        {
                            end = o.b + 3;
                        }
                    }
                }
                out.push(PostDraft {
                    holder: r.entity,
                    title,
                    of,
                    status,
                    span: ctx.span(r.a, end),
                    of_tokens,
                    country: None,
                    rule: "post.apposition",
                    confidence: 0.85,
                });
            }
        }
        // 4. "the TITLE of X, NAME": "the president of the American ... (AIPAC), Michael Tuchin".
        if r.a >= 2 && doc.tok(r.a - 1) == "," {
            let mut e = r.a - 1;
            // Step over a bracketed acronym.
            if e >= 3 && doc.tok(e - 1) == ")" && doc.tok(e - 3) == "(" {
                e -= 3;
            }
            if let Some(o) = (e > 0).then(|| ctx.run_at(e - 1)).flatten() {
                if o.b == e && o.a >= 2 && matches!(ctx.low(o.a - 1).as_str(), "of" | "the") {
                    let of_pos = if ctx.low(o.a - 1) == "the" {
                        o.a - 2
                    } else {
                        o.a - 1
                    };
                    if of_pos > sent.tokens.0 && ctx.low(of_pos) == "of" {
                        if let Some(ts) = ctx.title_ending(of_pos) {
                            let title = doc.text[doc.tokens[ts].start..doc.tokens[of_pos - 1].end]
                                .to_lowercase();
                            out.push(PostDraft {
                                holder: r.entity,
                                title,
                                of: Some(o.entity),
                                status: ctx.status_before(ts),
                                span: ctx.span(ts, r.b),
                                of_tokens: Some((of_pos, r.a - 1)),
                                country: None,
                                rule: "post.title-of-org-before-name",
                                confidence: 0.85,
                            });
                        }
                    }
                }
            }
        }
        // 5. "the Palestinian leader, NAME", "a second Iranian blogger, NAME", "European Union
        //    ambassador to the WTO, NAME": a title phrase, a comma, then the name.
        if let Some(p) = title_comma_name(&ctx, *r, sent.tokens) {
            out.push(p);
        }
    }
    // A post with no "of" takes it from the same title held in the same sentence by someone
    // else ("the president of AIPAC, ..., along with incoming president ...").
    let mut with_of: std::collections::HashMap<(usize, String), Vec<(usize, usize)>> =
        Default::default();
    for q in &out {
        if let Some(o) = q.of {
            with_of
                .entry((doc.sentence_of_byte(q.span.0), q.title.clone()))
                .or_default()
                .push((q.holder, o));
        }
    }
    // Not when the holder's "of" for that title is stated elsewhere, even as a nationality no
    // lexicon lists ("Ruritanian President ...").
    let stated: std::collections::HashSet<(usize, String)> = out
        .iter()
        .filter(|q| q.of.is_some() || q.country.is_some())
        .map(|q| (q.holder, q.title.clone()))
        .collect();
    for p in out.iter_mut().filter(|p| p.of.is_none()) {
        if stated.contains(&(p.holder, p.title.clone())) {
            continue;
        }
        let key = (doc.sentence_of_byte(p.span.0), p.title.clone());
        if let Some(&(_, o)) = with_of
            .get(&key)
            .and_then(|v| v.iter().find(|(h, _)| *h != p.holder))
        {
            p.of = Some(o);
            p.confidence = 0.7;
        }
    }
    // One holding per (holder, title, of): keep the most informative. A holding without "of"
    // joins one with it.
    let mut merged: Vec<PostDraft> = Vec::new();
    for p in out {
        match merged.iter_mut().find(|q| {
            q.holder == p.holder
                && q.title == p.title
                && (q.of == p.of || q.of.is_none() || p.of.is_none())
        }) {
            Some(q) => {
                if q.of.is_none() && p.of.is_some() {
                    *q = p;
                } else if q.status == PostStatus::Incumbent && p.status != PostStatus::Incumbent {
                    q.status = p.status;
                }
            }
            None => merged.push(p),
        }
    }
    merged.sort_by_key(|p| p.span);
    merged
}

/// "the Israeli president", "the US president": when exactly one person holds that post of that
/// country in the article, the description is a mention of that person. Returns
/// (entity, folded byte range) pairs.
pub fn described_holders(
    doc: &Doc,
    lex: &Lexicon,
    m: &Mentions,
    posts: &[PostDraft],
) -> Vec<(usize, (usize, usize))> {
    let mut out = Vec::new();
    let n = doc.tokens.len();
    for i in 0..n.saturating_sub(2) {
        if !doc.tok(i).eq_ignore_ascii_case("the") {
            continue;
        }
        let adj = doc.tok(i + 1);
        let country = lex.demonyms.get(adj).cloned().or_else(|| {
            lex.places
                .get(&adj.to_lowercase())
                .filter(|p| p.kind == crate::facts::PlaceKind::Country)
                .map(|p| p.name.clone())
        });
        let Some(country) = country else { continue };
        // The longest title right after the adjective, in lower case ("president").
        let mut phrase = String::new();
        let mut end = None;
        for k in i + 2..(i + 6).min(n) {
            if k > i + 2 {
                phrase.push(' ');
            }
            let w = doc.tok(k);
            if w.chars().next().is_some_and(char::is_uppercase) {
                break;
            }
            phrase.push_str(w);
            if lex.titles.contains(&phrase) {
                end = Some((k + 1, phrase.clone()));
            }
        }
        let Some((e, title)) = end else { continue };
        // A name right after makes it a title, handled elsewhere ("the US president Donald Trump").
        if e < n && m.token_entity[e].is_some() {
            continue;
        }
        let holders: std::collections::BTreeSet<usize> = posts
            .iter()
            .filter(|p| {
                p.title == title
                    && (p.country.as_deref() == Some(country.as_str())
                        || p.of.is_some_and(|o| m.entities[o].name == country))
            })
            .map(|p| p.holder)
            .collect();
        if let [h] = holders.iter().copied().collect::<Vec<_>>()[..] {
            out.push((h, (doc.tokens[i + 1].start, doc.tokens[e - 1].end)));
        }
    }
    out
}

/// "envoy to the United Nations", "ambassador to the WTO": for a diplomat's title followed by
/// "to (the) NAME", the run naming where they are posted.
fn envoy_to(ctx: &Ctx<'_>, title: &str, te: usize) -> Option<MentionRun> {
    let last = title.rsplit(' ').next().unwrap_or(title);
    if !matches!(last, "envoy" | "ambassador" | "representative" | "delegate") {
        return None;
    }
    if te >= ctx.doc.tokens.len() || ctx.low(te) != "to" {
        return None;
    }
    let mut k = te + 1;
    if k < ctx.doc.tokens.len() && ctx.low(k) == "the" {
        k += 1;
    }
    ctx.run_at(k).filter(|r| {
        r.a == k && ctx.is_kind(r.entity, &[EntityKind::Organisation, EntityKind::Place])
    })
}

/// Rule 5 of [`detect`]: "(a|an|the|his|her|X's|X) [demonym] [modifiers] TITLE, NAME". The
/// title ends at the comma right before the person's run (a diplomat's title may carry "to
/// (the) ORG"). A name followed by "said"/"told" starts a new clause ("to the minister, Smith
/// said"), so it is left out.
fn title_comma_name(ctx: &Ctx<'_>, r: MentionRun, (s0, s1): (usize, usize)) -> Option<PostDraft> {
    let doc = ctx.doc;
    if r.a < s0 + 2 || doc.tok(r.a - 1) != "," {
        return None;
    }
    if r.b < s1 && matches!(ctx.low(r.b).as_str(), "said" | "says" | "told" | "added") {
        return None;
    }
    let comma = r.a - 1;
    // The title's end: the comma, or the "to" of "ambassador to the WTO,".
    let mut te = comma;
    let mut posted_to = None;
    if let Some(o) = ctx.run_at(comma - 1).filter(|o| o.b == comma) {
        let mut t = o.a;
        if t > s0 && ctx.low(t - 1) == "the" {
            t -= 1;
        }
        if t > s0 && ctx.low(t - 1) == "to" {
            te = t - 1;
            posted_to = Some(o);
        }
    }
    // "Kenya's Cabinet Secretary for Foreign and Diaspora Affairs, NAME": a title, then its
    // portfolio up to the comma.
    let with_portfolio = || {
        (te.saturating_sub(8).max(s0)..te)
            .filter(|&f| matches!(ctx.low(f).as_str(), "for" | "of"))
            .find(|&f| portfolio_end(doc, |k| ctx.portfolio_entity(k), f, te) == Some(te))
            .and_then(|f| ctx.title_ending(f))
    };
    let ts = match ctx.title_ending(te) {
        Some(ts) => {
            if !doc
                .tok(te - 1)
                .chars()
                .next()
                .is_some_and(char::is_lowercase)
            {
                return None;
            }
            ts
        }
        None => with_portfolio()?,
    };
    let mut title = doc.text[doc.tokens[ts].start..doc.tokens[te - 1].end].to_lowercase();
    if let Some(o) = posted_to {
        envoy_to(ctx, &title, te)?;
        title = format!(
            "{title} {}",
            &doc.text[doc.tokens[te].start..doc.tokens[o.b - 1].end]
        );
    }
    // Step back over a demonym, a status word and a few plain adjectives.
    let mut k = ts;
    let mut country = None;
    let mut status = PostStatus::Incumbent;
    for _ in 0..3 {
        if k <= s0 {
            break;
        }
        let w = doc.tok(k - 1);
        if let Some(c) = ctx.lex.demonyms.get(w) {
            country = Some(c.clone());
        } else if let Some(st) = status_word(&w.to_lowercase()) {
            status = st;
        } else if !matches!(
            w,
            "second" | "third" | "first" | "current" | "veteran" | "senior" | "top" | "chief"
        ) {
            break;
        }
        k -= 1;
    }
    if k <= s0 {
        return None;
    }
    let mut of = country.as_deref().and_then(|c| ctx.country_entity(c));
    let mut of_tokens = None;
    let before = ctx.low(k - 1);
    let start = if matches!(
        before.as_str(),
        "a" | "an" | "the" | "his" | "her" | "their" | "its"
    ) {
        k - 1
    } else {
        // "Juninho's agent, NAME", "European Union ambassador to the WTO, NAME".
        let e = if before == "'s" { k - 1 } else { k };
        let o = ctx.run_at(e.checked_sub(1)?).filter(|o| o.b == e)?;
        if o.entity == r.entity {
            return None;
        }
        of = Some(o.entity);
        of_tokens = Some((o.a, o.b));
        o.a
    };
    if posted_to.is_some() && of.is_none() {
        of = posted_to.map(|o| o.entity);
    }
    Some(PostDraft {
        holder: r.entity,
        title,
        of,
        status,
        span: ctx.span(start, r.b),
        of_tokens,
        country,
        rule: "post.title-comma-name",
        confidence: 0.8,
    })
}
