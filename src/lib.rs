//! sohoa: scanned Vietnamese civil-status register books to validated import files.
//!
//! The pipeline runs in one direction, one module per stage:
//! [`ingest`] -> [`preprocess`] -> [`ocr`] -> [`extract`] -> [`validate`] -> [`dedup`] -> [`emit`].
//! The types that flow between stages live in [`page`]; what differs between registers and
//! form editions is data in `schemas/`, loaded by [`schema`]. [`pipeline`] runs the stages over
//! pages in parallel and keeps every page's result in the [`store`], from which the outputs are
//! always rebuilt.

pub mod accept;
pub mod bookcheck;
pub mod check;
pub mod cli;
pub mod clock;
pub mod dedup;
pub mod emit;
pub mod eval;
pub mod extract;
pub mod fuzz;
pub mod ingest;
pub mod journal;
pub mod normalize;
pub mod ocr;
pub mod outdir;
pub mod package;
pub mod page;
pub mod pipeline;
pub mod preprocess;
pub mod reading;
pub mod review;
pub mod schema;
pub mod shard;
pub mod store;
pub mod synth;
pub mod text;
pub mod validate;
pub mod workbook;
