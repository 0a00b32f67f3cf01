//! Working days on the Chinese public-holiday calendar: Monday to Friday, less the days
//! off of the State Council's yearly 部分节假日安排 notice, plus the Saturdays and Sundays
//! it makes working days (调休上班).
//!
//! The notices 2015 through the latest one published are shipped in `holidays.yaml`
//! (the facts of each notice, with their sources in comments; docs/holidays.md); a site
//! may give more years, or correct one, under `holidays:` in site.yaml, and a year given
//! there replaces the shipped year whole. A year neither gives is counted Monday to
//! Friday, and [`super::deadlines::check`] warns about it.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use jiff::civil::{Date, Weekday};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{Position, SourceFile};
use crate::text;
use crate::time::located_date;

/// The shipped arrangements, 2015 onwards (one block per notice).
const SHIPPED: &str = include_str!("holidays.yaml");

/// Where the shipped data lives, for the diagnostics of its own test.
const SHIPPED_PATH: &str = "src/duties/holidays.yaml";

/// One year's arrangement as written (in holidays.yaml or under site.yaml's `holidays:`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "HolidayYear",
    title = "一年的节假日安排",
    description = "国务院办公厅关于该年部分节假日安排的通知：放假日期与调休上班日"
)]
pub(crate) struct RawYear {
    #[serde(default)]
    #[schemars(
        title = "放假",
        description = "放假安排：每项为 {name, from, to}，含首尾两天"
    )]
    holidays: Vec<RawHoliday>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::Date>",
        title = "调休上班日",
        description = "调休上班的周六、周日，YYYY-MM-DD"
    )]
    workdays: Vec<Spanned<String>>,
}

/// One 放假 range as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Holiday",
    title = "放假",
    description = "一段放假日期（含首尾两天）"
)]
struct RawHoliday {
    #[schemars(
        title = "节日",
        description = "节日名称，照通知原文，如 元旦、春节，或合并的 中秋节、国庆节"
    )]
    name: String,
    #[schemars(
        with = "crate::schema::Date",
        title = "起",
        description = "放假第一天，YYYY-MM-DD"
    )]
    from: Spanned<String>,
    #[schemars(
        with = "crate::schema::Date",
        title = "止",
        description = "放假最后一天，YYYY-MM-DD"
    )]
    to: Spanned<String>,
}

/// `holidays:` in site.yaml as written: year → arrangement.
pub(crate) type RawArrangements = BTreeMap<i64, RawYear>;

/// One 放假 range of a notice.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Holiday {
    /// The notice's own name (春节, 中秋节、国庆节).
    pub name: String,
    /// First day off.
    pub from: Date,
    /// Last day off (inclusive).
    pub to: Date,
}

/// One year's notice, validated: its days off and its 调休 working weekend days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct YearPlan {
    /// The 放假 ranges.
    pub holidays: Vec<Holiday>,
    /// Saturdays and Sundays worked.
    pub workdays: Vec<Date>,
}

/// Years and their arrangements.
pub type Arrangements = BTreeMap<i16, YearPlan>;

/// The shipped arrangements, parsed once. The data is checked by this module's tests,
/// so nothing is reported here; were it ever unreadable, every year would count as not
/// covered and be warned about.
pub fn shipped() -> &'static Arrangements {
    static SHIPPED_YEARS: LazyLock<Arrangements> =
        LazyLock::new(|| parse_shipped().unwrap_or_default());
    &SHIPPED_YEARS
}

/// Reads holidays.yaml through the same checks as a site's `holidays:`.
fn parse_shipped() -> Result<Arrangements, Vec<Diagnostic>> {
    let file = SourceFile::new(SHIPPED_PATH.into(), SHIPPED.to_string());
    let raw: RawArrangements = file.parse_yaml(&file.text).map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let years = parse_years(&file, Position::START, raw, &mut errors);
    if errors.is_empty() {
        Ok(years)
    } else {
        Err(errors)
    }
}

