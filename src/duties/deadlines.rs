//! The answer deadline of each 依申请公开 application (条例 第三十三条, with 第三十条 补正
//! and 第三十二条 征求第三方意见), and what `gongkai check` says about it as of the build.
//!
//! The rule (docs/duties.md): working days are counted from the day *after* receipt (or
//! after the 补正 was received), and the deadline is the 20th working day — the 40th when
//! the period was extended — plus `third_party_days`. An application is open on a day
//! when it was received by then and not replied by then.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use jiff::civil::Date;

use super::calendar::Calendar;
use crate::config::SITE_FILE;
use crate::content::application::Application;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::text;

/// Working days to answer (第三十三条第二款: 20 个工作日).
pub const ANSWER_DAYS: u32 = 20;
/// Working days an extension adds (延长的期限最长不得超过20个工作日).
pub const EXTENSION_DAYS: u32 = 20;
/// An open application this many working days or fewer from its deadline is warned about.
pub const WARN_WITHIN: u32 = 5;

/// When an application's answer is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The day counting starts after: receipt, or the 补正.
    pub start: Date,
    /// Working days allowed: 20, 40 when extended, plus the third party's.
    pub days: u32,
    /// The last day the answer may be given.
    pub date: Date,
}

impl Due {
    /// The deadline of `application` on `calendar`.
    pub fn of(application: &Application, calendar: &Calendar) -> Due {
        let start = application.period_start().value;
        let days = ANSWER_DAYS
            + if application.extended {
                EXTENSION_DAYS
            } else {
                0
            }
            + application.third_party_days;
        Due {
            start,
            days,
            date: calendar.add_working_days(start, days),
        }
    }
}

/// Where an application stands on a day, as the check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Received after that day: nothing is known of it yet.
    NotYetReceived,
    /// Answered by that day; `late` working days after the deadline (0 when in time,
    /// also for a late reply on a day off after the deadline — then `late_by_date`).
    Answered {
        /// Working days after the deadline.
        late: u32,
        /// Whether the reply came after the deadline's date.
        late_by_date: bool,
    },
    /// Open, with this many working days left after that day (0: due that very day).
    Open {
        /// Working days after the day, up to and including the deadline.
        left: u32,
    },
    /// Open past the deadline, by this many working days (0 when the days since were
    /// all days off).
    Overdue {
        /// Working days after the deadline, up to and including the day.
        late: u32,
    },
}

impl Standing {
    /// Where `application`, due `due`, stands on `day`.
    pub fn of(application: &Application, due: &Due, calendar: &Calendar, day: Date) -> Standing {
        if application.received.value > day {
            return Standing::NotYetReceived;
        }
        match &application.replied {
            Some(replied) if replied.value <= day => Standing::Answered {
                late: calendar.working_days_between(due.date, replied.value),
                late_by_date: replied.value > due.date,
            },
            _ if day <= due.date => Standing::Open {
                left: calendar.working_days_between(day, due.date),
            },
            _ => Standing::Overdue {
                late: calendar.working_days_between(due.date, day),
            },
        }
    }
}

/// Checks every application's deadline as of `as_of`: a warning when an open one has
/// [`WARN_WITHIN`] working days or fewer left, an error when it is past, a warning when
/// an answer given in the year of `as_of` came late; and a warning for each year the
/// count needs that the calendar does not cover.
pub fn check(
    applications: &[Arc<Application>],
    calendar: &Calendar,
    as_of: Date,
    diagnostics: &mut Diagnostics,
) {
    let mut uncovered = BTreeSet::new();
    if !applications.is_empty() && !calendar.covers(as_of.year()) {
        uncovered.insert(as_of.year());
    }
    for application in applications {
        let due = Due::of(application, calendar);
        let standing = Standing::of(application, &due, calendar, as_of);
        if matches!(standing, Standing::Open { .. } | Standing::Overdue { .. }) {
            // The days counted so far: to the deadline, or on to as-of when it is past.
            let last = due.date.max(as_of).year();
            uncovered.extend((due.start.year()..=last).filter(|y| !calendar.covers(*y)));
        }
        if let Some(d) = diagnostic(application, &due, standing, as_of) {
            diagnostics.push(d);
        }
    }
    for year in uncovered {
        diagnostics.push(uncovered_year(year));
    }
}

