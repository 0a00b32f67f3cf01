//! The rebuild engine serve drives: [`crate::engine`], which re-renders only the pages
//! whose recorded sources changed.

pub use crate::engine::{Engine, Outcome};