/// Validates arrangements as written; `at` is where the `holidays:` map starts (for
/// problems with a year key). Each problem goes into `errors`; a year with any is left out.
pub(crate) fn parse_years(
    file: &SourceFile,
    at: Position,
    raw: RawArrangements,
    errors: &mut Vec<Diagnostic>,
) -> Arrangements {
    let mut years = Arrangements::new();
    for (year, raw_year) in raw {
        let Some(year) = i16::try_from(year)
            .ok()
            .filter(|y| (1949..=2999).contains(y))
        else {
            errors.push(Diagnostic::error(
                Code::InvalidHolidays,
                file,
                at,
                text!(
                    "holidays: `{year}` is not a year",
                    "holidays：`{year}` 不是年份"
                ),
            ));
            continue;
        };
        let before = errors.len();
        let plan = parse_year(file, year, raw_year, errors);
        if errors.len() == before {
            years.insert(year, plan);
        }
    }
    years
}

/// One year: real dates, ranges in order, every date in the year or the December
/// before it (元旦 2019 began on 2018-12-30), workdays on weekends and outside holidays.
fn parse_year(
    file: &SourceFile,
    year: i16,
    raw: RawYear,
    errors: &mut Vec<Diagnostic>,
) -> YearPlan {
    let mut plan = YearPlan::default();
    let in_year = |date: Option<crate::source::Located<Date>>, errors: &mut Vec<Diagnostic>| {
        let date = date?;
        let belongs = date.value.year() == year
            || (date.value.year() == year - 1 && date.value.month() == 12);
        if !belongs {
            errors.push(Diagnostic::error(
                Code::InvalidHolidays,
                file,
                date.position,
                text!(
                    "{d} is not in {year} (nor in the December before it)",
                    "{d} 不在 {year} 年（也不在上一年 12 月）",
                    d = date.value
                ),
            ));
            return None;
        }
        Some(date)
    };
    for h in raw.holidays {
        let from = in_year(located_date(file, &h.from, errors), errors);
        let to = in_year(located_date(file, &h.to, errors), errors);
        let (Some(from), Some(to)) = (from, to) else {
            continue;
        };
        if to.value < from.value {
            errors.push(Diagnostic::error(
                Code::DateOrder,
                file,
                to.position,
                text!(
                    "holiday {name} ends on {to} before it starts on {from}",
                    "假期 {name} 的结束日 {to} 早于开始日 {from}",
                    name = &h.name,
                    to = to.value,
                    from = from.value
                ),
            ));
            continue;
        }
        plan.holidays.push(Holiday {
            name: h.name,
            from: from.value,
            to: to.value,
        });
    }
    for w in &raw.workdays {
        let Some(day) = in_year(located_date(file, w, errors), errors) else {
            continue;
        };
        if let Some(problem) = workday_problem(&plan.holidays, day.value) {
            errors.push(Diagnostic::error(
                Code::InvalidHolidays,
                file,
                day.position,
                problem,
            ));
            continue;
        }
        plan.workdays.push(day.value);
    }
    plan
}

/// Why `day` cannot be a 调休 workday: a weekday is a working day anyway, and a day
/// inside a holiday cannot be both.
fn workday_problem(holidays: &[Holiday], day: Date) -> Option<crate::diagnostics::Text> {
    if !is_weekend(day) {
        return Some(text!(
            "workday {day} is a {weekday_en}: a 调休 workday is a Saturday or Sunday",
            "调休上班日 {day} 是{weekday_zh}：调休上班日只能是周六或周日",
            weekday_en = format!("{:?}", day.weekday()),
            weekday_zh = weekday_zh(day)
        ));
    }
    holidays
        .iter()
        .find(|h| h.from <= day && day <= h.to)
        .map(|h| {
            text!(
                "workday {day} lies inside the holiday {name} ({from} to {to})",
                "调休上班日 {day} 落在假期 {name}（{from} 至 {to}）之内",
                name = &h.name,
                from = h.from,
                to = h.to
            )
        })
}

