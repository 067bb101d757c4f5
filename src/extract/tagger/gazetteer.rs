//! The tagger's gazetteers: the world given-name list and the GeoNames/ISO place names of
//! `training/gazetteers/` (their sources and licences are in that folder's README), parsed once.
//! The engine's own lexicons (`extract/lexicons/`) are read from the [`Lexicon`] in use.
//!
//! Entry point: [`Gazetteer::bundled`].

use std::sync::OnceLock;

use rustc_hash::FxHashSet;

const GIVEN_NAMES: &str = include_str!("../../../training/gazetteers/given_names_world.txt");
const CITIES: &str = include_str!("../../../training/gazetteers/cities_geonames.tsv");
const COUNTRIES: &str = include_str!("../../../training/gazetteers/countries_iso.tsv");
const SUBDIVISIONS: &str = include_str!("../../../training/gazetteers/subdivisions_iso.tsv");

/// Word lists the tagger looks words and phrases up in.
pub struct Gazetteer {
    /// Given names of many countries, as written ("Ilham", "Chidi").
    pub given: FxHashSet<&'static str>,
    /// Cities, countries and subdivisions, lower-cased ("baku", "new south wales").
    pub places: FxHashSet<String>,
    /// Cities of over 100,000 people, lower-cased: a stronger place signal than any town.
    pub big_cities: FxHashSet<String>,
}

/// The data lines of a gazetteer file: its `# ` header skipped, first column only.
fn first_column(file: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    file.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, rest) = l.split_once('\t').unwrap_or((l, ""));
            (name, rest)
        })
}

impl Gazetteer {
    /// The gazetteers shipped in the binary, parsed on first use.
    pub fn bundled() -> &'static Gazetteer {
        static GAZ: OnceLock<Gazetteer> = OnceLock::new();
        GAZ.get_or_init(|| {
            let given = first_column(GIVEN_NAMES).map(|(n, _)| n).collect();
            let mut places = FxHashSet::default();
            let mut big_cities = FxHashSet::default();
            for (name, rest) in first_column(CITIES) {
                let lower = name.to_lowercase();
                let population: u64 = rest
                    .split('\t')
                    .nth(1)
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(0);
                if population > 100_000 {
                    big_cities.insert(lower.clone());
                }
                places.insert(lower);
            }
            for (name, _) in first_column(COUNTRIES).chain(first_column(SUBDIVISIONS)) {
                places.insert(name.to_lowercase());
            }
            Gazetteer {
                given,
                places,
                big_cities,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lists_hold_names_of_many_countries() {
        let g = Gazetteer::bundled();
        for name in ["Ilham", "Jeyhun", "Mehmet", "Priya", "Recep"] {
            assert!(g.given.contains(name), "{name}");
        }
        for place in ["baku", "lagos", "new south wales", "azerbaijan"] {
            assert!(g.places.contains(place), "{place}");
        }
        assert!(g.big_cities.contains("baku"));
    }
}