/// What the check says of one application, if anything.
fn diagnostic(
    application: &Application,
    due: &Due,
    standing: Standing,
    as_of: Date,
) -> Option<Diagnostic> {
    let file = &application.file;
    let id = application.id.as_str();
    let start = application.period_start();
    let deadline = due.date;
    let days = due.days;
    match standing {
        Standing::Open { left } if left <= WARN_WITHIN => Some(
            Diagnostic::warning(
                Code::DeadlineNear,
                file,
                start.position,
                text!(
                    "application {id} is unanswered: its answer is due by {deadline} ({days} working days after {start}), {left} working day(s) left as of {as_of}",
                    "依申请公开申请 {id} 尚未答复：答复期限为 {deadline}（{start} 后第 {days} 个工作日），截至 {as_of} 还剩 {left} 个工作日",
                    start = start.value
                ),
            )
            .with_help(text!(
                "answer it, or add `extended: true` when the period is extended (第三十三条)",
                "请及时答复；如经批准延长答复期限，请加上 `extended: true`（条例第三十三条）"
            )),
        ),
        Standing::Overdue { late } => Some(
            Diagnostic::error(
                Code::DeadlinePassed,
                file,
                start.position,
                text!(
                    "application {id} is unanswered past its deadline {deadline} ({days} working days after {start}): {late} working day(s) late as of {as_of}",
                    "依申请公开申请 {id} 已超过答复期限 {deadline}（{start} 后第 {days} 个工作日）仍未答复：截至 {as_of} 已逾期 {late} 个工作日",
                    start = start.value
                ),
            )
            .with_help(text!(
                "answer it and add `replied:` and `outcome:`; if it was answered, add them now",
                "请尽快答复并填写 `replied:` 与 `outcome:`；如已答复，请补填"
            )),
        ),
        Standing::Answered { late, late_by_date } if late_by_date => {
            let replied = application.replied.as_ref()?;
            // A late answer is history once its year is reported: warning about it
            // for ever would make `--deny-warnings` fail with nothing left to fix.
            (replied.value.year() == as_of.year()).then(|| {
                Diagnostic::warning(
                    Code::AnsweredLate,
                    file,
                    replied.position,
                    text!(
                        "application {id} was answered on {r}, {late} working day(s) after its deadline {deadline}",
                        "依申请公开申请 {id} 于 {r} 答复，晚于答复期限 {deadline} {late} 个工作日",
                        r = replied.value
                    ),
                )
            })
        }
        _ => None,
    }
}

