//! The portfolio written after a title ([`portfolio_end`]): "Minister of State for International
//! Cooperation", "vice president for Europe and Central Asia", "Minister of Economy and
//! Finance". It belongs to the title, while "of" followed by a name gives the post's
//! organisation or country ("Minister of Foreign Affairs of Georgia").

use super::text::Doc;
use crate::facts::EntityKind;

/// Words that end a portfolio: the clause goes on.
const STOPS: &[&str] = &[
    "a", "after", "at", "from", "had", "has", "in", "is", "on", "said", "says", "since", "that",
    "the", "to", "told", "was", "which", "who", "will", "with", "would",
];

/// Longest portfolio, in tokens.
const MAX_WORDS: usize = 7;

/// Where the portfolio after a title ending at token `te` ends (exclusive), within a sentence
/// ending at token `s1`; `entity` says what kind of entity a token names, if any. After "for"
/// any words up to the clause's end or a person's name ("for African affairs", "for Europe and
/// Central Asia"; not "for Forrester", an organisation); after "of" only capitalised words
/// that name no entity ("of Economy and Finance", not "of Georgia").
pub fn portfolio_end(
    doc: &Doc,
    entity: impl Fn(usize) -> Option<EntityKind>,
    te: usize,
    s1: usize,
) -> Option<usize> {
    if te + 1 >= s1 {
        return None;
    }
    // "analyst for Forrester": an organisation after "for" is whom the post is with.
    if entity(te + 1) == Some(EntityKind::Organisation) {
        return None;
    }
    let is_name = |k: usize| entity(k).is_some();
    // "Minister for Energy and Natural Resources Karma Dorji": the name ends the portfolio.
    let is_person = |k: usize| entity(k) == Some(EntityKind::Person);
    let prep = doc.tok(te).to_lowercase();
    let capitals_only = match prep.as_str() {
        "for" => false,
        "of" => true,
        _ => return None,
    };
    let mut k = te + 1;
    let mut last_word = None;
    while k < s1 && k - te <= MAX_WORDS {
        let w = doc.tok(k);
        let lw = w.to_lowercase();
        if !doc.tokens[k].is_word || STOPS.contains(&lw.as_str()) || is_person(k) {
            break;
        }
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        if capitals_only && ((lw != "and" && !capital) || is_name(k)) {
            break;
        }
        if lw != "and" {
            last_word = Some(k + 1);
        }
        k += 1;
    }
    last_word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_after(text: &str, title_end_word: &str, names: &[(&str, EntityKind)]) -> Option<String> {
        let doc = Doc::new(text);
        let te = (0..doc.tokens.len()).find(|&i| doc.tok(i) == title_end_word)? + 1;
        let s1 = doc.tokens.len();
        let entity = |k: usize| names.iter().find(|n| n.0 == doc.tok(k)).map(|n| n.1);
        portfolio_end(&doc, entity, te, s1)
            .map(|e| doc.text[doc.tokens[te].start..doc.tokens[e - 1].end].to_owned())
    }

    #[test]
    fn a_portfolio_after_for_or_of_belongs_to_the_title() {
        assert_eq!(
            end_after(
                "X, the UAE's Minister of State for International Cooperation, met Y.",
                "State",
                &[]
            ),
            Some("for International Cooperation".into())
        );
        assert_eq!(
            end_after(
                "Minister of Economy and Finance Ana Ruiz said.",
                "Minister",
                &[("Ana", EntityKind::Person), ("Ruiz", EntityKind::Person)]
            ),
            Some("of Economy and Finance".into())
        );
        assert_eq!(
            end_after(
                "B, vice president for Europe and Central Asia, said so.",
                "president",
                &[("Europe", EntityKind::Place)]
            ),
            Some("for Europe and Central Asia".into())
        );
        assert_eq!(
            end_after(
                "the Minister of Foreign Affairs of Georgia",
                "Affairs",
                &[("Georgia", EntityKind::Place)]
            ),
            None
        );
        assert_eq!(
            end_after("the minister for the region", "minister", &[]),
            None
        );
    }
}
