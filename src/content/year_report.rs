//! The year file of the 政府信息公开工作年度报告 (`content/reports/<year>.yaml`): what the
//! report needs that the content does not hold — the numbers of 行政许可、行政处罚、
//! 行政强制 decisions and of fees (表二), the 行政复议 and 行政诉讼 cases (表四), and the
//! report's text sections. The tables themselves are computed in
//! [`crate::duties::report`].
//!
//! Unknown fields are errors, like every content file: a misspelt `penalites:` must not
//! silently become a zero in a published table.

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, missing_field};
use crate::source::{Position, SourceFile};
use crate::text;

/// The year a report covers, from its file stem (`2024.yaml`): four digits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize,
)]
#[serde(into = "i16", try_from = "i16")]
pub struct ReportYear(i16);

impl From<ReportYear> for i16 {
    fn from(year: ReportYear) -> i16 {
        year.0
    }
}

/// Read back (the build cache) only through [`ReportYear::parse`].
impl TryFrom<i16> for ReportYear {
    type Error = crate::diagnostics::Text;
    fn try_from(year: i16) -> Result<Self, Self::Error> {
        ReportYear::parse(&year.to_string())
    }
}

impl ReportYear {
    /// Reads a file stem: exactly four ASCII digits, 1000–9999 (what a calendar date can hold).
    pub fn parse(stem: &str) -> Result<ReportYear, crate::diagnostics::Text> {
        let digits = stem.len() == 4 && stem.bytes().all(|b| b.is_ascii_digit());
        match stem.parse::<i16>() {
            Ok(year) if digits && year >= 1000 => Ok(ReportYear(year)),
            _ => Err(text!(
                "`{stem}` is not a year: a report file is named after the year it covers, four digits such as 2024.yaml",
                "`{stem}` 不是年份：年度报告文件以所报告的年份命名，为四位数字，如 2024.yaml"
            )),
        }
    }

    /// The year as a number.
    pub fn get(self) -> i16 {
        self.0
    }
}

impl std::fmt::Display for ReportYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The four results of one kind of case (表四): 结果维持, 结果纠正, 其他结果, 尚未审结.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cases {
    /// 结果维持.
    pub upheld: u64,
    /// 结果纠正.
    pub corrected: u64,
    /// 其他结果.
    pub other: u64,
    /// 尚未审结.
    pub pending: u64,
}

/// [`Cases`] as written: each number with its place, for a range error at it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Cases",
    title = "案件结果",
    description = "结果维持、结果纠正、其他结果、尚未审结的件数"
)]
pub(crate) struct RawCases {
    #[schemars(with = "u64", title = "结果维持", description = "结果维持（件）")]
    upheld: Spanned<i64>,
    #[schemars(with = "u64", title = "结果纠正", description = "结果纠正（件）")]
    corrected: Spanned<i64>,
    #[schemars(with = "u64", title = "其他结果", description = "其他结果（件）")]
    other: Spanned<i64>,
    #[schemars(with = "u64", title = "尚未审结", description = "尚未审结（件）")]
    pending: Spanned<i64>,
}

/// One year file as loaded.
#[derive(Debug, Clone)]
pub struct YearReport {
    /// The year covered (file stem).
    pub year: ReportYear,
    /// The file, for diagnostics.
    pub file: SourceFile,
    /// 行政许可 本年处理决定数量.
    pub permits: u64,
    /// 行政处罚 本年处理决定数量.
    pub penalties: u64,
    /// 行政强制 本年处理决定数量.
    pub coercions: u64,
    /// 行政事业性收费 本年收费金额（万元）.
    pub fees: f64,
    /// 行政复议.
    pub reviews: Cases,
    /// 行政诉讼 未经复议直接起诉.
    pub suits_direct: Cases,
    /// 行政诉讼 复议后起诉.
    pub suits_after_review: Cases,
    /// 发布日期: the day the report is (to be) published, if the file says. It must fall
    /// after the year it covers; the page shows it and its tags carry it.
    pub published: Option<crate::source::Located<jiff::civil::Date>>,
    /// 一、总体情况.
    pub overview: ReportText,
    /// 五、存在的主要问题及改进情况.
    pub problems: ReportText,
    /// 六、其他需要报告的事项.
    pub other: ReportText,
}

