//! The integration tests: one test binary (linking the library once) with a module per area,
//! as helix does. Run one area with `cargo test --test integration tui_render::`.

// Test code: helpers outside #[test] functions unwrap too.
#![allow(clippy::unwrap_used)]

mod cli_support;
mod tmux_support;
mod tui_support;

mod annotations_cli;
mod cli_polish;
mod collate_cli;
mod corpus_cli;
mod crash_safety;
mod diff_cli;
mod e2e_annotate;
mod e2e_tmux;
mod formats;
mod fuzz;
mod grouping_quality;
mod identity;
mod resource_limits;
mod search_cli;
mod store_cache;
mod store_kill;
mod store_reopen;
mod stories_cli;
mod terminal_safety;
mod tui_annotate;
mod tui_collate;
mod tui_config_cmd;
mod tui_diff;
mod tui_keys;
mod tui_polish;
mod tui_render;
mod tui_search;
mod tui_watch;
mod two_readers;
mod watch_cli;
