//! Text preparation: a folded copy for matching (curly quotes, dashes and odd spaces replaced),
//! tokens and sentences, all with byte offsets into the folded copy, and the map back to the
//! character offsets of the original text.

use std::sync::OnceLock;

use regex::Regex;

/// The folded text and the way back to original character offsets.
pub struct Doc {
    /// Folded text: ’‘ → ', “” → ", –— → -, no-break and other spaces → ' '.
    pub text: String,
    /// For each byte offset of `text` (and one past the end): the original char offset.
    to_char: Vec<usize>,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
}

/// A token: a word (letters, digits, inner `'-.&`), a dotted acronym, or one punctuation mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub is_word: bool,
}

/// A sentence: a range of tokens and the byte range it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub tokens: (usize, usize),
    pub start: usize,
    pub end: usize,
}

fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '`' | '\u{00B4}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{3000}' | '\t' => ' ',
        c => c,
    }
}

/// A word with a capital letter (not the possessive 's): it may start or continue a name.
pub fn is_cap_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_alphanumeric())
        && s.chars().any(char::is_uppercase)
        && s != "'s"
}

/// Words that end in a period without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "Adm", "Ave", "Brig", "Capt", "Cmdr", "Co", "Col", "Corp", "Dept", "Dr", "Fig", "Ft", "Gen",
    "Gov", "Hon", "Inc", "Jr", "Lt", "Ltd", "Maj", "Messrs", "Mr", "Mrs", "Ms", "Mt", "No", "Nos",
    "Prof", "Rep", "Rev", "Sen", "Sgt", "Sr", "St", "Supt", "approx", "cf", "e.g", "etc", "i.e",
    "vs", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
];

fn token_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:\p{Lu}\.){2,}|\w+(?:[-'.&]\w+)*|[^\w\s]").expect("valid token regex")
    })
}

impl Doc {
    pub fn new(original: &str) -> Doc {
        let mut text = String::with_capacity(original.len());
        let mut to_char = Vec::with_capacity(original.len() + 1);
        for (ci, c) in original.chars().enumerate() {
            let f = fold_char(c);
            text.push(f);
            to_char.extend(std::iter::repeat_n(ci, f.len_utf8()));
        }
        to_char.push(original.chars().count());
        let tokens = tokenize(&text);
        let sentences = split_sentences(&text, &tokens);
        Doc {
            text,
            to_char,
            tokens,
            sentences,
        }
    }

    /// Original char offset of a folded byte offset.
    pub fn char_at(&self, byte: usize) -> usize {
        self.to_char[byte.min(self.to_char.len() - 1)]
    }

    pub fn tok(&self, i: usize) -> &str {
        let t = self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// The sentence containing folded byte offset `b`.
    pub fn sentence_of_byte(&self, b: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= b)
            .min(self.sentences.len().saturating_sub(1))
    }

