//! Comparing two versions: segmentation, alignment with moves, word diff, collation.
