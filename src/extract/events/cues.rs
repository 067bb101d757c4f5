//! Finding the frame cues of `frame_cues.tsv` in a sentence: a phrase on word boundaries.

/// Byte range (within `lower`) of the first of `phrases` found in `lower[from..to]` on word
/// boundaries, earliest first.
pub(super) fn find(
    lower: &str,
    phrases: &[String],
    from: usize,
    to: usize,
) -> Option<(usize, usize)> {
    let hay = lower.get(from..to.min(lower.len()))?;
    phrases
        .iter()
        .filter_map(|p| {
            hay.match_indices(p.as_str())
                .find(|(i, _)| {
                    let before_ok =
                        *i == 0 || !hay[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '-');
                    let after_ok =
                        !hay[i + p.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '-');
                    before_ok && after_ok
                })
                .map(|(i, _)| (from + i, from + i + p.len()))
        })
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_on_word_boundaries_only() {
        let cues = vec!["the two leaders".to_owned(), "both sides".to_owned()];
        let s = "later the two leaders agreed; both sides said";
        assert_eq!(find(s, &cues, 0, s.len()), Some((6, 21)));
        assert_eq!(find(s, &cues, 21, s.len()), Some((30, 40)));
        assert_eq!(find("the two leadership", &cues, 0, 18), None);
    }
}
