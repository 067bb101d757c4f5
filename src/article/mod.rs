//! Reading articles: plain text with optional TOML front matter, and JSON Lines corpora.
//!
//! Entry points: [`read_text_article`] for one `.txt` file, [`parse_jsonl_line`] for one line of
//! a `.jsonl` corpus, and [`normalize_text`], which every text passes through (so that the
//! character offsets of spans are stable).

mod meta;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

pub use meta::{ArticleMeta, PubDate, PubDateError, SourceArticle};

/// One article: a stable id, its metadata and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: String,
    pub meta: ArticleMeta,
    /// NFC-normalised text with `\n` line ends; spans count `char`s into it.
    pub text: String,
}

/// Why an article could not be read. Every variant names the input.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: the file is empty; an article needs some text")]
    Empty { path: PathBuf },
    #[error("{path}: looks like a binary file (NUL byte at byte offset {offset}); articles are UTF-8 text")]
    Binary { path: PathBuf, offset: usize },
    #[error("{path}: invalid UTF-8 at byte offset {offset}; re-encode the file as UTF-8, or use --lossy to replace bad bytes with U+FFFD")]
    InvalidUtf8 { path: PathBuf, offset: usize },
    #[error("{path}:{line}:{column}: invalid front matter: {message}")]
    FrontMatter {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: front matter opened with `+++` on line 1 is never closed; add a line `+++` after the metadata")]
    UnclosedFrontMatter { path: PathBuf },
    #[error("{path}:{line}: invalid JSON Lines record: {message}")]
    JsonLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: invalid article id {id:?}: use letters, digits, '-', '_' and '.' only")]
    BadId { path: PathBuf, id: String },
    #[error("{path}: the article has no text after its front matter")]
    NoText { path: PathBuf },
}

/// How strictly bytes are decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Decode {
    /// Invalid UTF-8 is an error naming the byte offset.
    #[default]
    Strict,
    /// Invalid UTF-8 is replaced with U+FFFD.
    Lossy,
}

/// NFC-normalises `text`, strips a leading byte-order mark and turns `\r\n` and `\r` into `\n`.
pub fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let unified = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    };
    // Most text is NFC already (all ASCII text is): the quick check spares rebuilding it,
    // which was 3.5% of a BBC ingest's instructions.
    if unified.is_ascii() || is_nfc_quick(unified.chars()) == IsNormalized::Yes {
        return unified;
    }
    unified.nfc().collect()
}

/// Decodes bytes as UTF-8, refusing binary files.
pub fn decode(path: &Path, bytes: Vec<u8>, mode: Decode) -> Result<String, ArticleError> {
    if bytes.is_empty() {
        return Err(ArticleError::Empty { path: path.into() });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ArticleError::Binary {
            path: path.into(),
            offset,
        });
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => match mode {
            Decode::Strict => Err(ArticleError::InvalidUtf8 {
                path: path.into(),
                offset: e.utf8_error().valid_up_to(),
            }),
            Decode::Lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        },
    }
}

/// True when `id` is usable as an article id (it becomes part of an IRI).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Makes an article id from a path-like string: unsafe characters become `-`.
pub fn id_from_path_str(s: &str) -> String {
    let id: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() {
        "article".to_owned()
    } else {
        id
    }
}

/// Front matter fields: the metadata plus an optional id. The fields are listed rather than
/// flattened from [`ArticleMeta`], because serde's `flatten` loses the positions that error
/// messages need.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    headline: Option<String>,
    #[serde(default)]
    subtitle: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
    #[serde(default)]
    author: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published: Option<PubDate>,
    #[serde(default)]
    based_on: Option<SourceArticle>,
}

impl FrontMatter {
    fn split(self) -> (Option<String>, ArticleMeta) {
        let meta = ArticleMeta {
            headline: self.headline,
            subtitle: self.subtitle,
            publisher: self.publisher,
            author: self.author,
            url: self.url,
            published: self.published,
            based_on: self.based_on,
        };
        (self.id, meta)
    }
}

