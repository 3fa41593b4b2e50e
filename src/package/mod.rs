//! The ministry's delivery package per book (Công văn 1437/BTP-CNTT; domain reference 1.1).

pub mod naming;
pub mod schema;
pub mod pdf;