impl YearReport {
    /// The text sections with their field names, in the report's order.
    pub fn texts(&self) -> [(&'static str, &ReportText); 3] {
        [
            ("overview", &self.overview),
            ("problems", &self.problems),
            ("other", &self.other),
        ]
    }
}

/// A text section of the report: Markdown, and where its field stands (for the
/// positions of its problems and links).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportText {
    /// The Markdown, empty when the field is absent.
    pub text: String,
    /// Where the field's value starts.
    pub position: Position,
}

impl ReportText {
    fn of(value: Option<Spanned<String>>) -> Self {
        value
            .map(|v| ReportText {
                position: Position::of(&v),
                text: v.value,
            })
            .unwrap_or_default()
    }
}

/// A year file as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Report",
    title = "政府信息公开工作年度报告",
    description = "gongkai 年度报告数据（content/reports/<年份>.yaml）：内容中没有的数字和年度报告的文字部分；表三由依申请公开登记计算"
)]
pub(crate) struct RawYearReport {
    #[schemars(
        with = "u64",
        title = "行政许可",
        description = "行政许可 本年处理决定数量（必填）"
    )]
    permits: Option<Spanned<i64>>,
    #[schemars(
        with = "u64",
        title = "行政处罚",
        description = "行政处罚 本年处理决定数量（必填）"
    )]
    penalties: Option<Spanned<i64>>,
    #[schemars(
        with = "u64",
        title = "行政强制",
        description = "行政强制 本年处理决定数量（必填）"
    )]
    coercions: Option<Spanned<i64>>,
    #[schemars(
        with = "f64",
        range(min = 0),
        title = "行政事业性收费",
        description = "行政事业性收费 本年收费金额（万元，必填，可有小数）"
    )]
    fees: Option<Spanned<f64>>,
    #[schemars(
        with = "RawCases",
        title = "行政复议",
        description = "行政复议：upheld 结果维持、corrected 结果纠正、other 其他结果、pending 尚未审结（必填）"
    )]
    reviews: Option<RawCases>,
    #[schemars(
        with = "RawCases",
        title = "行政诉讼（未经复议直接起诉）",
        description = "行政诉讼 未经复议直接起诉：upheld、corrected、other、pending（必填）"
    )]
    suits_direct: Option<RawCases>,
    #[schemars(
        with = "RawCases",
        title = "行政诉讼（复议后起诉）",
        description = "行政诉讼 复议后起诉：upheld、corrected、other、pending（必填）"
    )]
    suits_after_review: Option<RawCases>,
    #[schemars(
        with = "Option<crate::schema::Date>",
        title = "发布日期",
        description = "年度报告的发布日期，YYYY-MM-DD，须在所报告年度之后（应在次年1月31日前，条例第四十九条）；可不填"
    )]
    published: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        title = "总体情况",
        description = "一、总体情况（Markdown）"
    )]
    overview: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        title = "存在的主要问题及改进情况",
        description = "五、存在的主要问题及改进情况（Markdown）"
    )]
    problems: Option<Spanned<String>>,
    #[schemars(
        with = "Option<String>",
        title = "其他需要报告的事项",
        description = "六、其他需要报告的事项（Markdown）"
    )]
    other: Option<Spanned<String>>,
}

