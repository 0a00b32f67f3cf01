//! Dates and "today": the *as of* date that validity and overdue are judged against.
//!
//! The build never reads the clock except as the last fallback, so the same content and
//! the same *as of* always give the same bytes.

use std::fmt;

use jiff::civil::Date;

use crate::diagnostics::{Code, Diagnostic, Text};
use crate::source::{Located, Position, SourceFile};
use crate::text;

/// The day the site describes: validity and deadlines are judged as of this date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct AsOf {
    /// The date itself.
    pub date: Date,
    /// Where it came from, shown by `build` so a surprising date can be traced.
    pub source: AsOfSource,
}

/// Which rule of DESIGN's "Time" section chose the *as of* date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AsOfSource {
    /// `--as-of DATE` on the command line.
    CommandLine,
    /// `as_of` in `site.yaml`.
    SiteConfig,
    /// The `SOURCE_DATE_EPOCH` environment variable (reproducible builds).
    SourceDateEpoch,
    /// The build machine's clock (UTC day).
    BuildDay,
}

impl AsOf {
    /// Applies the precedence `--as-of` > `as_of` in site.yaml > `SOURCE_DATE_EPOCH` > today.
    pub fn resolve(cli: Option<Date>, site: Option<Date>) -> Result<AsOf, Text> {
        if let Some(date) = cli {
            return Ok(AsOf {
                date,
                source: AsOfSource::CommandLine,
            });
        }
        if let Some(date) = site {
            return Ok(AsOf {
                date,
                source: AsOfSource::SiteConfig,
            });
        }
        if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
            let seconds: i64 = epoch.trim().parse().map_err(|_| {
                text!(
                    "SOURCE_DATE_EPOCH is not a number of seconds: `{epoch}`",
                    "SOURCE_DATE_EPOCH 不是秒数：`{epoch}`",
                    epoch = &epoch
                )
            })?;
            let ts = jiff::Timestamp::from_second(seconds).map_err(|e| {
                text!(
                    "SOURCE_DATE_EPOCH out of range: {e}",
                    "SOURCE_DATE_EPOCH 超出范围：{e}"
                )
            })?;
            return Ok(AsOf {
                date: ts.to_zoned(jiff::tz::TimeZone::UTC).date(),
                source: AsOfSource::SourceDateEpoch,
            });
        }
        let today = jiff::Timestamp::now()
            .to_zoned(jiff::tz::TimeZone::UTC)
            .date();
        Ok(AsOf {
            date: today,
            source: AsOfSource::BuildDay,
        })
    }
}

impl fmt::Display for AsOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date)
    }
}

/// Parses a `YYYY-MM-DD` calendar date as written in content; `2009-02-30` is an error.
pub fn parse_date(text: &str) -> Result<Date, Text> {
    let text = text.trim();
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(text!(
            "`{text}` is not a date: write it as YYYY-MM-DD",
            "`{text}` 不是日期：请写成 YYYY-MM-DD"
        ));
    }
    text.parse::<Date>().map_err(|_| {
        text!(
            "`{text}` is not a real calendar date",
            "`{text}` 不是真实存在的日期"
        )
    })
}

/// Parses a located date string, recording an error in `errors` when it is not a real date.
pub fn located_date(
    file: &SourceFile,
    value: &serde_saphyr::Spanned<String>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Located<Date>> {
    let position = Position::of(value);
    match parse_date(&value.value) {
        Ok(date) => Some(Located::new(date, position)),
        Err(message) => {
            errors.push(Diagnostic::error(
                Code::InvalidDate,
                file,
                position,
                message,
            ));
            None
        }
    }
}

/// `2014年5月7日`: the way dates are written on Chinese official documents.
pub fn chinese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// 工作进度 / 完成时限 of a task or target, as the plan wrote it.
///
/// A dated deadline means the *end* of the period written: `2007` is 31 December 2007,
/// `2007-06` is 30 June 2007. A label alone (常设, 长期) is never overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deadline {
    /// `2007`: by the end of that year.
    Year(i16),
    /// `2007-06`: by the end of that month.
    Month(i16, i8),
    /// `2007-06-30`: by that day.
    Day(Date),
    /// `常设`, `长期`: an ongoing duty with no date.
    Label(String),
    /// `{label: 试点期内, date: 2010-12-31}`: words as published, with the date they mean.
    LabelDate(String, Date),
}

