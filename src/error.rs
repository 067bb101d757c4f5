//! What kind of failure an error is: the one classification that the CLI maps to exit codes.
//!
//! Entry point: [`kind_of`]. Every error type of the library says its own kind
//! (`StoreError::kind`, `QueryError::kind`, ...), next to its definition, as Oxigraph's
//! storage errors map to [`std::io::ErrorKind`]; wrappers ask the error they wrap.

use crate::article::{ArticleError, PubDateError};
use crate::eval::EvalError;
use crate::extract::lexicon::LexiconError;
use crate::extract::tagger::train::TrainError;
use crate::extract::tagger::ModelError;
use crate::facts::FactsError;
use crate::ingest::{DiscoverError, IngestError};
use crate::link::ReferenceError;
use crate::load::LoadError;
use crate::network::NetworkError;
use crate::rdf::BaseError;
use crate::shacl::ShaclError;
use crate::store::{ExportError, QueryError, ScopeError, StoreError};
use crate::validate::ValidateError;
use crate::web::WebError;

/// The kinds of failure, each with one documented exit code in the CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not the input's fault: I/O, storage, a server that stopped.
    Failure,
    /// The input is invalid: an article, facts file, query, binding, graph name, lexicon,
    /// reference file or shapes file.
    BadInput,
    /// The store is locked by another process, or the path is not a newsgraph store.
    StoreUnavailable,
    /// The command was called the wrong way (a scoped query without its scope).
    Usage,
    /// A query ran past its timeout.
    Timeout,
    /// A remote store refused the credentials (HTTP 401 or 403).
    Auth,
    /// A remote store could not be reached, failed, or rejected what was sent.
    Remote,
}

/// The kind of the first error in `e`'s chain of sources that is one of the library's.
pub fn kind_of(e: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    let mut cause = Some(e);
    while let Some(c) = cause {
        if let Some(k) = own_kind(c) {
            return Some(k);
        }
        cause = c.source();
    }
    None
}

/// The kind of `e` itself when it is one of the library's error types.
fn own_kind(e: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
    macro_rules! kinds {
        ($($t:ty),* $(,)?) => {
            $(if let Some(x) = e.downcast_ref::<$t>() {
                return Some(x.kind());
            })*
        };
    }
    kinds!(
        StoreError,
        QueryError,
        ScopeError,
        ExportError,
        LoadError,
        IngestError,
        DiscoverError,
        ValidateError,
        EvalError,
        ArticleError,
        PubDateError,
        LexiconError,
        FactsError,
        ReferenceError,
        ShaclError,
        BaseError,
        ModelError,
        TrainError,
        NetworkError,
        WebError,
    );
    #[cfg(feature = "http")]
    kinds!(crate::push::PushError);
    None
}

/// Error types whose every variant is bad input.
macro_rules! bad_input {
    ($($t:ty),* $(,)?) => {
        $(impl $t {
            /// Always [`ErrorKind::BadInput`]: the input named in the message is invalid.
            pub fn kind(&self) -> ErrorKind {
                ErrorKind::BadInput
            }
        })*
    };
}
bad_input!(
    ModelError,
    ScopeError,
    DiscoverError,
    ArticleError,
    PubDateError,
    LexiconError,
    FactsError,
    ReferenceError,
    ShaclError,
    BaseError,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_store_error_keeps_its_kind_whatever_wraps_it() {
        let locked = || StoreError::Locked {
            path: "/tmp/s".into(),
        };
        assert_eq!(locked().kind(), ErrorKind::StoreUnavailable);
        // The export arm of the old mapping knew Locked only.
        let foreign = ExportError::Store(StoreError::Foreign {
            path: "/tmp/s".into(),
        });
        assert_eq!(kind_of(&foreign), Some(ErrorKind::StoreUnavailable));
        assert_eq!(
            kind_of(&IngestError::Store(locked())),
            Some(ErrorKind::StoreUnavailable)
        );
        assert_eq!(
            kind_of(&ValidateError::Store(locked())),
            Some(ErrorKind::StoreUnavailable)
        );
        assert_eq!(
            kind_of(&LoadError::Store(locked())),
            Some(ErrorKind::StoreUnavailable)
        );
        let io = std::io::Error::other("disk");
        assert_eq!(kind_of(&io), None);
    }
}