/// Reads a text article from `content` (already decoded).
///
/// A front-matter block is TOML between a first line `+++` and the next line `+++`. Without
/// one, the whole file is the text, and a first line followed by a blank line is taken as the
/// headline (the text keeps it, so offsets match the file). `default_id` is used when the front
/// matter gives no `id`.
pub fn parse_text_article(
    path: &Path,
    content: &str,
    default_id: &str,
) -> Result<Article, ArticleError> {
    let content = normalize_text(content);
    let (front, body) = split_front_matter(path, &content)?;
    let (id, mut meta) = match front {
        Some(toml_text) => {
            let fm: FrontMatter =
                toml::from_str(toml_text).map_err(|e| front_matter_error(path, toml_text, &e))?;
            fm.split()
        }
        None => (None, ArticleMeta::default()),
    };
    if body.trim().is_empty() {
        return Err(ArticleError::NoText { path: path.into() });
    }
    if meta.headline.is_none() && front.is_none() {
        let mut lines = body.lines();
        if let (Some(first), Some("")) = (lines.next(), lines.next()) {
            if !first.trim().is_empty() {
                meta.headline = Some(first.trim().to_owned());
            }
        }
    }
    let id = id.unwrap_or_else(|| default_id.to_owned());
    if !is_valid_id(&id) {
        return Err(ArticleError::BadId {
            path: path.into(),
            id,
        });
    }
    Ok(Article {
        id,
        meta,
        text: body.to_owned(),
    })
}

/// Splits `+++` front matter from the body.
fn split_front_matter<'a>(
    path: &Path,
    content: &'a str,
) -> Result<(Option<&'a str>, &'a str), ArticleError> {
    let Some(rest) = content
        .strip_prefix("+++\n")
        .or_else(|| (content == "+++").then_some(""))
    else {
        return Ok((None, content));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let front = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok((Some(front), body));
        }
        offset += line.len();
    }
    Err(ArticleError::UnclosedFrontMatter { path: path.into() })
}

fn front_matter_error(path: &Path, toml_text: &str, e: &toml::de::Error) -> ArticleError {
    // Lines are counted in the file: the front matter starts on line 2, after `+++`.
    let (line, column) = match e.span() {
        Some(span) => line_col(toml_text, span.start),
        None => (1, 1),
    };
    ArticleError::FrontMatter {
        path: path.into(),
        line: line + 1,
        column,
        message: e.message().to_owned(),
    }
}

