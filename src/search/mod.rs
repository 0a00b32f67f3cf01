//! Search: a static, sharded, Chinese-first index written at build time (see
//! docs/search.md for the format the browser reads).

pub mod documents;
pub mod fold;
pub mod index;
pub mod tokenize;
