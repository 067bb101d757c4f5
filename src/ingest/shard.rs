//! `ingest --shard K/N`: a deterministic share of a corpus, so that N machines can each ingest
//! one part. Entry point: [`Shard`].
//!
//! An article belongs to shard `1 + h mod N`, where `h` is the first 8 bytes (big-endian) of
//! the SHA-256 of its article id: the same on every machine, whatever the order or the folders
//! the articles are found in, and about N equal parts. A file that cannot be read as an
//! article has no id; its failure is reported by the shard of its path.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Shard {
    /// Shard `index` of `count` (1 ≤ index ≤ count).
    pub fn new(index: u64, count: u64) -> Option<Shard> {
        (1..=count)
            .contains(&index)
            .then_some(Shard { index, count })
    }

    /// The shard (1-based) that `key` (an article id) belongs to among `count`.
    pub fn of(key: &str, count: u64) -> u64 {
        let digest = Sha256::digest(key.as_bytes());
        let h = u64::from_be_bytes(digest[..8].try_into().expect("SHA-256 has 32 bytes"));
        1 + h % count.max(1)
    }

    /// True when `key` (an article id, or a path for an unreadable file) is this shard's.
    pub fn takes(&self, key: &str) -> bool {
        Shard::of(key, self.count) == self.index
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("'{s}' is not a shard: write K/N, e.g. 2/4 for the second of four");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u64 = k.trim().parse().map_err(|_| bad())?;
        let n: u64 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n)
            .ok_or_else(|| format!("shard {s}: K must be between 1 and N (N at least 1)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_in_exactly_one_shard_and_the_parts_are_even() {
        let shards: Vec<Shard> = (1..=4).map(|k| Shard::new(k, 4).unwrap()).collect();
        let mut sizes = [0usize; 4];
        for i in 0..4000 {
            let id = format!("article-{i}");
            let owners: Vec<usize> = (0..4).filter(|&k| shards[k].takes(&id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0]] += 1;
        }
        for s in sizes {
            assert!((800..1200).contains(&s), "{sizes:?}");
        }
    }

    #[test]
    fn the_share_is_fixed_by_the_id() {
        // The shard of an id must not change between versions: machines of one team may run
        // different releases. sha256("a") starts ca978112ca1bbdca.
        assert_eq!(Shard::of("a", 7), 1 + 0xca978112ca1bbdca_u64 % 7);
    }

    #[test]
    fn shard_specs_parse_or_say_why_not() {
        assert_eq!("2/4".parse::<Shard>().unwrap(), Shard::new(2, 4).unwrap());
        assert_eq!("1/1".parse::<Shard>().unwrap().to_string(), "1/1");
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", "", "1/2/3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }
}
