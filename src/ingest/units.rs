//! Sources read in order as units of work, JSON Lines streamed in chunks. Entry point:
//! [`Units`].

use std::path::PathBuf;

use super::*;
use crate::article::{self, Article, ArticleError, Decode};

/// Lines of a JSON Lines corpus read and extracted together.
pub(super) const JSONL_CHUNK: usize = 32;

/// Reads every source in order as units of work: one unit per text file, one per
/// [`JSONL_CHUNK`] lines of a JSON Lines corpus (streamed, so a corpus of any size is never
/// held in memory whole). Each unit carries its sequence number, so that writes can follow
/// discovery order.
pub struct Units<'a> {
    pub(super) sources: std::slice::Iter<'a, Source>,
    pub(super) decode: Decode,
    pub(super) jsonl: Option<JsonlReader>,
    pub(super) next_index: usize,
}

pub(super) struct JsonlReader {
    pub(super) path: PathBuf,
    pub(super) stem: String,
    pub(super) reader: std::io::BufReader<std::fs::File>,
    pub(super) line_no: usize,
    pub(super) offset: usize,
    pub(super) any_bytes: bool,
}

/// One unit of work: a text file's article, or some lines of a JSON Lines corpus.
#[derive(Debug)]
pub struct Unit {
    /// Sequence number, in discovery order.
    pub index: usize,
    pub path: PathBuf,
    /// True for lines of a JSON Lines corpus (not counted before they are read).
    pub from_jsonl: bool,
    pub articles: Vec<Result<Article, ArticleError>>,
}

impl<'a> Units<'a> {
    pub fn new(sources: &'a [Source], decode: Decode) -> Self {
        Units {
            sources: sources.iter(),
            decode,
            jsonl: None,
            next_index: 0,
        }
    }

    pub(super) fn unit(
        &mut self,
        path: PathBuf,
        from_jsonl: bool,
        articles: Vec<Result<Article, ArticleError>>,
    ) -> Unit {
        self.next_index += 1;
        Unit {
            index: self.next_index - 1,
            path,
            from_jsonl,
            articles,
        }
    }

    /// The next chunk of the open JSON Lines file, or None at its end.
    pub(super) fn jsonl_chunk(&mut self) -> Option<Unit> {
        use std::io::BufRead;
        let decode = self.decode;
        let r = self.jsonl.as_mut()?;
        let path = r.path.clone();
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while out.len() < JSONL_CHUNK {
            buf.clear();
            let n = match r.reader.read_until(b'\n', &mut buf) {
                Ok(n) => n,
                Err(source) => {
                    out.push(Err(ArticleError::Io {
                        path: r.path.clone(),
                        source,
                    }));
                    self.jsonl = None;
                    break;
                }
            };
            if n == 0 {
                if !r.any_bytes {
                    out.push(Err(ArticleError::Empty {
                        path: r.path.clone(),
                    }));
                }
                self.jsonl = None;
                break;
            }
            r.any_bytes = true;
            r.line_no += 1;
            let line_start = r.offset;
            r.offset += n;
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            out.push(jsonl_line(r, line_start, std::mem::take(&mut buf), decode));
        }
        if out.is_empty() {
            return None;
        }
        Some(self.unit(path, true, out))
    }
}

pub(super) fn jsonl_line(
    r: &JsonlReader,
    line_start: usize,
    bytes: Vec<u8>,
    decode: Decode,
) -> Result<Article, ArticleError> {
    // The same decoding rules as for text files; offsets become offsets into the file.
    let text = article::decode(&r.path, bytes, decode).map_err(|e| {
        let message = match e {
            ArticleError::Binary { offset, .. } => format!(
                "a NUL byte at byte offset {} of the file; is this a binary file?",
                line_start + offset
            ),
            ArticleError::InvalidUtf8 { offset, .. } => format!(
                "invalid UTF-8 at byte offset {} of the file; fix the encoding, or use --lossy to replace bad bytes",
                line_start + offset
            ),
            other => return other,
        };
        ArticleError::JsonLine {
            path: r.path.clone(),
            line: r.line_no,
            message,
        }
    })?;
    article::parse_jsonl_line(&r.path, &r.stem, r.line_no, text.trim_end())
}

impl Iterator for Units<'_> {
    type Item = Unit;

    fn next(&mut self) -> Option<Unit> {
        loop {
            if self.jsonl.is_some() {
                if let Some(u) = self.jsonl_chunk() {
                    return Some(u);
                }
                continue;
            }
            match self.sources.next()? {
                Source::Text { path, default_id } => {
                    let a = article::read_text_article(path, default_id, self.decode);
                    return Some(self.unit(path.clone(), false, vec![a]));
                }
                Source::Jsonl { path } => match std::fs::File::open(path) {
                    Ok(f) => {
                        self.jsonl = Some(JsonlReader {
                            path: path.clone(),
                            stem: article::id_from_path_str(
                                &path.file_stem().unwrap_or_default().to_string_lossy(),
                            ),
                            reader: std::io::BufReader::new(f),
                            line_no: 0,
                            offset: 0,
                            any_bytes: false,
                        });
                    }
                    Err(source) => {
                        let e = ArticleError::Io {
                            path: path.clone(),
                            source,
                        };
                        return Some(self.unit(path.clone(), false, vec![Err(e)]));
                    }
                },
            }
        }
    }
}
