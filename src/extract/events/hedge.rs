//! Contacts that are wished for, hypothetical or denied ([`hedged`]): "hopes to meet",
//! "would like to meet", "may visit", "did not hold a bilateral meeting", "invited her to
//! visit Nairobi". The hedge phrases are data (`frame_cues.tsv`, cue `hedge`).

use crate::extract::lexicon::Lexicon;

/// Words that may stand between a hedge and its trigger ("did not hold a bilateral meeting",
/// "hopes to also meet").
const FILLERS: &[&str] = &[
    "a",
    "also",
    "an",
    "any",
    "be",
    "been",
    "formal",
    "further",
    "have",
    "held",
    "her",
    "his",
    "hold",
    "make",
    "pay",
    "separately",
    "the",
    "their",
    "to",
    "yet",
];

/// Verbs of asking someone else to come: "invited her to visit", "urged him to meet".
const ASKING: &[&str] = &[
    "asked",
    "encouraged",
    "invite",
    "invited",
    "invites",
    "inviting",
    "urged",
    "urging",
];

/// True when the words before a trigger (`before`, lower case, in order) make it a contact
/// that did not or may not take place.
pub(super) fn hedged(lex: &Lexicon, before: &[&str]) -> bool {
    // Step back over fillers; a hedge must end where they start.
    let mut end = before.len();
    let mut steps = 0;
    loop {
        if lex.hedges.iter().any(|h| ends_with(&before[..end], h)) {
            return true;
        }
        if steps == 3 || end == 0 || !FILLERS.contains(&before[end - 1]) {
            break;
        }
        end -= 1;
        steps += 1;
    }
    // "invited her to visit Nairobi": an invitation, not a visit.
    before.last() == Some(&"to")
        && before
            .iter()
            .rev()
            .skip(1)
            .take(5)
            .any(|w| ASKING.contains(w))
}

fn ends_with(words: &[&str], phrase: &[String]) -> bool {
    words.len() >= phrase.len()
        && words[words.len() - phrase.len()..]
            .iter()
            .zip(phrase)
            .all(|(w, p)| w == p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn wished_hypothetical_and_denied_contacts_are_hedged() {
        let lex = Lexicon::bundled();
        for before in [
            "rotaru hopes to",
            "arteaga would like to",
            "siddiqui and nair did not hold a",
            "where he may",
            "kamau-otieno invited her to",
            "although no",
        ] {
            assert!(hedged(lex, &words(before)), "{before}");
        }
        for before in [
            "in may he",
            "he is due to",
            "the ministers agreed to",
            "karl ostrander",
            "not the first time the two",
        ] {
            assert!(!hedged(lex, &words(before)), "{before}");
        }
    }
}