fn is_weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// 星期一 … 星期日, for the Chinese messages.
fn weekday_zh(day: Date) -> &'static str {
    match day.weekday() {
        Weekday::Monday => "星期一",
        Weekday::Tuesday => "星期二",
        Weekday::Wednesday => "星期三",
        Weekday::Thursday => "星期四",
        Weekday::Friday => "星期五",
        Weekday::Saturday => "星期六",
        Weekday::Sunday => "星期日",
    }
}

/// The working days of the site: shipped years, overridden by the site's own.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    off: BTreeSet<Date>,
    worked: BTreeSet<Date>,
    years: BTreeSet<i16>,
}

impl Calendar {
    /// The shipped years with `site` laid over them (a year in `site` replaces the
    /// shipped one whole).
    pub fn new(site: &Arrangements) -> Calendar {
        let mut years: Arrangements = shipped().clone();
        years.extend(site.iter().map(|(y, plan)| (*y, plan.clone())));
        Calendar::of(&years)
    }

    /// A calendar of exactly `years`, nothing shipped (for tests and tools).
    pub fn of(years: &Arrangements) -> Calendar {
        let mut calendar = Calendar::default();
        for (year, plan) in years {
            calendar.years.insert(*year);
            for h in &plan.holidays {
                let mut day = h.from;
                while day <= h.to {
                    calendar.off.insert(day);
                    match day.tomorrow() {
                        Ok(next) => day = next,
                        Err(_) => break,
                    }
                }
            }
            calendar.worked.extend(plan.workdays.iter().copied());
        }
        calendar
    }

    /// Whether an arrangement for `year` is known (shipped or from site.yaml).
    pub fn covers(&self, year: i16) -> bool {
        self.years.contains(&year)
    }

    /// Whether offices work on `day`.
    pub fn is_working_day(&self, day: Date) -> bool {
        self.worked.contains(&day) || !(is_weekend(day) || self.off.contains(&day))
    }

    /// The `n`th working day after `start` (`start` itself is not counted): the 20th
    /// after the day of receipt is the answer deadline. `start` itself for `n` = 0.
    pub fn add_working_days(&self, start: Date, n: u32) -> Date {
        let mut day = start;
        let mut counted = 0;
        while counted < n {
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => return Date::MAX,
            }
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        day
    }

    /// How many working days lie after `from` up to and including `to` (0 when `to` is
    /// not after `from`).
    pub fn working_days_between(&self, from: Date, to: Date) -> u32 {
        let mut day = from;
        let mut counted = 0;
        while day < to {
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
            if self.is_working_day(day) {
                counted += 1;
            }
        }
        counted
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        crate::time::parse_date(text).expect("date")
    }

