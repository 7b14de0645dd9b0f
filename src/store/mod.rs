//! The corpus store: SQLite databases (rusqlite, bundled library). No terminal types.
//!
//! - [`user::UserStore`]: the user's own data per corpus, in the user data directory, never
//!   rebuilt: annotations (every revision's last snapshot per id), read marks, the reading
//!   position. WAL, versioned migrations (`PRAGMA user_version`), every write one committed
//!   transaction before it returns.
//! - [`derived::DerivedStore`]: rebuildable data per corpus in the user cache directory:
//!   each file's fingerprint (size, times, inode, content hash), each file's cleaned
//!   articles (deflated when it pays), and the corpus's state (article metadata and counts,
//!   stories, source boilerplate): [`derived::open_corpus`] reopens an unchanged corpus
//!   without reading its files, its text read on demand ([`derived::StoreTexts`]), and
//!   re-reads only the files that changed.

pub mod derived;
pub mod user;

pub use user::{Changes, OpenedUser, Reading, UserStore, UserStoreError};
