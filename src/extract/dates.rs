//! Time expressions: explicit dates, month-days and weekdays completed from the publication
//! date, "yesterday"/"last month", "N days after this visit" (relative to an earlier event) and
//! "one day after Trump's inauguration" (a named event from the shipped list). When nothing
//! resolves a phrase, it is kept with no value: never guessed.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use regex::Regex;

use super::lexicon::Lexicon;
use crate::article::PubDate;
use crate::facts::Precision;

/// How a found time was resolved (event ids are filled in by the event stage).
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Explicit,
    Publication,
    /// N days after (negative: before) the previous event in the text.
    AfterPreviousEvent(i64),
    Named {
        key: String,
        offset_days: i64,
    },
    Unresolved,
}

/// A time phrase in the folded text.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeMention {
    pub start: usize,
    pub end: usize,
    pub value: Option<(String, Precision)>,
    pub how: Found,
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_num(s: &str) -> Option<u32> {
    let l = s.to_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == l || (l.len() >= 3 && m.starts_with(&l) && l != "may"))
        .map(|i| i as u32 + 1)
}

fn number_word(s: &str) -> Option<i64> {
    Some(match s.to_lowercase().as_str() {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        n => return n.parse().ok(),
    })
}

struct Patterns {
    month_day: Regex,
    day_month: Regex,
    month_year: Regex,
    year: Regex,
    weekday: Regex,
    relative_word: Regex,
    offset: Regex,
    anaphor: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let month = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?";
        Patterns {
            month_day: Regex::new(&format!(r"\b{month} (\d{{1,2}})(?:st|nd|rd|th)?\b(?:,? (\d{{4}})\b)?")).expect("regex"),
            day_month: Regex::new(&format!(r"\b(\d{{1,2}})(?:st|nd|rd|th)? (?:of )?{month}(?:,? (\d{{4}})\b)?")).expect("regex"),
            month_year: Regex::new(&format!(r"\b{month},? (\d{{4}})\b")).expect("regex"),
            year: Regex::new(r"\b(?:in|since|by|during|until) ((?:19|20)\d\d)\b").expect("regex"),
            weekday: Regex::new(r"\b(?:on |last |this |next )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b").expect("regex"),
            relative_word: Regex::new(r"(?i)\b(yesterday|today|last month|last year|this year|this month|next month|next year)\b").expect("regex"),
            offset: Regex::new(r"(?i)\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (day|days|week|weeks) (after|before|later)\b").expect("regex"),
            anaphor: Regex::new(r"^\s+(?:this|that|the|these|those)\s+(?:\w+\s+)?(visit|meeting|meetings|talks|trip|summit|call|briefing|announcement|conference)\b").expect("regex"),
        }
    })
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Completes a month-day against the publication date: the most recent such day on or before
/// the latest publication day (past tense), or the next one on or after the earliest
/// publication day (`future`).
fn complete(month: u32, day: u32, pub_date: PubDate, future: bool) -> Option<NaiveDate> {
    let y = pub_date.year();
    for year in [y - 1, y, y + 1] {
        let d = NaiveDate::from_ymd_opt(year, month, day)?;
        let ok = if future {
            d >= pub_date.earliest()
        } else {
            d <= pub_date.latest()
                && NaiveDate::from_ymd_opt(year + 1, month, day)
                    .is_none_or(|n| n > pub_date.latest())
        };
        if ok {
            return Some(d);
        }
    }
    None
}

