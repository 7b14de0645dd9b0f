//! Text forms shared by the core: the normalised form used for matching, the sanitised form
//! safe to write to a terminal, and text laid out in terminal columns.

pub(crate) mod json;
pub(crate) mod normalize;
pub mod plural;
pub mod sanitize;
pub mod wrap;

pub use normalize::{matching_hash, normalize_char, normalize_for_matching};
pub use plural::{noun, plural};
pub use sanitize::{SafeWriter, sanitize_for_output, sanitize_for_terminal};
pub use wrap::{text_width, truncate, wrap, wrap_cells};