/// Parses one year file; `year` comes from its stem. Returns the report only when the
/// file is entirely valid (nothing refers to a year file, so a broken one is dropped).
pub fn parse(file: SourceFile, year: ReportYear) -> (Option<YearReport>, Vec<Diagnostic>) {
    let raw: RawYearReport = match file.parse_yaml(&file.text) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut errors = Vec::new();
    let mut required = |value: Option<&Spanned<i64>>, field: &str| match value {
        None => {
            errors.push(missing_field(&file, field));
            0
        }
        Some(n) => count(&file, field, n, &mut errors),
    };
    let permits = required(raw.permits.as_ref(), "permits");
    let penalties = required(raw.penalties.as_ref(), "penalties");
    let coercions = required(raw.coercions.as_ref(), "coercions");
    let mut cases = |value: Option<&RawCases>, field: &str| {
        let Some(raw) = value else {
            errors.push(missing_field(&file, field));
            return Cases::default();
        };
        let mut n = |name: &str, value: &Spanned<i64>| {
            count(&file, &format!("{field}.{name}"), value, &mut errors)
        };
        Cases {
            upheld: n("upheld", &raw.upheld),
            corrected: n("corrected", &raw.corrected),
            other: n("other", &raw.other),
            pending: n("pending", &raw.pending),
        }
    };
    let reviews = cases(raw.reviews.as_ref(), "reviews");
    let suits_direct = cases(raw.suits_direct.as_ref(), "suits_direct");
    let suits_after_review = cases(raw.suits_after_review.as_ref(), "suits_after_review");
    let fees = fees(&file, raw.fees.as_ref(), &mut errors);
    let published = published(&file, raw.published.as_ref(), year, &mut errors);
    if !errors.is_empty() {
        return (None, errors);
    }
    let report = YearReport {
        year,
        file,
        permits,
        penalties,
        coercions,
        fees,
        reviews,
        suits_direct,
        suits_after_review,
        published,
        overview: ReportText::of(raw.overview),
        problems: ReportText::of(raw.problems),
        other: ReportText::of(raw.other),
    };
    (Some(report), errors)
}

