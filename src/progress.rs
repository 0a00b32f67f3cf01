//! Status of plans as of the build: each leaf (a task without targets, or a target) has
//! the status of its latest update; tasks with targets, categories, plans and units roll
//! their leaves up. 序时进度 compares the reported percent with the share of time elapsed.

use jiff::civil::Date;
use serde::Serialize;

use crate::content::plan::{Status, Update};
use crate::enums::{Key, Label};
use crate::time::Deadline;

/// How far a leaf is against the time elapsed (序时进度).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Verdict {
    /// At least [`AHEAD_MARGIN`] points ahead of the time elapsed.
    #[strum(message = "超进度")]
    Ahead,
    /// At or just above the time elapsed.
    #[strum(message = "达进度")]
    OnTrack,
    /// Behind the time elapsed.
    #[strum(message = "欠进度")]
    Behind,
}

impl Key for Verdict {}
impl Label for Verdict {}

/// Points above 序时进度 from which a leaf counts as 超进度 rather than 达进度.
pub const AHEAD_MARGIN: u8 = 10;

/// 序时进度 of a leaf and how its reported percent compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Share of the time from the plan start to the deadline elapsed as of the build, 0–100.
    pub expected: u8,
    /// 超 / 达 / 欠进度.
    pub verdict: Verdict,
}

/// The computed progress of a leaf or a rolled-up task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// Latest status, or the roll-up of the targets.
    pub status: Status,
    /// Share done, 0–100.
    pub percent: u8,
    /// The last day allowed, if the deadline has a date.
    pub deadline_date: Option<Date>,
    /// Deadline before *as of* and not done.
    pub overdue: bool,
    /// 序时进度, for a leaf with a plan start and a dated deadline.
    pub schedule: Option<Schedule>,
    /// Index of the latest update in the leaf's `updates`.
    pub latest: Option<usize>,
}

/// Progress of a leaf from its updates (oldest first), deadline and the plan start.
pub fn leaf(
    updates: &[Update],
    deadline: Option<&Deadline>,
    start: Option<Date>,
    as_of: Date,
) -> Progress {
    let latest = updates.len().checked_sub(1);
    let status = latest.map_or(Status::NotStarted, |i| updates[i].status);
    let percent = if status == Status::Done {
        100
    } else {
        updates.iter().rev().find_map(|u| u.percent).unwrap_or(0)
    };
    let deadline_date = deadline.and_then(Deadline::date);
    let overdue = deadline_date.is_some_and(|d| d < as_of) && status != Status::Done;
    let schedule = start
        .zip(deadline_date)
        .map(|(start, end)| schedule(percent, elapsed_share(start, end, as_of)));
    Progress {
        status,
        percent,
        deadline_date,
        overdue,
        schedule,
        latest,
    }
}

/// Progress of a task with targets: its percent is the mean of theirs; it is done when
/// all are, delayed when any is, overdue when any is (or its own deadline passed).
pub fn rolled(targets: &[Progress], deadline: Option<&Deadline>, as_of: Date) -> Progress {
    let all = |s: Status| targets.iter().all(|t| t.status == s);
    let status = if targets.is_empty() || all(Status::NotStarted) {
        Status::NotStarted
    } else if all(Status::Done) {
        Status::Done
    } else if targets.iter().any(|t| t.status == Status::Delayed) {
        Status::Delayed
    } else if all(Status::Suspended) {
        Status::Suspended
    } else {
        Status::InProgress
    };
    let percent = mean(targets.iter().map(|t| t.percent));
    let deadline_date = deadline.and_then(Deadline::date);
    let overdue = targets.iter().any(|t| t.overdue)
        || (deadline_date.is_some_and(|d| d < as_of) && status != Status::Done);
    Progress {
        status,
        percent,
        deadline_date,
        overdue,
        schedule: None,
        latest: None,
    }
}

/// Share (0–100) of the time from `start` to `end` elapsed on `as_of`.
pub fn elapsed_share(start: Date, end: Date, as_of: Date) -> u8 {
    if as_of <= start {
        return 0;
    }
    if as_of >= end {
        return 100;
    }
    let total = days_between(start, end).max(1);
    let done = days_between(start, as_of);
    u8::try_from(done * 100 / total).unwrap_or(100)
}

fn days_between(a: Date, b: Date) -> i64 {
    a.until((jiff::Unit::Day, b))
        .map_or(0, |span| i64::from(span.get_days()))
}

fn schedule(percent: u8, expected: u8) -> Schedule {
    let verdict = if percent < expected {
        Verdict::Behind
    } else if percent >= expected.saturating_add(AHEAD_MARGIN) && percent > expected {
        Verdict::Ahead
    } else {
        Verdict::OnTrack
    };
    Schedule { expected, verdict }
}

fn mean(values: impl Iterator<Item = u8>) -> u8 {
    let (sum, count) = values.fold((0u32, 0u32), |(s, c), v| (s + u32::from(v), c + 1));
    (sum + count / 2)
        .checked_div(count)
        .map_or(0, |m| u8::try_from(m).unwrap_or(100))
}

