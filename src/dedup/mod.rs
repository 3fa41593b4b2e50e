//! Fuzzy deduplication of entries within a batch and against the registry.
