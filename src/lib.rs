//! stet: a terminal reader for comparing versions of news reports.
//!
//! The core (`corpus`, `compare`, `annotate`, `text`) knows nothing of terminals; `app` is the
//! pure state machine of the TUI, `ui` draws it, `runtime` is the imperative shell.

pub mod annotate;
pub mod app;
pub(crate) mod atomic_file;
pub mod cli;
pub mod command;
pub mod compare;
pub mod config;
pub mod corpus;
pub(crate) mod jobs;
pub mod num;
pub mod paths;
pub mod runtime;
pub mod search;
pub(crate) mod sorted;
pub mod store;
pub mod text;
pub mod trace;
pub mod ui;
pub(crate) mod watch;