/// Finds time phrases in `sentence` (a slice of the folded text starting at byte `offset`).
pub fn find(
    sentence: &str,
    offset: usize,
    pub_date: Option<PubDate>,
    future: bool,
    lex: &Lexicon,
) -> Vec<TimeMention> {
    let p = patterns();
    let mut out: Vec<TimeMention> = Vec::new();
    let taken = |out: &Vec<TimeMention>, s: usize, e: usize| {
        out.iter()
            .any(|t| s < t.end - offset && t.start - offset < e)
    };
    let push = |out: &mut Vec<TimeMention>,
                s: usize,
                e: usize,
                value: Option<(String, Precision)>,
                how: Found| {
        out.push(TimeMention {
            start: s + offset,
            end: e + offset,
            value,
            how,
        });
    };
    // "N days after <named event>" / "N days after this visit".
    for c in p.offset.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        let n = number_word(&c[1]).unwrap_or(1);
        let weeks = c[2].starts_with("week");
        let days = if weeks { n * 7 } else { n };
        let days = if &c[3].to_lowercase() == "before" {
            -days
        } else {
            days
        };
        let rest = &sentence[m.end()..];
        let rest_lower = rest.to_lowercase();
        // A named event right after: "after Trump's inauguration".
        let named = lex
            .named_event_matcher
            .find_iter(&rest_lower)
            .find(|h| h.start() <= 40 && rest_lower[..h.start()].split_whitespace().count() <= 3);
        if let Some(h) = named {
            let events = &lex.named_event_patterns[h.pattern().as_usize()].1;
            // The most recent event with that name on or before the publication.
            let chosen = events
                .iter()
                .filter(|e| pub_date.is_none_or(|p| e.date <= p.latest()))
                .max_by_key(|e| e.date);
            let end = m.end() + h.end();
            match chosen {
                Some(ev) => {
                    let d = ev.date + Duration::days(days);
                    push(
                        &mut out,
                        m.start(),
                        end,
                        Some((ymd(d), Precision::Day)),
                        Found::Named {
                            key: ev.key.clone(),
                            offset_days: days,
                        },
                    );
                }
                None => push(&mut out, m.start(), end, None, Found::Unresolved),
            }
            continue;
        }
        if &c[3].to_lowercase() == "later" {
            push(
                &mut out,
                m.start(),
                m.end(),
                None,
                Found::AfterPreviousEvent(days),
            );
            continue;
        }
        // "after this visit", "after the meeting": the previous event.
        if let Some(a) = p.anaphor.find(&rest_lower) {
            push(
                &mut out,
                m.start(),
                m.end() + a.end(),
                None,
                Found::AfterPreviousEvent(days),
            );
        }
    }
    // "December 11" (month group 1, day group 2) and "11 December" (day 1, month 2).
    for (re, month_group, day_group) in [(&p.month_day, 1, 2), (&p.day_month, 2, 1)] {
        for c in re.captures_iter(sentence) {
            let m = c.get(0).expect("match");
            if taken(&out, m.start(), m.end()) {
                continue;
            }
            let (Some(month), Ok(day)) = (month_num(&c[month_group]), c[day_group].parse::<u32>())
            else {
                continue;
            };
            push_day(
                &mut out,
                m.start() + offset,
                m.end() + offset,
                month,
                day,
                c.get(3).map(|y| y.as_str()),
                pub_date,
                future,
            );
        }
    }
    for c in p.month_year.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        if taken(&out, m.start(), m.end()) {
            continue;
        }
        let Some(month) = month_num(&c[1]) else {
            continue;
        };
        push(
            &mut out,
            m.start(),
            m.end(),
            Some((format!("{}-{month:02}", &c[2]), Precision::Month)),
            Found::Explicit,
        );
    }
    for c in p.year.captures_iter(sentence) {
        let g = c.get(1).expect("group");
        if taken(&out, g.start(), g.end()) {
            continue;
        }
        push(
            &mut out,
            g.start(),
            g.end(),
            Some((c[1].to_owned(), Precision::Year)),
            Found::Explicit,
        );
    }
    for c in p.weekday.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        if taken(&out, m.start(), m.end()) {
            continue;
        }
        let wd: Weekday = c[1].parse().expect("weekday names parse");
        match pub_date {
            Some(PubDate::Day(d)) => {
                // Most recent such weekday before the publication day (after it, if future).
                let mut x = d;
                for _ in 0..7 {
                    x = if future {
                        x + Duration::days(1)
                    } else {
                        x - Duration::days(1)
                    };
                    if x.weekday() == wd {
                        break;
                    }
                }
                push(
                    &mut out,
                    m.start(),
                    m.end(),
                    Some((ymd(x), Precision::Day)),
                    Found::Publication,
                );
            }
            _ => push(&mut out, m.start(), m.end(), None, Found::Unresolved),
        }
    }
    for c in p.relative_word.captures_iter(sentence) {
        let m = c.get(0).expect("match");
        if taken(&out, m.start(), m.end()) {
            continue;
        }
        let w = c[1].to_lowercase();
        let value = match (pub_date, w.as_str()) {
            (Some(PubDate::Day(d)), "yesterday") => {
                Some((ymd(d - Duration::days(1)), Precision::Day))
            }
            (Some(PubDate::Day(d)), "today") => Some((ymd(d), Precision::Day)),
            (Some(pd), "last month") => {
                let e = pd.earliest();
                let (y, mo) = if e.month() == 1 {
                    (e.year() - 1, 12)
                } else {
                    (e.year(), e.month() - 1)
                };
                Some((format!("{y}-{mo:02}"), Precision::Month))
            }
            (Some(pd), "this month") => Some((
                format!("{}-{:02}", pd.year(), pd.earliest().month()),
                Precision::Month,
            )),
            (Some(pd), "last year") => Some(((pd.year() - 1).to_string(), Precision::Year)),
            (Some(pd), "this year") => Some((pd.year().to_string(), Precision::Year)),
            (Some(pd), "next year") => Some(((pd.year() + 1).to_string(), Precision::Year)),
            _ => None,
        };
        let how = if value.is_some() {
            Found::Publication
        } else {
            Found::Unresolved
        };
        push(&mut out, m.start(), m.end(), value, how);
    }
    out.sort_by_key(|t| t.start);
    out
}

#[allow(clippy::too_many_arguments)]
fn push_day(
    out: &mut Vec<TimeMention>,
    s: usize,
    e: usize,
    month: u32,
    day: u32,
    year: Option<&str>,
    pub_date: Option<PubDate>,
    future: bool,
) {
    let (value, how) = match year.and_then(|y| y.parse::<i32>().ok()) {
        Some(y) => match NaiveDate::from_ymd_opt(y, month, day) {
            Some(d) => (Some((ymd(d), Precision::Day)), Found::Explicit),
            None => (None, Found::Unresolved),
        },
        None => match pub_date.and_then(|p| complete(month, day, p, future)) {
            Some(d) => (Some((ymd(d), Precision::Day)), Found::Publication),
            None => (None, Found::Unresolved),
        },
    };
    out.push(TimeMention {
        start: s,
        end: e,
        value,
        how,
    });
}