/// Counts of leaves per status, overdue and percent done, for a category, plan or unit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// Number of leaves (tasks without targets, and targets).
    pub total: usize,
    /// 已完成.
    pub done: usize,
    /// 推进中.
    pub in_progress: usize,
    /// 滞后.
    pub delayed: usize,
    /// 暂停.
    pub suspended: usize,
    /// 未启动.
    pub not_started: usize,
    /// Overdue leaves.
    pub overdue: usize,
    /// Share of leaves done, 0–100.
    pub done_percent: u8,
    /// Mean reported percent of the leaves, 0–100.
    pub mean_percent: u8,
    #[serde(skip)]
    percent_sum: u32,
}

impl Rollup {
    /// Counts one leaf.
    pub fn add(&mut self, leaf: &Progress) {
        self.total += 1;
        match leaf.status {
            Status::Done => self.done += 1,
            Status::InProgress => self.in_progress += 1,
            Status::Delayed => self.delayed += 1,
            Status::Suspended => self.suspended += 1,
            Status::NotStarted => self.not_started += 1,
        }
        self.overdue += usize::from(leaf.overdue);
        self.percent_sum += u32::from(leaf.percent);
        self.refresh();
    }

    /// Adds another roll-up's leaves to this one.
    pub fn merge(&mut self, other: &Rollup) {
        self.total += other.total;
        self.done += other.done;
        self.in_progress += other.in_progress;
        self.delayed += other.delayed;
        self.suspended += other.suspended;
        self.not_started += other.not_started;
        self.overdue += other.overdue;
        self.percent_sum += other.percent_sum;
        self.refresh();
    }

    /// The count for one status.
    pub fn count(&self, status: Status) -> usize {
        match status {
            Status::Done => self.done,
            Status::InProgress => self.in_progress,
            Status::Delayed => self.delayed,
            Status::Suspended => self.suspended,
            Status::NotStarted => self.not_started,
        }
    }

    fn refresh(&mut self) {
        let total = u32::try_from(self.total).unwrap_or(u32::MAX).max(1);
        let done = u32::try_from(self.done).unwrap_or(0);
        self.done_percent = u8::try_from((done * 100 + total / 2) / total).unwrap_or(100);
        self.mean_percent = u8::try_from((self.percent_sum + total / 2) / total).unwrap_or(100);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{Located, Position};

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    fn update(d: &str, status: Status, percent: Option<u8>) -> Update {
        Update {
            date: Located::new(date(d), Position::START),
            status,
            percent,
            by: None,
            note: None,
            sample: false,
        }
    }

    #[test]
    fn a_leaf_takes_its_latest_update_and_is_overdue_past_its_deadline() {
        let deadline = Deadline::parse("2007-12").expect("deadline");
        let updates = [
            update("2007-03-31", Status::InProgress, Some(20)),
            update("2007-06-30", Status::Delayed, None),
        ];
        let p = leaf(&updates, Some(&deadline), None, date("2007-12-31"));
        assert_eq!(
            (p.status, p.percent, p.overdue),
            (Status::Delayed, 20, false)
        );
        let p = leaf(&updates, Some(&deadline), None, date("2008-01-01"));
        assert!(p.overdue);
        let p = leaf(
            &[],
            Some(&Deadline::parse("常设").expect("label")),
            None,
            date("2030-01-01"),
        );
        assert_eq!((p.status, p.overdue), (Status::NotStarted, false));
        let done = [update("2007-05-01", Status::Done, None)];
        let p = leaf(&done, Some(&deadline), None, date("2030-01-01"));
        assert_eq!((p.percent, p.overdue), (100, false));
    }

    #[test]
    fn schedule_compares_percent_with_time_elapsed() {
        let deadline = Deadline::parse("2007-12-31").expect("deadline");
        let start = Some(date("2007-01-01"));
        let at = |percent, as_of| {
            let updates = [update("2007-01-02", Status::InProgress, Some(percent))];
            leaf(&updates, Some(&deadline), start, date(as_of))
                .schedule
                .expect("schedule")
        };
        let mid = at(50, "2007-07-02");
        assert_eq!(mid.expected, 50);
        assert_eq!(mid.verdict, Verdict::OnTrack);
        assert_eq!(at(30, "2007-07-02").verdict, Verdict::Behind);
        assert_eq!(at(80, "2007-07-02").verdict, Verdict::Ahead);
        assert_eq!(at(80, "2009-01-01").expected, 100);
    }

    #[test]
    fn tasks_roll_up_their_targets() {
        let d = Deadline::parse("2009-12").expect("deadline");
        let as_of = date("2010-06-30");
        let done = leaf(
            &[update("2009-01-01", Status::Done, None)],
            Some(&d),
            None,
            as_of,
        );
        let late = leaf(
            &[update("2009-01-01", Status::InProgress, Some(40))],
            Some(&d),
            None,
            as_of,
        );
        let task = rolled(&[done.clone(), late.clone()], None, as_of);
        assert_eq!(task.status, Status::InProgress);
        assert_eq!(task.percent, 70);
        assert!(task.overdue);
        let mut rollup = Rollup::default();
        rollup.add(&done);
        rollup.add(&late);
        assert_eq!((rollup.total, rollup.done, rollup.overdue), (2, 1, 1));
        assert_eq!((rollup.done_percent, rollup.mean_percent), (50, 70));
    }
}
