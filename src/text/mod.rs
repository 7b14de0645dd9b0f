//! Text forms shared by the core: the normalised form used for matching, and the sanitised
//! form safe to write to a terminal.

pub mod json;
pub mod normalize;
pub mod sanitize;

pub use normalize::{matching_hash, normalize_char, normalize_for_matching};
pub use sanitize::{SafeWriter, sanitize_for_output, sanitize_for_terminal};
