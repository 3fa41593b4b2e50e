//! Finishing a book: people's decisions (the corrections journal) applied to what the machine
//! read, the queue of what still needs a person, and the review and keying tools built on it.

pub mod excel;
pub mod input;
pub mod queue;
pub mod resolve;
pub mod session;
