//! Dates and "today": the *as of* date that validity and overdue are judged against.
//!
//! The build never reads the clock except as the last fallback, so the same content and
//! the same *as of* always give the same bytes.

use std::fmt;

use jiff::civil::Date;

use crate::diagnostics::Diagnostic;
use crate::source::{Located, Position, SourceFile};

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
    pub fn resolve(cli: Option<Date>, site: Option<Date>) -> Result<AsOf, String> {
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
            let seconds: i64 = epoch
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH is not a number of seconds: `{epoch}`"))?;
            let ts = jiff::Timestamp::from_second(seconds)
                .map_err(|e| format!("SOURCE_DATE_EPOCH out of range: {e}"))?;
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
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let shape_ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(format!("`{text}` is not a date: write it as YYYY-MM-DD"));
    }
    text.parse::<Date>()
        .map_err(|_| format!("`{text}` is not a real calendar date"))
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
            errors.push(Diagnostic::error(file, position, message));
            None
        }
    }
}

/// `2014年5月7日`: the way dates are written on Chinese official documents.
pub fn chinese_date(date: Date) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

#[cfg(test)]
mod tests {
    use super::*;

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