/// `published`: a date after the year the report covers (a report on 2024 cannot appear
/// in 2024).
fn published(
    file: &SourceFile,
    value: Option<&Spanned<String>>,
    year: ReportYear,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::source::Located<jiff::civil::Date>> {
    let date = crate::time::located_date(file, value?, errors)?;
    if date.value.year() > year.get() {
        return Some(date);
    }
    errors.push(Diagnostic::error(
        Code::DateOrder,
        file,
        date.position,
        text!(
            "published is {date}, within the year {year} the report covers: a report is published after its year ends",
            "published 为 {date}，在所报告的 {year} 年度之内：年度报告应在该年度结束后发布",
            date = date.value
        ),
    ));
    None
}

/// A count of decisions or cases: a whole number, 0 or more.
fn count(
    file: &SourceFile,
    field: &str,
    value: &Spanned<i64>,
    errors: &mut Vec<Diagnostic>,
) -> u64 {
    match u64::try_from(value.value) {
        Ok(n) => n,
        Err(_) => {
            errors.push(Diagnostic::error(
                Code::OutOfRange,
                file,
                Position::of(value),
                text!(
                    "{field} is {n}: a count must be 0 or more",
                    "{field} 为 {n}：件数须为 0 或正整数",
                    n = value.value
                ),
            ));
            0
        }
    }
}

/// `fees`: a finite amount in 万元, 0 or more (a refund is not a negative fee here).
fn fees(file: &SourceFile, value: Option<&Spanned<f64>>, errors: &mut Vec<Diagnostic>) -> f64 {
    let Some(value) = value else {
        errors.push(missing_field(file, "fees"));
        return 0.0;
    };
    if value.value.is_finite() && value.value >= 0.0 {
        return value.value;
    }
    errors.push(Diagnostic::error(
        Code::OutOfRange,
        file,
        Position::of(value),
        text!(
            "fees is {n}: the amount in 万元 must be 0 or more",
            "fees 为 {n}：收费金额（万元）须为 0 或正数",
            n = value.value
        ),
    ));
    0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = "permits: 12\npenalties: 3\ncoercions: 0\nfees: 0.5\n\
        reviews: {upheld: 1, corrected: 0, other: 0, pending: 0}\n\
        suits_direct: {upheld: 0, corrected: 0, other: 0, pending: 0}\n\
        suits_after_review: {upheld: 0, corrected: 0, other: 0, pending: 0}\n\
        overview: |\n  总体情况。\n";

    fn report(yaml: &str) -> Result<YearReport, Vec<Diagnostic>> {
        let year = ReportYear::parse("2024").expect("year");
        let file = SourceFile::new("content/reports/2024.yaml".into(), yaml.into());
        match parse(file, year) {
            (Some(r), errors) if errors.is_empty() => Ok(r),
            (_, errors) => Err(errors),
        }
    }

    #[test]
    fn reads_a_full_year_file() {
        let r = report(FULL).expect("valid");
        assert_eq!((r.permits, r.penalties, r.coercions), (12, 3, 0));
        assert_eq!(r.fees, 0.5);
        assert_eq!(r.reviews.upheld, 1);
        assert_eq!(r.overview.text, "总体情况。\n");
        assert_eq!(r.overview.position.line, 9, "the text, below `overview: |`");
        assert_eq!(r.problems.text, "");
    }

    #[test]
    fn unknown_fields_are_errors_with_their_place() {
        let errors = report(&format!("{FULL}penalites: 3\n")).expect_err("unknown");
        assert_eq!(errors[0].code, Code::UnknownField);
        assert_eq!(errors[0].position.line, 10);
        let errors = report(&FULL.replace("pending: 0}\nsuits_direct", "pendng: 0}\nsuits_direct"))
            .expect_err("unknown inner");
        assert_eq!(errors[0].code, Code::UnknownField);
        assert_eq!(errors[0].position.line, 5);
    }

    #[test]
    fn numbers_are_required_and_in_range() {
        let errors = report("fees: -1\n").expect_err("missing");
        let codes: Vec<_> = errors.iter().map(|d| d.code).collect();
        assert_eq!(
            codes.iter().filter(|&&c| c == Code::MissingField).count(),
            6
        );
        let range = errors
            .iter()
            .find(|d| d.code == Code::OutOfRange)
            .expect("range");
        assert_eq!((range.position.line, range.position.column), (1, 7));
        let errors = report(&FULL.replace("penalties: 3", "penalties: -3")).expect_err("negative");
        assert_eq!(errors[0].code, Code::OutOfRange);
        assert_eq!(
            (errors[0].position.line, errors[0].position.column),
            (2, 12)
        );
        let errors = report(&FULL.replace(
            "other: 0, pending: 0}\nsuits_direct",
            "other: -1, pending: 0}\nsuits_direct",
        ))
        .expect_err("negative case");
        assert_eq!(errors[0].code, Code::OutOfRange);
        assert!(errors[0].message.en().starts_with("reviews.other is -1"));
    }

    #[test]
    fn published_falls_after_the_year() {
        let r = report(&format!("{FULL}published: 2025-01-20\n")).expect("valid");
        assert_eq!(
            r.published.map(|d| d.value.to_string()),
            Some("2025-01-20".into())
        );
        assert_eq!(report(FULL).expect("valid").published, None);
        let errors = report(&format!("{FULL}published: 2024-12-31\n")).expect_err("too early");
        assert_eq!(errors[0].code, Code::DateOrder);
        assert_eq!(
            (errors[0].position.line, errors[0].position.column),
            (10, 12)
        );
        let errors = report(&format!("{FULL}published: 2025-02-30\n")).expect_err("no such day");
        assert_eq!(errors[0].code, Code::InvalidDate);
    }

    #[test]
    fn the_stem_is_a_year() {
        assert_eq!(ReportYear::parse("2024").map(ReportYear::get), Ok(2024));
        for bad in ["24", "02024", "２０２４", "year", "0999", "+202"] {
            assert!(ReportYear::parse(bad).is_err(), "{bad}");
        }
    }
}
