//! Fuzzy deduplication of register entries within a batch and against the registry
//! (`sohoa dedup`, and the [`step::DedupStep`] of `sohoa run --existing`).
//!
//! The model is a Fellegi-Sunter linkage whose shape is data (`schemas/matching/<REG>.toml`,
//! [`config`]): each record is read once ([`read`]) and normalised into compact integer form
//! ([`record`], [`vocab`], [`phonetic`]); candidate pairs come from a union of blocking keys
//! ([`blocking`]); each compared field reaches one of its ordered levels ([`compare`],
//! [`similarity`]); the levels' weights come from u probabilities measured on random pairs and m
//! probabilities estimated by EM in training sessions, adjusted for how common a value is
//! ([`model`], [`tf`]); a disagreement read with low OCR confidence weighs less. [`decide`]
//! applies the thresholds and the caps that keep twins and siblings apart; [`link`] runs all
//! that; `duplicate` links form clusters, one per registry person ([`cluster`]); every reported
//! pair carries its explanation ([`explain`]). [`run`] and [`report`] make the files of
//! `sohoa dedup`; [`generate`] makes realistic test data with known duplicates. The reasoning
//! and the measured figures: `docs/dedup.md` and the README.

pub mod blocking;
pub mod cluster;
pub mod compare;
pub mod config;
pub mod decide;
pub mod explain;
pub mod generate;
pub mod hash;
pub mod link;
pub mod model;
pub mod parallel_csv;
pub mod phonetic;
pub mod read;
pub mod record;
pub mod report;
pub mod run;
pub mod similarity;
pub mod step;
pub mod tf;
pub mod vocab;
