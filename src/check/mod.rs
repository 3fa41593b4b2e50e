//! `sohoa check`: a contractor's hand-keyed workbook checked as the pipeline checks what it reads.

mod cp1252;
pub mod legacy;
mod legacy_table;
