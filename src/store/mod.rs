//! The corpus store: SQLite databases (rusqlite, bundled library). No terminal types.
//!
//! - [`user::UserStore`]: the user's own data per corpus, in the user data directory, never
//!   rebuilt: annotations (every revision's last snapshot per id), read marks, the reading
//!   position. WAL, versioned migrations (`PRAGMA user_version`), every write one committed
//!   transaction before it returns.

pub mod user;

pub use user::{OpenedUser, Reading, UserStore, UserStoreError};