/// The warning for a year without a holiday arrangement.
fn uncovered_year(year: i16) -> Diagnostic {
    Diagnostic::warning_at_path(
        Code::HolidaysUnknown,
        Path::new(SITE_FILE),
        text!(
            "no holiday arrangement is known for {year}: its working days are counted Monday to Friday, so answer deadlines in it may be wrong",
            "没有 {year} 年的节假日安排：该年的工作日暂按周一至周五计算，答复期限可能不准确"
        ),
    )
    .with_help(text!(
        "once the State Council's notice for {year} is out, add it under `holidays: {year}:` in site.yaml (or update gongkai)",
        "国务院办公厅发布 {year} 年部分节假日安排的通知后，请在 site.yaml 的 `holidays: {year}:` 下补充（或升级 gongkai）"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::application::{ApplicationId, parse};
    use crate::duties::Arrangements;
    use crate::source::SourceFile;

    fn date(text: &str) -> Date {
        crate::time::parse_date(text).expect("date")
    }

    fn application(yaml: &str) -> Application {
        let file = SourceFile::new("content/applications/a.yaml".into(), yaml.into());
        let id = ApplicationId::parse("a").expect("id");
        match parse(file, id) {
            (Some(a), errors) if errors.is_empty() => a,
            (_, errors) => panic!("{errors:?}"),
        }
    }

    fn due(yaml: &str) -> Date {
        Due::of(&application(yaml), &Calendar::new(&Arrangements::new())).date
    }

    /// The deadlines below were counted by hand on the State Council's calendars (docs/duties.md).
    #[test]
    fn across_national_day_2024() {
        // Received Fri 09-20: Sun 09-29 and Sat 10-12 are worked, 10-01..07 are off.
        assert_eq!(
            due("received: 2024-09-20\napplicant: business\n"),
            date("2024-10-23")
        );
        assert_eq!(
            due("received: 2024-09-20\napplicant: business\nextended: true\n"),
            date("2024-11-20")
        );
    }

    #[test]
    fn across_spring_festival_2025() {
        // Received Mon 01-20: Sun 01-26 and Sat 02-08 are worked, 01-28..02-04 are off.
        assert_eq!(
            due("received: 2025-01-20\napplicant: natural_person\n"),
            date("2025-02-21")
        );
        // 补正 received 01-20: the period runs from it, not from receipt.
        assert_eq!(
            due("received: 2025-01-10\ncorrected: 2025-01-20\napplicant: natural_person\n"),
            date("2025-02-21")
        );
        // Three working days of 征求第三方意见 are not counted.
        assert_eq!(
            due("received: 2025-01-20\napplicant: natural_person\nthird_party_days: 3\n"),
            date("2025-02-26")
        );
    }

    #[test]
    fn across_new_year_2019_and_the_2020_extension() {
        // 2019's 元旦 began on 2018-12-30; Sat 2018-12-29 was worked.
        assert_eq!(
            due("received: 2018-12-20\napplicant: other\n"),
            date("2019-01-18")
        );
        // 2020's 春节 ran to 02-02 after its extension: Sat 02-01 was no longer worked.
        assert_eq!(
            due("received: 2020-01-20\napplicant: other\n"),
            date("2020-02-25")
        );
    }

    fn check_on(yaml: &str, as_of: &str) -> Vec<(Code, String)> {
        let mut diagnostics = Diagnostics::new();
        let apps = [Arc::new(application(yaml))];
        check(
            &apps,
            &Calendar::new(&Arrangements::new()),
            date(as_of),
            &mut diagnostics,
        );
        diagnostics
            .iter()
            .map(|d| (d.code, d.message.en().to_string()))
            .collect()
    }

    #[test]
    fn warns_within_five_working_days_and_errors_past_the_deadline() {
        let open = "received: 2024-09-20\napplicant: business\n";
        // Due Wed 10-23. On Tue 10-15 six working days are left: quiet.
        assert_eq!(check_on(open, "2024-10-15"), []);
        // On Wed 10-16: 17, 18, 21, 22, 23 — five left.
        let near = check_on(open, "2024-10-16");
        assert_eq!(near.len(), 1);
        assert_eq!(near[0].0, Code::DeadlineNear);
        assert!(near[0].1.contains("due by 2024-10-23"), "{}", near[0].1);
        assert!(near[0].1.contains("5 working day(s) left"), "{}", near[0].1);
        let today = check_on(open, "2024-10-23");
        assert!(
            today[0].1.contains("0 working day(s) left"),
            "{}",
            today[0].1
        );
        // Thu 10-24 is one working day late, Fri 10-25 two, Sat 10-26 still two.
        let late = check_on(open, "2024-10-24");
        assert_eq!(late[0].0, Code::DeadlinePassed);
        assert!(late[0].1.contains("1 working day(s) late"), "{}", late[0].1);
        assert!(
            check_on(open, "2024-10-26")[0]
                .1
                .contains("2 working day(s) late")
        );
        assert!(
            check_on(open, "2024-10-28")[0]
                .1
                .contains("3 working day(s) late")
        );
        // Before receipt nothing is known of it.
        assert_eq!(check_on(open, "2024-09-19"), []);
    }

    #[test]
    fn a_late_answer_warns_in_its_year_only() {
        let late =
            "received: 2024-09-20\napplicant: business\nreplied: 2024-10-25\noutcome: disclosed\n";
        let found = check_on(late, "2024-12-31");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Code::AnsweredLate);
        assert!(
            found[0]
                .1
                .contains("2 working day(s) after its deadline 2024-10-23")
        );
        assert_eq!(check_on(late, "2025-06-30"), []);
        // As of a day before the reply, the application was open and overdue.
        assert_eq!(check_on(late, "2024-10-24")[0].0, Code::DeadlinePassed);
        let in_time =
            "received: 2024-09-20\napplicant: business\nreplied: 2024-10-23\noutcome: partial\n";
        assert_eq!(check_on(in_time, "2024-12-31"), []);
    }

    #[test]
    fn a_year_without_holiday_data_warns() {
        // Received Mon 2026-12-14, open: the count runs into 2027, which no notice covers.
        let found = check_on("received: 2026-12-14\napplicant: business\n", "2026-12-15");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Code::HolidaysUnknown);
        assert!(found[0].1.contains("2027"));
        let answered =
            "received: 2026-01-05\napplicant: business\nreplied: 2026-01-20\noutcome: disclosed\n";
        let found = check_on(answered, "2027-03-01");
        assert_eq!(found, [(Code::HolidaysUnknown, found[0].1.clone())]);
        assert!(found[0].1.contains("2027"));
    }
}
