//! Disclosure duties (政府信息公开条例): the working-day calendar and the answer deadline
//! of each 依申请公开 application.
//!
//! The applications themselves are a content kind ([`crate::content::application`]);
//! this module counts with them and never renders them.

pub mod calendar;
pub mod deadlines;
pub mod report;

pub use calendar::{Arrangements, Calendar, Holiday, YearPlan};
pub use deadlines::{Due, Standing};
