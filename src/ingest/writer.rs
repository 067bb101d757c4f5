//! The ordered writer: changed articles by transaction, new ones in bulk batches loaded on a
//! thread of their own. Entry point: `Writer::write`.

use std::sync::mpsc;

use super::*;
use crate::rdf::Base;
use crate::store::{NewsStore, StoreError, SummaryRun, BULK_MIN_QUADS};

/// Writes prepared articles: changed ones by transaction (replacing their graph), new ones
/// gathered into batches for the bulk loader (each batch is committed whole or not at all).
/// Full batches go to the loader thread; the writer gathers the next one meanwhile.
pub(super) struct Writer<'a> {
    pub(super) store: &'a NewsStore,
    /// Counts of the new articles, and whether one was replaced (see [`SummaryRun`]).
    pub(super) summary: SummaryRun<'a>,
    pub(super) base: &'a Base,
    pub(super) bulk: bool,
    pub(super) batch_quads: usize,
    pub(super) pending: Vec<oxigraph::model::Quad>,
    /// (id, quads, words) of the articles in `pending`, for the transactional fallback.
    pub(super) pending_articles: Vec<(String, usize, usize)>,
    /// The loader thread's inbox; `None` once it stopped (its error is reported at the join).
    pub(super) loader: Option<mpsc::SyncSender<Vec<oxigraph::model::Quad>>>,
}

impl Writer<'_> {
    pub(super) fn write(
        &mut self,
        p: Prepared,
        report: &mut IngestReport,
    ) -> Result<(), StoreError> {
        if self.loader.is_none() {
            return Ok(()); // the loader failed: the run ends with its error
        }
        let article = self.base.article(&p.id);
        let existing = self.store.facts_hash(&article)?;
        match &existing {
            Some(h) if *h == p.hash => {
                report.unchanged += 1;
                report.words += p.words;
                return Ok(());
            }
            Some(_) => self.summary.replaced(),
            None => self.summary.added(p.tally),
        }
        match existing {
            None if self.bulk => {
                self.pending_articles.push((p.id, p.quads.len(), p.words));
                self.pending.extend(p.quads);
                if self.pending.len() >= self.batch_quads {
                    self.flush(report)?;
                }
            }
            _ => self.transaction(&article, &p.quads, p.words, report)?,
        }
        Ok(())
    }

    /// Replaces one article's graph in a transaction (its facts hash was already compared).
    pub(super) fn transaction(
        &mut self,
        article: &oxigraph::model::NamedNode,
        quads: &[oxigraph::model::Quad],
        words: usize,
        report: &mut IngestReport,
    ) -> Result<(), StoreError> {
        self.summary.before_write()?;
        self.store.replace_graph(article.as_ref(), quads)?;
        report.written += 1;
        report.quads += quads.len();
        report.words += words;
        Ok(())
    }

    /// Whether `n` pending quads go to the bulk loader (else one transaction per article).
    pub(super) fn bulk_sized(&self, n: usize) -> bool {
        n >= BULK_MIN_QUADS.min(self.batch_quads)
    }

    /// The run's last flush. When it is a bulk load and the run only added articles, the
    /// summary graph's new counts (and its up-to-date marker) ride in the same commit, which
    /// saves a bulk load of their own.
    pub(super) fn last_flush(&mut self, report: &mut IngestReport) -> Result<(), StoreError> {
        if self.loader.is_some() && self.bulk_sized(self.pending.len()) {
            if let Some(quads) = self.summary.hand_over()? {
                self.pending.extend(quads);
            }
        }
        self.flush(report)
    }

    /// Writes the pending new articles: one bulk load, or transactions when they are few.
    pub(super) fn flush(&mut self, report: &mut IngestReport) -> Result<(), StoreError> {
        let quads = std::mem::take(&mut self.pending);
        let articles = std::mem::take(&mut self.pending_articles);
        if self.bulk_sized(quads.len()) {
            let Some(loader) = &self.loader else {
                return Ok(());
            };
            self.summary.before_write()?;
            if loader.send(quads).is_err() {
                // The loader stopped on an error; stop handing it batches.
                self.loader = None;
                return Ok(());
            }
            for (_, n, words) in articles {
                report.written += 1;
                report.quads += n;
                report.words += words;
            }
            return Ok(());
        }
        let mut rest = quads.as_slice();
        for (id, n, words) in articles {
            let (mine, tail) = rest.split_at(n);
            rest = tail;
            let article = self.base.article(&id);
            self.transaction(&article, mine, words, report)?;
        }
        Ok(())
    }
}
