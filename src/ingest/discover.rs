//! Where the articles are: files, folders (walked in name order) and JSON Lines corpora.
//! Entry point: [`discover`].

use std::path::{Path, PathBuf};

use crate::article;

/// Where one article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A `.txt` file, with the id it gets when its front matter gives none.
    Text { path: PathBuf, default_id: String },
    /// A `.jsonl` corpus: every line is an article.
    Jsonl { path: PathBuf },
}

/// Why discovery failed.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{path}: no such file or directory")]
    Missing { path: PathBuf },
    #[error("{path}: cannot list folder: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: not an article file; give .txt files, .jsonl corpora or folders holding them"
    )]
    Unsupported { path: PathBuf },
}

pub(super) fn kind_of(path: &Path) -> Option<&'static str> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("txt") => Some("txt"),
        Some("jsonl") => Some("jsonl"),
        _ => None,
    }
}

/// Finds the articles under `paths`. A file's id is its stem; a file found in a folder gets
/// its path relative to that folder, without extension, with `/` turned into `-`
/// (`business/001.txt` → `business-001`). Folders are walked recursively in name order;
/// files that are neither `.txt` nor `.jsonl` in folders are skipped.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Source>, DiscoverError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            for f in files {
                let rel = f.strip_prefix(p).unwrap_or(&f).with_extension("");
                let id = article::id_from_path_str(
                    &rel.to_string_lossy()
                        .replace(std::path::MAIN_SEPARATOR, "-"),
                );
                out.push(match kind_of(&f) {
                    Some("jsonl") => Source::Jsonl { path: f },
                    _ => Source::Text {
                        path: f,
                        default_id: id,
                    },
                });
            }
        } else if p.is_file() {
            match kind_of(p) {
                Some("jsonl") => out.push(Source::Jsonl { path: p.clone() }),
                Some(_) => out.push(Source::Text {
                    path: p.clone(),
                    default_id: article::id_from_path_str(
                        &p.file_stem().unwrap_or_default().to_string_lossy(),
                    ),
                }),
                None => return Err(DiscoverError::Unsupported { path: p.clone() }),
            }
        } else {
            return Err(DiscoverError::Missing { path: p.clone() });
        }
    }
    Ok(out)
}

pub(super) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DiscoverError> {
    let rd = std::fs::read_dir(dir).map_err(|source| DiscoverError::Io {
        path: dir.into(),
        source,
    })?;
    for e in rd {
        let e = e.map_err(|source| DiscoverError::Io {
            path: dir.into(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if kind_of(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}
