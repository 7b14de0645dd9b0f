//! The corpus store: SQLite databases (rusqlite, bundled library). No terminal types.
//!
//! - [`user::UserStore`]: the user's own data per corpus, in the user data directory, never
//!   rebuilt: annotations (every revision's last snapshot per id), read marks, the reading
//!   position. WAL, versioned migrations (`PRAGMA user_version`), every write one committed
//!   transaction before it returns.
//! - [`derived::DerivedStore`]: rebuildable data per corpus in the user cache directory: so
//!   far each file's fingerprint (size, times, inode, content hash), telling which files
//!   changed.

pub mod derived;
pub mod user;

pub use user::{Changes, OpenedUser, Reading, UserStore, UserStoreError};