/// 1-based line and column (in chars) of a byte offset.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = byte.min(text.len());
    let before = &text[..floor_char_boundary(text, byte)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One JSON Lines record: metadata fields, an optional id and the text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonArticle {
    #[serde(default)]
    id: Option<String>,
    #[serde(flatten)]
    meta: ArticleMeta,
    text: String,
}

/// Parses line `line_no` (1-based) of a JSON Lines corpus at `path`.
///
/// Each line is an object with `text` (required), optional `id` (default: `<stem>-<line>`) and
/// the metadata fields of [`ArticleMeta`].
pub fn parse_jsonl_line(
    path: &Path,
    stem: &str,
    line_no: usize,
    line: &str,
) -> Result<Article, ArticleError> {
    let rec: JsonArticle = serde_json::from_str(line).map_err(|e| ArticleError::JsonLine {
        path: path.into(),
        line: line_no,
        message: format!("{e} (column {})", e.column()),
    })?;
    if rec.text.trim().is_empty() {
        return Err(ArticleError::JsonLine {
            path: path.into(),
            line: line_no,
            message: "`text` is empty".to_owned(),
        });
    }
    let id = rec.id.unwrap_or_else(|| format!("{stem}-{line_no}"));
    if !is_valid_id(&id) {
        return Err(ArticleError::BadId {
            path: path.into(),
            id,
        });
    }
    Ok(Article {
        id,
        meta: rec.meta,
        text: normalize_text(&rec.text),
    })
}

/// Reads one `.txt` article file.
pub fn read_text_article(
    path: &Path,
    default_id: &str,
    mode: Decode,
) -> Result<Article, ArticleError> {
    let bytes = std::fs::read(path).map_err(|source| ArticleError::Io {
        path: path.into(),
        source,
    })?;
    let content = decode(path, bytes, mode)?;
    parse_text_article(path, &content, default_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.txt")
    }

    #[test]
    fn front_matter_and_body() {
        let a = parse_text_article(
            p(),
            "+++\nid = \"x1\"\nheadline = \"H\"\npublished = \"2025-01\"\n+++\nBody text.\n",
            "dflt",
        )
        .unwrap();
        assert_eq!(a.id, "x1");
        assert_eq!(a.meta.headline.as_deref(), Some("H"));
        assert_eq!(a.meta.published.unwrap().to_string(), "2025-01");
        assert_eq!(a.text, "Body text.\n");
    }

    #[test]
    fn plain_text_first_line_headline() {
        let a = parse_text_article(p(), "Title here\n\nBody.\n", "b-001").unwrap();
        assert_eq!(a.id, "b-001");
        assert_eq!(a.meta.headline.as_deref(), Some("Title here"));
        assert_eq!(a.text, "Title here\n\nBody.\n");
    }

    #[test]
    fn front_matter_error_has_file_line() {
        let e = parse_text_article(p(), "+++\nheadline = \"H\"\npublished = 5\n+++\nB\n", "d")
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("a.txt:3:"), "{msg}");
    }

    #[test]
    fn unknown_front_matter_key_is_refused() {
        let e = parse_text_article(p(), "+++\nheadlin = \"H\"\n+++\nB\n", "d").unwrap_err();
        assert!(e.to_string().contains("headlin"), "{e}");
    }

    /// Regression (found by the front_matter fuzz target): lone `\r` line ends count as lines,
    /// so the reported line stays inside the input as read.
    #[test]
    fn front_matter_error_line_with_lone_carriage_returns() {
        let text = "+++\n\r\r\r\x0b\r\r\r\x0b\r+++\r\r";
        let lines = normalize_text(text).lines().count();
        match parse_text_article(p(), text, "x") {
            Err(ArticleError::FrontMatter { line, .. }) => {
                assert!((2..=lines + 1).contains(&line), "{line}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unclosed_front_matter() {
        let e = parse_text_article(p(), "+++\nheadline = \"H\"\nBody\n", "d").unwrap_err();
        assert!(matches!(e, ArticleError::UnclosedFrontMatter { .. }));
    }

    #[test]
    fn invalid_utf8_names_offset_and_lossy_recovers() {
        let bytes = b"abc\xffdef".to_vec();
        match decode(p(), bytes.clone(), Decode::Strict) {
            Err(ArticleError::InvalidUtf8 { offset, .. }) => assert_eq!(offset, 3),
            other => panic!("{other:?}"),
        }
        assert_eq!(decode(p(), bytes, Decode::Lossy).unwrap(), "abc\u{fffd}def");
    }

    #[test]
    fn binary_and_empty_refused() {
        assert!(matches!(
            decode(p(), b"ab\0c".to_vec(), Decode::Strict),
            Err(ArticleError::Binary { offset: 2, .. })
        ));
        assert!(matches!(
            decode(p(), vec![], Decode::Strict),
            Err(ArticleError::Empty { .. })
        ));
    }

    #[test]
    fn normalizes_nfc_and_line_ends() {
        assert_eq!(
            normalize_text("\u{feff}T\u{0075}\u{0308}rkiye\r\nx\ry"),
            "Türkiye\nx\ny"
        );
        // Text that is NFC already is kept as it is (the quick check); text the check cannot
        // settle ("Maybe": a combining accent after a base letter) is still composed.
        for (text, nfc) in [
            ("Zürich, São Paulo — 東京", "Zürich, São Paulo — 東京"),
            ("Cafe\u{0301} au lait", "Café au lait"),
            ("\u{212b}ngstr\u{f6}m", "\u{c5}ngstr\u{f6}m"), // the Ångström sign is not NFC
        ] {
            assert_eq!(normalize_text(text), nfc, "{text:?}");
            assert_eq!(normalize_text(text), text.nfc().collect::<String>());
        }
    }

    #[test]
    fn jsonl_line_defaults_and_errors() {
        let a = parse_jsonl_line(
            p(),
            "corp",
            3,
            r#"{"text":"Hello.","published":"2024-05-01"}"#,
        )
        .unwrap();
        assert_eq!(a.id, "corp-3");
        let e = parse_jsonl_line(p(), "corp", 4, r#"{"text": 5}"#).unwrap_err();
        assert!(e.to_string().starts_with("a.txt:4:"), "{e}");
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncü d", 6), (2, 3));
        assert_eq!(line_col("ab\ncü d", 7), (2, 4));
    }
}
