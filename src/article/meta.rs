//! Article metadata and the publication date (a day, or a month when the day is unknown).

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Metadata of an article, as given in TOML front matter or a JSON Lines record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `YYYY-MM-DD`, or `YYYY-MM` when only the month is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PubDate>,
    /// The article this one adapts or is based on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub based_on: Option<SourceArticle>,
}

/// Another article that this one adapts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceArticle {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A publication date: a day, or only a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PubDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

impl PubDate {
    /// The first day the article may have been published on.
    pub fn earliest(self) -> NaiveDate {
        match self {
            PubDate::Day(d) => d,
            PubDate::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).expect("validated on construction")
            }
        }
    }

    /// The last day the article may have been published on.
    pub fn latest(self) -> NaiveDate {
        match self {
            PubDate::Day(d) => d,
            PubDate::Month { year, month } => {
                let (ny, nm) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                NaiveDate::from_ymd_opt(ny, nm, 1)
                    .and_then(|d| d.pred_opt())
                    .expect("validated on construction")
            }
        }
    }

    pub fn year(self) -> i32 {
        match self {
            PubDate::Day(d) => d.year(),
            PubDate::Month { year, .. } => year,
        }
    }
}

impl fmt::Display for PubDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PubDate::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            PubDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

/// Error for a publication date that is neither `YYYY-MM-DD` nor `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date {value:?}: expected YYYY-MM-DD, or YYYY-MM when the day is unknown")]
pub struct PubDateError {
    pub value: String,
}

impl FromStr for PubDate {
    type Err = PubDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PubDateError {
            value: s.to_owned(),
        };
        let s = s.trim();
        if s.len() == 10 {
            return NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(PubDate::Day)
                .map_err(|_| err());
        }
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        if !(1..=12).contains(&month) {
            return Err(err());
        }
        Ok(PubDate::Month { year, month })
    }
}

impl Serialize for PubDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PubDate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for PubDate {
    fn schema_name() -> String {
        "PubDate".to_owned()
    }

    fn json_schema(_gen: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            ..Default::default()
        };
        schema.string().pattern = Some(r"^\d{4}-\d{2}(-\d{2})?$".to_owned());
        schema.metadata().description =
            Some("Publication date: YYYY-MM-DD, or YYYY-MM when the day is unknown.".to_owned());
        schema.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_precision_bounds() {
        let d: PubDate = "2025-01".parse().unwrap();
        assert_eq!(d.to_string(), "2025-01");
        assert_eq!(d.earliest().to_string(), "2025-01-01");
        assert_eq!(d.latest().to_string(), "2025-01-31");
        let d: PubDate = "2024-12".parse().unwrap();
        assert_eq!(d.latest().to_string(), "2024-12-31");
    }

    #[test]
    fn day_precision_round_trips() {
        let d: PubDate = "2024-02-29".parse().unwrap();
        assert_eq!(d.to_string(), "2024-02-29");
        assert_eq!(d.earliest(), d.latest());
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "2025-13",
            "2025-02-30",
            "25-01",
            "January 2025",
            "",
            "2025-1",
        ] {
            assert!(bad.parse::<PubDate>().is_err(), "{bad} should be rejected");
        }
    }
}
