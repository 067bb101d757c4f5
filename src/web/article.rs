//! The article page: the text with every mention and every fact's evidence highlighted, and
//! each fact with its rule, confidence and how its date was found. Entry point: [`page`].

use std::collections::BTreeSet;

use askama::Template;

use super::rows;
use super::templates::{Article, FactRow, Segment};
use super::{entity_href, iri_term, kind_of_types, Params, Site, WebError};

pub fn page(site: &Site<'_>, params: &Params) -> Result<String, WebError> {
    let iri = params.iri("iri")?;
    let bind = [("article", iri_term(&iri))];
    let meta = rows::run(site, &rows::ARTICLE, &bind)?;
    let Some(meta) = meta.first() else {
        return Err(WebError::NotFound(format!(
            "The store holds no article <{}>; the start page and the entity pages link to the \
             articles it holds.",
            iri.as_str()
        )));
    };
    let text: Vec<char> = meta.get("text").chars().collect();

    // Mentions: (begin, end, href, kind, name); a span typed twice keeps its strongest kind.
    let mut mentions: Vec<Mention> = Vec::new();
    for r in rows::run(site, &rows::ARTICLE_MENTIONS, &bind)? {
        let (b, e) = (r.int("begin") as usize, r.int("end") as usize);
        let href = entity_href(r.get("entity"));
        match mentions
            .iter_mut()
            .find(|m| m.begin == b && m.end == e && m.href == href)
        {
            Some(m) => m.kind = kind_of_types([type_of_kind(m.kind), r.get("type")]),
            None => mentions.push(Mention {
                begin: b,
                end: e,
                href,
                kind: kind_of_types([r.get("type")]),
                name: r.get("name").to_owned(),
            }),
        }
    }

    // Facts, one row per (fact, evidence span); anchors f1, f2, ... in order of first evidence.
    let fact_rows = rows::run(site, &rows::ARTICLE_FACTS, &bind)?;
    let mut facts: Vec<FactRow> = Vec::new();
    let mut fact_iris: Vec<String> = Vec::new();
    let mut evidence: Vec<(usize, usize, usize)> = Vec::new(); // (begin, end, fact index)
    for r in &fact_rows {
        let fact = r.get("fact");
        let i = match fact_iris.iter().position(|f| f == fact) {
            Some(i) => {
                facts[i].quote.push_str(" … ");
                facts[i].quote.push_str(r.get("quote"));
                i
            }
            None => {
                fact_iris.push(fact.to_owned());
                facts.push(FactRow {
                    anchor: format!("f{}", facts.len() + 1),
                    kind: match r.get("type") {
                        "PostHolding" => "post".to_owned(),
                        "OtherEvent" => "event".to_owned(),
                        t => t.to_lowercase(),
                    },
                    // An event's label starts with its kind ("meeting: A, B"), shown apart.
                    label: {
                        let label = r.get("label");
                        label
                            .split_once(": ")
                            .filter(|(k, _)| k.eq_ignore_ascii_case(r.get("type")))
                            .map_or(label, |(_, rest)| rest)
                            .to_owned()
                    },
                    quote: r.get("quote").to_owned(),
                    rule: match (r.get("rule"), r.get("annotator")) {
                        ("", "") => String::new(),
                        ("", who) => format!("annotated by {who}"),
                        (rule, _) => rule.to_owned(),
                    },
                    confidence: r.get("confidence").to_owned(),
                    date: r.get("date").to_owned(),
                    date_how: date_how(r),
                });
                facts.len() - 1
            }
        };
        evidence.push((r.int("begin") as usize, r.int("end") as usize, i));
    }

    Ok(Article {
        id: meta.get("id").to_owned(),
        headline: meta.get("headline").to_owned(),
        published: meta.get("published").to_owned(),
        publisher: meta.get("publisher").to_owned(),
        url: meta.get("url").to_owned(),
        segments: segments(&text, &mentions, &evidence, &facts),
        mentions: mentions.len(),
        facts,
    }
    .render()?)
}

struct Mention {
    begin: usize,
    end: usize,
    href: String,
    kind: &'static str,
    name: String,
}

/// The schema.org class of a kind that [`kind_of_types`] gave.
fn type_of_kind(kind: &str) -> &'static str {
    match kind {
        "person" => "http://schema.org/Person",
        "organisation" => "http://schema.org/Organization",
        _ => "http://schema.org/Place",
    }
}