    /// The sentence containing token `i`.
    pub fn sentence_of(&self, i: usize) -> usize {
        self.sentences
            .partition_point(|s| s.tokens.1 <= i)
            .min(self.sentences.len().saturating_sub(1))
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    for m in token_re().find_iter(text) {
        let s = m.as_str();
        let is_word = s.chars().next().is_some_and(|c| c.is_alphanumeric());
        // "California-based", "US-funded": a name with a lower-case suffix is the name, a dash
        // and the suffix.
        if is_word {
            if let Some(h) = s.rfind('-') {
                let (name, suffix) = (&s[..h], &s[h + 1..]);
                if name.chars().next().is_some_and(char::is_uppercase)
                    && !suffix.is_empty()
                    && suffix.chars().all(|c| c.is_lowercase())
                    && !name.contains('\'')
                {
                    let st = m.start();
                    out.push(Token {
                        start: st,
                        end: st + h,
                        is_word: true,
                    });
                    out.push(Token {
                        start: st + h,
                        end: st + h + 1,
                        is_word: false,
                    });
                    out.push(Token {
                        start: st + h + 1,
                        end: m.end(),
                        is_word: true,
                    });
                    continue;
                }
            }
        }
        // Split the possessive 's (and a lone trailing ') off words: "Trump's" → "Trump" "'s".
        if is_word {
            if let Some(stem) = s.strip_suffix("'s").or_else(|| s.strip_suffix("'S")) {
                if !stem.is_empty() {
                    out.push(Token {
                        start: m.start(),
                        end: m.start() + stem.len(),
                        is_word: true,
                    });
                    out.push(Token {
                        start: m.start() + stem.len(),
                        end: m.end(),
                        is_word: false,
                    });
                    continue;
                }
            }
            // A trailing period on a word that is not an acronym belongs to the sentence.
            if s.ends_with('.') && !s.contains(char::is_lowercase) && s.len() > 2 {
                out.push(Token {
                    start: m.start(),
                    end: m.end(),
                    is_word: true,
                });
                continue;
            }
        }
        out.push(Token {
            start: m.start(),
            end: m.end(),
            is_word,
        });
    }
    out
}

fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0;
    let push = |out: &mut Vec<Sentence>, a: usize, b: usize| {
        if a < b {
            out.push(Sentence {
                tokens: (a, b),
                start: tokens[a].start,
                end: tokens[b - 1].end,
            });
        }
    };
    for i in 0..tokens.len() {
        let t = tokens[i];
        let s = &text[t.start..t.end];
        let next = tokens.get(i + 1);
        // A line break between tokens always ends a sentence (headlines, paragraphs).
        if let Some(n) = next {
            if text[t.end..n.start].contains('\n') {
                push(&mut out, first, i + 1);
                first = i + 1;
                continue;
            }
        }
        let ends = match s {
            "!" | "?" => true,
            "." => {
                let prev = i
                    .checked_sub(1)
                    .map(|p| &text[tokens[p].start..tokens[p].end]);
                let abbrev = prev.is_some_and(|p| {
                    tokens[i - 1].end == t.start
                        && (ABBREVIATIONS.contains(&p)
                            || (p.chars().count() == 1 && p.chars().all(char::is_uppercase)))
                });
                !abbrev
            }
            // "U.S." at the end of a sentence: ends it when a capitalised word follows.
            _ if s.ends_with('.') && s.len() > 2 => next.is_some_and(|n| {
                let w = &text[n.start..n.end];
                w.chars().next().is_some_and(char::is_uppercase) && SENTENCE_STARTERS.contains(&w)
            }),
            _ => false,
        };
        if ends {
            // Keep a closing quote or bracket with the sentence it closes.
            let mut end = i + 1;
            while let Some(n) = tokens.get(end) {
                let w = &text[n.start..n.end];
                if (w == "\"" || w == "'" || w == ")") && n.start == tokens[end - 1].end {
                    end += 1;
                } else {
                    break;
                }
            }
            let starts_new = tokens.get(end).is_none_or(|n| {
                let w = &text[n.start..n.end];
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric() || c == '"' || c == '\'')
            });
            if starts_new {
                push(&mut out, first, end);
                first = end;
            }
        }
    }
    push(&mut out, first, tokens.len());
    // Tokens consumed by the quote-extension loop may leave `first` beyond i: merge overlaps.
    out.dedup_by(|b, a| b.tokens.0 < a.tokens.1);
    out
}

/// Capitalised words that commonly open a sentence (used after "U.S." and in mention
/// detection to drop sentence-initial function words).
pub const SENTENCE_STARTERS: &[&str] = &[
    "A",
    "After",
    "Although",
    "An",
    "And",
    "As",
    "At",
    "But",
    "By",
    "During",
    "For",
    "Former",
    "From",
    "He",
    "Her",
    "His",
    "However",
    "If",
    "In",
    "It",
    "Its",
    "Meanwhile",
    "Moreover",
    "Mr",
    "Mrs",
    "Ms",
    "On",
    "Our",
    "She",
    "So",
    "That",
    "The",
    "Their",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "Under",
    "We",
    "When",
    "While",
    "With",
    "Yet",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(t: &str) -> Vec<String> {
        let d = Doc::new(t);
        d.sentences
            .iter()
            .map(|s| d.text[s.start..s.end].to_owned())
            .collect()
    }

    #[test]
    fn abbreviations_do_not_split() {
        assert_eq!(
            sentences("Mr. Smith met Dr. Jones in the U.S. on Monday. Caliber.Az reported it. George W. Bush spoke."),
            vec![
                "Mr. Smith met Dr. Jones in the U.S. on Monday.",
                "Caliber.Az reported it.",
                "George W. Bush spoke."
            ]
        );
    }

    #[test]
    fn acronym_at_sentence_end() {
        assert_eq!(
            sentences("Ties with the U.S. The talks went well."),
            vec!["Ties with the U.S.", "The talks went well."]
        );
    }

    #[test]
    fn lines_and_quotes() {
        assert_eq!(
            sentences("Headline here\n\n\"It is done.\" She left."),
            vec!["Headline here", "\"It is done.\"", "She left."]
        );
    }

    #[test]
    fn name_with_lowercase_suffix_is_split() {
        let d = Doc::new("California-based and US-funded but Begin-Sadat and al-Assad");
        let toks: Vec<&str> = (0..d.tokens.len()).map(|i| d.tok(i)).collect();
        assert_eq!(
            toks,
            [
                "California",
                "-",
                "based",
                "and",
                "US",
                "-",
                "funded",
                "but",
                "Begin-Sadat",
                "and",
                "al-Assad"
            ]
        );
    }

    #[test]
    fn folding_keeps_char_offsets() {
        let d = Doc::new("Trump’s inauguration – Türkiye");
        assert_eq!(d.text, "Trump's inauguration - Türkiye");
        let b = d.text.find("Türkiye").unwrap();
        assert_eq!(d.char_at(b), 23);
        let toks: Vec<&str> = (0..d.tokens.len()).map(|i| d.tok(i)).collect();
        assert_eq!(toks, ["Trump", "'s", "inauguration", "-", "Türkiye"]);
    }
}