    #[test]
    fn the_shipped_data_is_valid_and_covers_2015_to_2026() {
        let years = parse_shipped().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            years.keys().copied().collect::<Vec<_>>(),
            (2015..=2026).collect::<Vec<_>>()
        );
        assert_eq!(shipped(), &years);
        assert!(!Calendar::new(&Arrangements::new()).covers(2027));
    }

    /// The checks a publisher's site.yaml gets, stated again directly on the data: every
    /// workday a Saturday or Sunday, none inside a holiday.
    #[test]
    fn every_shipped_workday_is_a_weekend_day_outside_every_holiday() {
        let mut workdays = 0;
        for plan in shipped().values() {
            for &day in &plan.workdays {
                assert!(is_weekend(day), "{day} is not a Saturday or Sunday");
                for h in shipped().values().flat_map(|p| &p.holidays) {
                    assert!(!(h.from <= day && day <= h.to), "{day} is inside {h:?}");
                }
                workdays += 1;
            }
        }
        // holidays.md: 75 weekend days worked in 2015–2026.
        assert_eq!(workdays, 75);
    }

    /// The days off per year holidays.md counts (2015 with its plain Sunday 06-21).
    #[test]
    fn shipped_days_off_match_the_notices() {
        let expected = [27, 24, 24, 23, 24, 30, 31, 31, 27, 28, 28, 33];
        for (year, want) in (2015..=2026).zip(expected) {
            let plan = &shipped()[&year];
            let days: i32 = plan
                .holidays
                .iter()
                .map(|h| (h.to - h.from).get_days() + 1)
                .sum();
            assert_eq!(days, want, "{year}");
        }
    }

    #[test]
    fn national_day_2024_and_its_weekend_workdays() {
        let c = Calendar::new(&Arrangements::new());
        assert!(
            c.is_working_day(date("2024-09-29")),
            "Sunday 09-29 was worked"
        );
        assert!(
            c.is_working_day(date("2024-10-12")),
            "Saturday 10-12 was worked"
        );
        assert!(!c.is_working_day(date("2024-10-01")));
        assert!(!c.is_working_day(date("2024-10-07")));
        assert!(c.is_working_day(date("2024-10-08")));
        assert!(!c.is_working_day(date("2024-10-13")), "a plain Sunday");
    }

    #[test]
    fn a_site_year_replaces_the_shipped_year_whole() {
        let file = SourceFile::new(
            "content/site.yaml".into(),
            "2024:\n  holidays: [{name: 国庆节, from: 2024-10-01, to: 2024-10-03}]\n".into(),
        );
        let raw: RawArrangements = file.parse_yaml(&file.text).expect("yaml");
        let mut errors = Vec::new();
        let site = parse_years(&file, Position::START, raw, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let c = Calendar::new(&site);
        assert!(
            c.is_working_day(date("2024-10-07")),
            "the site's 2024 has a 3-day break"
        );
        assert!(!c.is_working_day(date("2024-09-29")), "and no 调休 Sunday");
        assert!(
            c.is_working_day(date("2024-02-12")),
            "nor 春节: replaced whole"
        );
        assert!(
            !c.is_working_day(date("2025-01-28")),
            "other years stay shipped"
        );
    }

    #[test]
    fn bad_site_arrangements_are_reported_where_written() {
        let file = SourceFile::new(
            "content/site.yaml".into(),
            "2027:\n  holidays:\n    - {name: 春节, from: 2027-02-10, to: 2027-02-05}\n    \
             - {name: 国庆节, from: 2027-10-01, to: 2027-10-07}\n  \
             workdays: [2027-09-29, 2027-10-02, 2025-10-09]\n"
                .into(),
        );
        let raw: RawArrangements = file.parse_yaml(&file.text).expect("yaml");
        let mut errors = Vec::new();
        let years = parse_years(&file, Position::START, raw, &mut errors);
        assert!(years.is_empty());
        let found: Vec<_> = errors
            .iter()
            .map(|d| (d.code, d.position.line, d.position.column))
            .collect();
        assert_eq!(
            found,
            [
                (Code::DateOrder, 3, 40),
                (Code::InvalidHolidays, 5, 14),
                (Code::InvalidHolidays, 5, 26),
                (Code::InvalidHolidays, 5, 38),
            ]
        );
        assert!(errors[1].message.en().contains("is a Wednesday"));
        assert!(errors[1].message.zh().contains("星期三"));
        assert!(errors[2].message.en().contains("inside the holiday 国庆节"));
    }

    #[test]
    fn counting_starts_the_day_after() {
        let c = Calendar::of(&Arrangements::new());
        // Friday 2027-01-01 + 1 working day = Monday 01-04.
        assert_eq!(
            c.add_working_days(date("2027-01-01"), 1),
            date("2027-01-04")
        );
        assert_eq!(
            c.add_working_days(date("2027-01-01"), 0),
            date("2027-01-01")
        );
        assert_eq!(
            c.working_days_between(date("2027-01-01"), date("2027-01-04")),
            1
        );
        assert_eq!(
            c.working_days_between(date("2027-01-04"), date("2027-01-01")),
            0
        );
    }
}
