//! Hash maps keyed by values that are already hashes (word and feature keys): no re-hashing.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A hasher that passes a `u64` key through (keys are already well-mixed hashes).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = super::segment::mix(self.0, u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A map from hash keys to `V`.
pub(crate) type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;