impl Deadline {
    /// Parses the scalar forms `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a label. A string
    /// that looks like a date but is not a real one (`2009-13`, `2009-02-30`) is an error
    /// rather than a label.
    pub fn parse(text: &str) -> Result<Deadline, Text> {
        let text = text.trim();
        if text.is_empty() {
            return Err(text!("deadline is empty", "deadline 为空"));
        }
        let looks_dated = text.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            && text.as_bytes()[0].is_ascii_digit();
        if !looks_dated {
            return Ok(Deadline::Label(text.to_string()));
        }
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str| s.parse::<i16>().ok();
        match parts.as_slice() {
            [y] if y.len() == 4 => number(y)
                .filter(|y| (1900..=2999).contains(y))
                .map(Deadline::Year)
                .ok_or_else(|| text!("`{text}` is not a year", "`{text}` 不是年份")),
            [y, m] if y.len() == 4 && m.len() == 2 => {
                let (Some(year), Some(month)) = (number(y), number(m)) else {
                    return Err(text!(
                        "`{text}` is not a month: write YYYY-MM",
                        "`{text}` 不是月份：请写成 YYYY-MM"
                    ));
                };
                if !(1..=12).contains(&month) {
                    return Err(text!(
                        "`{text}` has no month {month}: months run 01–12",
                        "`{text}` 没有第 {month} 月：月份为 01–12"
                    ));
                }
                Ok(Deadline::Month(year, month as i8))
            }
            [_, _, _] => parse_date(text).map(Deadline::Day),
            _ => Err(text!(
                "`{text}` is not a deadline: write YYYY, YYYY-MM, YYYY-MM-DD or a label",
                "`{text}` 不是期限：请写成 YYYY、YYYY-MM、YYYY-MM-DD 或一个说明文字"
            )),
        }
    }

    /// The last day the deadline allows, or `None` for a label alone.
    pub fn date(&self) -> Option<Date> {
        match self {
            Deadline::Year(y) => Date::new(*y, 12, 31).ok(),
            Deadline::Month(y, m) => Date::new(*y, *m, 1).ok().map(|d| d.last_of_month()),
            Deadline::Day(d) | Deadline::LabelDate(_, d) => Some(*d),
            Deadline::Label(_) => None,
        }
    }

    /// How a reader sees it: `2007年12月`, `常设`, `试点期内（2010年12月31日前）`.
    pub fn label(&self) -> String {
        match self {
            Deadline::Year(y) => format!("{y}年"),
            Deadline::Month(y, m) => format!("{y}年{m}月"),
            Deadline::Day(d) => chinese_date(*d),
            Deadline::Label(l) => l.clone(),
            Deadline::LabelDate(l, d) => format!("{l}（{}前）", chinese_date(*d)),
        }
    }

    /// The machine form used in open data: what was written (`2007-12`, a label).
    pub fn written(&self) -> String {
        match self {
            Deadline::Year(y) => format!("{y:04}"),
            Deadline::Month(y, m) => format!("{y:04}-{m:02}"),
            Deadline::Day(d) => d.to_string(),
            Deadline::Label(l) | Deadline::LabelDate(l, _) => l.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_mean_the_end_of_their_period() {
        let d = |s: &str| Deadline::parse(s).expect("deadline");
        assert_eq!(d("2007").date(), Date::new(2007, 12, 31).ok());
        assert_eq!(d("2008-02").date(), Date::new(2008, 2, 29).ok());
        assert_eq!(d("2007-06-30").date(), Date::new(2007, 6, 30).ok());
        assert_eq!(d("常设").date(), None);
        assert_eq!(d("常设").label(), "常设");
        assert_eq!(d("2007-12").label(), "2007年12月");
        assert!(Deadline::parse("2009-13").is_err());
        assert!(Deadline::parse("2009-02-30").is_err());
        assert!(Deadline::parse("2009-1").is_err());
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(parse_date("2009-02-28").is_ok());
        assert!(parse_date("2009-02-30").is_err());
        assert!(parse_date("2009-13-01").is_err());
        assert!(parse_date("2009-2-1").is_err());
        assert!(parse_date("二〇〇九").is_err());
    }

    #[test]
    fn command_line_wins_over_site() {
        let cli = parse_date("2020-01-01").ok();
        let site = parse_date("2019-01-01").ok();
        let as_of = AsOf::resolve(cli, site).expect("as of");
        assert_eq!(as_of.source, AsOfSource::CommandLine);
        assert_eq!(as_of.to_string(), "2020-01-01");
        let as_of = AsOf::resolve(None, site).expect("as of");
        assert_eq!(as_of.source, AsOfSource::SiteConfig);
    }

    #[test]
    fn formats_dates_the_chinese_way() {
        let date = parse_date("2014-05-07").expect("date");
        assert_eq!(chinese_date(date), "2014年5月7日");
    }
}