/// How a fact's date was found, in words.
fn date_how(r: &rows::Row) -> String {
    let phrase = r.get("time_phrase");
    let how = match r.get("resolution") {
        "" => return String::new(),
        "explicit" => "written out".to_owned(),
        "publicationdate" => "from the publication date".to_owned(),
        "relativetoevent" => offset(r.get("offset_days"), "another event of the article"),
        "namedevent" => offset(r.get("offset_days"), r.get("anchor")),
        "unresolved" => "not resolved".to_owned(),
        other => other.to_owned(),
    };
    if phrase.is_empty() {
        how
    } else {
        format!("“{phrase}”: {how}")
    }
}

/// "2 days after X", "1 day before X", "on the day of X".
fn offset(days: &str, anchor: &str) -> String {
    let n: i64 = days.parse().unwrap_or(0);
    let unit = if n.abs() == 1 { "day" } else { "days" };
    match n {
        0 => format!("on the day of {anchor}"),
        n if n > 0 => format!("{n} {unit} after {anchor}"),
        n => format!("{} {unit} before {anchor}", -n),
    }
}

/// Cuts the text at every mention and evidence boundary; each stretch knows the mention (the
/// innermost, i.e. shortest, when they nest) and the facts that cover it. Spans past the end
/// of the text are clipped.
fn segments(
    text: &[char],
    mentions: &[Mention],
    evidence: &[(usize, usize, usize)],
    facts: &[FactRow],
) -> Vec<Segment> {
    let len = text.len();
    let mut cuts: BTreeSet<usize> = [0, len].into_iter().collect();
    for m in mentions {
        cuts.insert(m.begin.min(len));
        cuts.insert(m.end.min(len));
    }
    for &(b, e, _) in evidence {
        cuts.insert(b.min(len));
        cuts.insert(e.min(len));
    }
    let cuts: Vec<usize> = cuts.into_iter().collect();
    let mut out: Vec<Segment> = Vec::new();
    for w in cuts.windows(2) {
        let (b, e) = (w[0], w[1]);
        if b >= e {
            continue;
        }
        let mention = mentions
            .iter()
            .filter(|m| m.begin <= b && e <= m.end)
            .min_by_key(|m| m.end - m.begin)
            .map(|m| (m.href.clone(), m.kind, m.name.clone()));
        let mut covering: Vec<usize> = evidence
            .iter()
            .filter(|&&(eb, ee, _)| eb <= b && e <= ee)
            .map(|&(_, _, f)| f)
            .collect();
        covering.sort_unstable();
        covering.dedup();
        let facts = covering
            .iter()
            .map(|&f| facts[f].anchor.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let piece: String = text[b..e].iter().collect();
        // Stretches with nothing on them are merged, so the page has few elements.
        if let Some(last) = out.last_mut() {
            if mention.is_none()
                && facts.is_empty()
                && last.mention.is_none()
                && last.facts.is_empty()
            {
                last.text.push_str(&piece);
                continue;
            }
        }
        out.push(Segment {
            text: piece,
            mention,
            facts,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(anchor: &str) -> FactRow {
        FactRow {
            anchor: anchor.into(),
            kind: String::new(),
            label: String::new(),
            quote: String::new(),
            rule: String::new(),
            confidence: String::new(),
            date: String::new(),
            date_how: String::new(),
        }
    }

    fn mention(begin: usize, end: usize, name: &str) -> Mention {
        Mention {
            begin,
            end,
            href: format!("/entity?iri={name}"),
            kind: "person",
            name: name.into(),
        }
    }

    #[test]
    fn segments_keep_every_character_and_nest_mentions_in_evidence() {
        let text: Vec<char> = "Ab met Cd in Éf.".chars().collect();
        let mentions = [
            mention(0, 2, "Ab"),
            mention(7, 9, "Cd"),
            mention(13, 15, "Éf"),
        ];
        let evidence = [(0, 9, 0), (7, 15, 1), (14, 99, 1)];
        let facts = [fact("f1"), fact("f2")];
        let segs = segments(&text, &mentions, &evidence, &facts);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "Ab met Cd in Éf.");
        let cd = segs.iter().find(|s| s.text == "Cd").unwrap();
        assert_eq!(cd.facts, "f1 f2");
        assert_eq!(cd.mention.as_ref().unwrap().2, "Cd");
        // "É" (a multi-byte char) is covered by one fact only, "f" by both of f2's spans.
        assert!(segs.iter().any(|s| s.text == "É" && s.facts == "f2"));
        // A span past the end of the text is clipped, not a panic.
        assert_eq!(segs.last().unwrap().text, ".");
    }

    #[test]
    fn plain_stretches_are_merged() {
        let text: Vec<char> = "no facts here".chars().collect();
        let segs = segments(&text, &[], &[], &[]);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].text, "no facts here");
    }
}
