//! Search: a static, sharded, Chinese-first index written at build time (see
//! docs/search.md for the format the browser reads).
//!
//! Its own stage after render: it reads the resolved [`Site`](crate::site::Site) only,
//! never the renderer, and [`SearchIndex`] keeps what it needs to rewrite only the files
//! an edit changes.

pub mod documents;
pub mod fold;
pub mod incremental;
pub mod index;
mod packed;
pub mod tokenize;

pub use incremental::{SearchFile, SearchIndex, SearchUpdate};
