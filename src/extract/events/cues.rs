//! Finding the frame cues of `frame_cues.tsv` in a sentence: a phrase on word boundaries.

use aho_corasick::AhoCorasick;

/// Byte range (within `lower`) of the first of the phrases of `cues` found in
/// `lower[from..to]` on word boundaries, earliest first (the shorter of two starting together).
pub(super) fn find(
    lower: &str,
    cues: &AhoCorasick,
    from: usize,
    to: usize,
) -> Option<(usize, usize)> {
    let hay = lower.get(from..to.min(lower.len()))?;
    cues.find_overlapping_iter(hay)
        .map(|h| (h.start(), h.end()))
        .filter(|&(a, b)| {
            let before_ok =
                a == 0 || !hay[..a].ends_with(|c: char| c.is_alphanumeric() || c == '-');
            let after_ok = !hay[b..].starts_with(|c: char| c.is_alphanumeric() || c == '-');
            before_ok && after_ok
        })
        .map(|(a, b)| (from + a, from + b))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_match_on_word_boundaries_only() {
        let cues = AhoCorasick::new(["the two leaders", "both sides"]).unwrap();
        let s = "later the two leaders agreed; both sides said";
        assert_eq!(find(s, &cues, 0, s.len()), Some((6, 21)));
        assert_eq!(find(s, &cues, 21, s.len()), Some((30, 40)));
        assert_eq!(find("the two leadership", &cues, 0, 18), None);
    }
}
