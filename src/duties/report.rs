//! The tables of the 政府信息公开工作年度报告 for one year, in the national format
//! (国办公开办函〔2021〕30号《中华人民共和国政府信息公开工作年度报告格式》):
//!
//! - 二、主动公开政府信息情况 ([`ActiveTable`]): 规章 and 行政规范性文件 counted from the
//!   notices, the other rows from the year file;
//! - 三、收到和处理政府信息公开申请情况 ([`RequestTable`]): counted from the 依申请公开
//!   register, one column per applicant type and 总计;
//! - 四、政府信息公开行政复议、行政诉讼情况 ([`CaseTable`]): from the year file.
//!
//! Rows and columns are enums and every label is written once, here: the terminal, the
//! CSV and JSON files and (later) the HTML pages all read them through [`Grid`], so they
//! cannot disagree. How each cell counts is in docs/duties.md.

use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeMap;
use strum::VariantArray;

use crate::content::application::{Applicant, Application, Outcome, OutcomeGroup};
use crate::content::notice::{Category, Notice, Validity};
use crate::content::year_report::{Cases, ReportYear, YearReport};
use crate::diagnostics::{Code, Diagnostic};
use crate::enums::Label;
use crate::site::Site;
use crate::source::Position;
use crate::text;

/// A cell's number: a count, or the fee amount in 万元 (the one cell with decimals).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// 件数、数量.
    Count(u64),
    /// 万元.
    Amount(f64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Count(n) => write!(f, "{n}"),
            Value::Amount(a) => write!(f, "{a}"),
        }
    }
}

/// The derives of the row and column enums: a stable snake_case key (JSON, CSV of the
/// whole report) and the list of variants in the template's order.
macro_rules! axis_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, strum::VariantArray, strum::IntoStaticStr,
        )]
        #[strum(serialize_all = "snake_case")]
        $(#[$meta])*
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// The key of JSON and of the whole report's CSV.
            pub fn key(self) -> &'static str {
                self.into()
            }

            /// Position in the template's order (the index of the typed arrays; 表二's
            /// typed fields need none).
            #[allow(dead_code)]
            fn index(self) -> usize {
                Self::VARIANTS.iter().position(|&v| v == self).unwrap_or_default()
            }
        }
    };
}

// ---------------------------------------------------------------------------------
// 表二 二、主动公开政府信息情况

axis_enum! {
    /// The rows of 表二.
    pub enum ActiveRow {
        /// 规章.
        Rules,
        /// 行政规范性文件.
        NormativeDocuments,
        /// 行政许可.
        Permits,
        /// 行政处罚.
        Penalties,
        /// 行政强制.
        Coercions,
        /// 行政事业性收费.
        Fees,
    }
}

axis_enum! {
    /// The columns of 表二; each row has only some of them ([`ActiveRow::columns`]).
    pub enum ActiveColumn {
        /// 本年制发件数.
        Issued,
        /// 本年废止件数.
        Repealed,
        /// 现行有效件数.
        InForce,
        /// 本年处理决定数量.
        Decisions,
        /// 本年收费金额（单位：万元）.
        FeeAmount,
    }
}

impl ActiveRow {
    /// The template's label (信息内容).
    pub fn label(self) -> &'static str {
        match self {
            ActiveRow::Rules => "规章",
            ActiveRow::NormativeDocuments => "行政规范性文件",
            ActiveRow::Permits => "行政许可",
            ActiveRow::Penalties => "行政处罚",
            ActiveRow::Coercions => "行政强制",
            ActiveRow::Fees => "行政事业性收费",
        }
    }

    /// The article of 条例 第二十条 the row reports on: the template's section heading.
    pub fn group(self) -> &'static str {
        match self {
            ActiveRow::Rules | ActiveRow::NormativeDocuments => "第二十条第（一）项",
            ActiveRow::Permits => "第二十条第（五）项",
            ActiveRow::Penalties | ActiveRow::Coercions => "第二十条第（六）项",
            ActiveRow::Fees => "第二十条第（八）项",
        }
    }

    /// The columns this row has in the template.
    pub fn columns(self) -> &'static [ActiveColumn] {
        match self {
            ActiveRow::Rules | ActiveRow::NormativeDocuments => &[
                ActiveColumn::Issued,
                ActiveColumn::Repealed,
                ActiveColumn::InForce,
            ],
            ActiveRow::Permits | ActiveRow::Penalties | ActiveRow::Coercions => {
                &[ActiveColumn::Decisions]
            }
            ActiveRow::Fees => &[ActiveColumn::FeeAmount],
        }
    }
}

impl ActiveColumn {
    /// The template's column heading.
    pub fn label(self) -> &'static str {
        match self {
            ActiveColumn::Issued => "本年制发件数",
            ActiveColumn::Repealed => "本年废止件数",
            ActiveColumn::InForce => "现行有效件数",
            ActiveColumn::Decisions => "本年处理决定数量",
            ActiveColumn::FeeAmount => "本年收费金额（单位：万元）",
        }
    }
}

/// 规章 or 行政规范性文件: 本年制发, 本年废止, 现行有效.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentCounts {
    /// 本年制发件数.
    pub issued: u64,
    /// 本年废止件数.
    pub repealed: u64,
    /// 现行有效件数.
    pub in_force: u64,
}

/// 表二.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActiveTable {
    /// 规章.
    pub rules: DocumentCounts,
    /// 行政规范性文件.
    pub normative: DocumentCounts,
    /// 行政许可 本年处理决定数量.
    pub permits: u64,
    /// 行政处罚.
    pub penalties: u64,
    /// 行政强制.
    pub coercions: u64,
    /// 行政事业性收费 本年收费金额（万元）.
    pub fees: f64,
}

impl ActiveTable {
    /// Counts the notices of `category` for `year` and takes the rest from the year file.
    pub fn compute<'a>(
        notices: impl Iterator<Item = &'a Notice> + Clone,
        report: &YearReport,
    ) -> Self {
        let year = report.year;
        ActiveTable {
            rules: document_counts(notices.clone(), Category::Rule, year),
            normative: document_counts(notices, Category::Normative, year),
            permits: report.permits,
            penalties: report.penalties,
            coercions: report.coercions,
            fees: report.fees,
        }
    }

    /// One cell, `None` where the template has none.
    pub fn cell(&self, row: ActiveRow, column: ActiveColumn) -> Option<Value> {
        let documents = |d: &DocumentCounts| match column {
            ActiveColumn::Issued => Some(Value::Count(d.issued)),
            ActiveColumn::Repealed => Some(Value::Count(d.repealed)),
            ActiveColumn::InForce => Some(Value::Count(d.in_force)),
            _ => None,
        };
        let decisions = |n: u64| (column == ActiveColumn::Decisions).then_some(Value::Count(n));
        match row {
            ActiveRow::Rules => documents(&self.rules),
            ActiveRow::NormativeDocuments => documents(&self.normative),
            ActiveRow::Permits => decisions(self.permits),
            ActiveRow::Penalties => decisions(self.penalties),
            ActiveRow::Coercions => decisions(self.coercions),
            ActiveRow::Fees => {
                (column == ActiveColumn::FeeAmount).then_some(Value::Amount(self.fees))
            }
        }
    }
}

/// The last day of `year`: what "by the end of Y" compares with.
fn year_end(year: ReportYear) -> Date {
    jiff::civil::date(year.get(), 12, 31)
}

/// 表二's three numbers for one category (docs/duties.md "How the tables count"):
/// 本年制发 = dated in Y; 本年废止 = `repealed_on` in Y, or `valid_until` in Y (once even
/// if both); 现行有效 = dated by the end of Y and neither repealed nor expired by then.
/// "By then" includes 31 December itself: a `valid_until` of 31 December counts as 废止 in
/// Y and so not as 现行有效 at its end, which keeps 现行有效(Y) = 现行有效(Y−1) + 制发 −
/// 废止 when nothing else changed. A notice declared 废止 or 失效 without either date is never counted in force: when it
/// stopped is unknown, and counting it would overstate what is in force.
fn document_counts<'a>(
    notices: impl Iterator<Item = &'a Notice>,
    category: Category,
    year: ReportYear,
) -> DocumentCounts {
    let end = year_end(year);
    let in_year = |d: Date| d.year() == year.get();
    let mut counts = DocumentCounts::default();
    for n in notices.filter(|n| n.category() == category && !n.draft) {
        if in_year(n.date) {
            counts.issued += 1;
        }
        let repealed_in_year = n.repealed_on.is_some_and(in_year);
        let expired_in_year = n.valid_until.is_some_and(in_year);
        if repealed_in_year || expired_in_year {
            counts.repealed += 1;
        }
        let repealed = n.repealed_on.is_some_and(|d| d <= end);
        let expired = n.valid_until.is_some_and(|d| d <= end);
        let undated_end = matches!(n.validity, Validity::Repealed | Validity::Expired)
            && n.repealed_on.is_none()
            && n.valid_until.is_none();
        if n.date <= end && !repealed && !expired && !undated_end {
            counts.in_force += 1;
        }
    }
    counts
}

// ---------------------------------------------------------------------------------
// 表三 三、收到和处理政府信息公开申请情况

axis_enum! {
    /// The columns of 表三: 申请人情况, then 总计.
    pub enum RequestColumn {
        /// 自然人.
        NaturalPerson,
        /// 法人或其他组织：商业企业.
        Business,
        /// 法人或其他组织：科研机构.
        Research,
        /// 法人或其他组织：社会公益组织.
        PublicInterest,
        /// 法人或其他组织：法律服务机构.
        LegalService,
        /// 法人或其他组织：其他.
        Other,
        /// 总计.
        Total,
    }
}

impl RequestColumn {
    /// The column an applicant counts in (besides 总计).
    pub fn of(applicant: Applicant) -> Self {
        match applicant {
            Applicant::NaturalPerson => RequestColumn::NaturalPerson,
            Applicant::Business => RequestColumn::Business,
            Applicant::Research => RequestColumn::Research,
            Applicant::PublicInterest => RequestColumn::PublicInterest,
            Applicant::LegalService => RequestColumn::LegalService,
            Applicant::Other => RequestColumn::Other,
        }
    }

    /// The template's heading: the applicant labels of the register, and 总计.
    pub fn label(self) -> &'static str {
        match self {
            RequestColumn::NaturalPerson => Applicant::NaturalPerson.label(),
            RequestColumn::Business => Applicant::Business.label(),
            RequestColumn::Research => Applicant::Research.label(),
            RequestColumn::PublicInterest => Applicant::PublicInterest.label(),
            RequestColumn::LegalService => Applicant::LegalService.label(),
            RequestColumn::Other => Applicant::Other.label(),
            RequestColumn::Total => "总计",
        }
    }

    /// The heading above it: 法人或其他组织 for the five kinds of organisation.
    pub fn group(self) -> Option<&'static str> {
        match self {
            RequestColumn::NaturalPerson | RequestColumn::Total => None,
            _ => Some("法人或其他组织"),
        }
    }
}

/// A row of 表三, in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RequestRow {
    /// 一、本年新收政府信息公开申请数量.
    Received,
    /// 二、上年结转政府信息公开申请数量.
    CarriedIn,
    /// One line of 三、本年度办理结果.
    Result(Outcome),
    /// 三、本年度办理结果 （七）总计.
    ResultsTotal,
    /// 四、结转下年度继续办理.
    CarriedOver,
}

/// The number of rows of 表三: two, one per outcome, 总计, 结转下年度.
pub const REQUEST_ROWS: usize = 2 + Outcome::VARIANTS.len() + 2;

/// The template's heading of 三、本年度办理结果.
const RESULTS: &str = "三、本年度办理结果";

impl RequestRow {
    /// Every row, in the template's order.
    pub fn all() -> [RequestRow; REQUEST_ROWS] {
        let mut rows = [RequestRow::Received; REQUEST_ROWS];
        rows[1] = RequestRow::CarriedIn;
        for (i, &o) in Outcome::VARIANTS.iter().enumerate() {
            rows[2 + i] = RequestRow::Result(o);
        }
        rows[REQUEST_ROWS - 2] = RequestRow::ResultsTotal;
        rows[REQUEST_ROWS - 1] = RequestRow::CarriedOver;
        rows
    }

    /// Position in [`RequestRow::all`].
    fn index(self) -> usize {
        match self {
            RequestRow::Received => 0,
            RequestRow::CarriedIn => 1,
            RequestRow::Result(o) => {
                2 + Outcome::VARIANTS
                    .iter()
                    .position(|&v| v == o)
                    .unwrap_or_default()
            }
            RequestRow::ResultsTotal => REQUEST_ROWS - 2,
            RequestRow::CarriedOver => REQUEST_ROWS - 1,
        }
    }

    /// The key of JSON: `received`, `carried_in`, the outcome's key (`withheld/state_secret`),
    /// `results_total`, `carried_over`.
    pub fn key(self) -> &'static str {
        match self {
            RequestRow::Received => "received",
            RequestRow::CarriedIn => "carried_in",
            RequestRow::Result(o) => o.into(),
            RequestRow::ResultsTotal => "results_total",
            RequestRow::CarriedOver => "carried_over",
        }
    }

    /// The row's own cell text in the template, unique in the table (`1.属于国家秘密`).
    pub fn label(self) -> String {
        match self {
            RequestRow::Received => "一、本年新收政府信息公开申请数量".into(),
            RequestRow::CarriedIn => "二、上年结转政府信息公开申请数量".into(),
            RequestRow::Result(o) => match o.group() {
                OutcomeGroup::Disclosed | OutcomeGroup::Partial => group_label(o.group()).into(),
                group => {
                    let number = Outcome::VARIANTS
                        .iter()
                        .filter(|v| v.group() == group)
                        .position(|&v| v == o)
                        .unwrap_or_default()
                        + 1;
                    format!("{number}.{}", o.label())
                }
            },
            RequestRow::ResultsTotal => "（七）总计".into(),
            RequestRow::CarriedOver => "四、结转下年度继续办理".into(),
        }
    }

    /// The headings the row stands under (三、本年度办理结果, then （三）不予公开 …).
    pub fn groups(self) -> Vec<&'static str> {
        match self {
            RequestRow::Result(o) => match o.group() {
                OutcomeGroup::Disclosed | OutcomeGroup::Partial => vec![RESULTS],
                group => vec![RESULTS, group_label(group)],
            },
            RequestRow::ResultsTotal => vec![RESULTS],
            _ => Vec::new(),
        }
    }
}

/// The template's label of a group of outcomes.
pub fn group_label(group: OutcomeGroup) -> &'static str {
    match group {
        OutcomeGroup::Disclosed => "（一）予以公开",
        OutcomeGroup::Partial => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        OutcomeGroup::Withheld => "（三）不予公开",
        OutcomeGroup::Unavailable => "（四）无法提供",
        OutcomeGroup::NotProcessed => "（五）不予处理",
        OutcomeGroup::Other => "（六）其他处理",
    }
}

/// The heading above 表三's columns.
pub const REQUEST_COLUMNS_HEADING: &str = "申请人情况";

/// The heading of 表二's row labels, in each of its blocks.
pub const ACTIVE_ITEM_HEADING: &str = "信息内容";

/// The template's note above 表三.
pub const BALANCE_NOTE: &str =
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";

/// 表三: a count per row and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTable {
    counts: [[u64; 7]; REQUEST_ROWS],
}

impl RequestTable {
    /// Counts the register for `year` (docs/duties.md "How the tables count"): 本年新收 =
    /// received in Y; 上年结转 = received before Y and not replied before Y; 办理结果 =
    /// replied in Y, by outcome; 结转下年度 = received by the end of Y and not replied by
    /// then. 总计 (row and column) is the sum of the cells it totals, never counted on
    /// its own, so that [`RequestTable::balance`] checks the counting.
    pub fn compute<'a>(
        applications: impl Iterator<Item = &'a Application>,
        year: ReportYear,
    ) -> Self {
        let end = year_end(year);
        let last_year_end = jiff::civil::date(year.get() - 1, 12, 31);
        let mut table = RequestTable {
            counts: [[0; 7]; REQUEST_ROWS],
        };
        for a in applications {
            let column = RequestColumn::of(a.applicant);
            let received = a.received.value;
            if received.year() == year.get() {
                table.add(RequestRow::Received, column);
            }
            if a.open_on(last_year_end) {
                table.add(RequestRow::CarriedIn, column);
            }
            if let (Some(replied), Some(outcome)) = (&a.replied, a.outcome)
                && replied.value.year() == year.get()
            {
                table.add(RequestRow::Result(outcome), column);
            }
            if a.open_on(end) {
                table.add(RequestRow::CarriedOver, column);
            }
        }
        table.sum_totals();
        table
    }

    fn add(&mut self, row: RequestRow, column: RequestColumn) {
        self.counts[row.index()][column.index()] += 1;
    }

    /// Fills 总计: the results' row from the outcome rows, the column from the others.
    fn sum_totals(&mut self) {
        let total_row = RequestRow::ResultsTotal.index();
        let total_column = RequestColumn::Total.index();
        for c in 0..total_column {
            self.counts[total_row][c] = (2..total_row).map(|r| self.counts[r][c]).sum();
        }
        for row in &mut self.counts {
            row[total_column] = row[..total_column].iter().sum();
        }
    }

    /// One cell.
    pub fn get(&self, row: RequestRow, column: RequestColumn) -> u64 {
        self.counts[row.index()][column.index()]
    }

    /// Sets one cell: for tests of [`RequestTable::balance`], and for a caller that
    /// corrects a table by hand before writing it.
    pub fn set(&mut self, row: RequestRow, column: RequestColumn, value: u64) {
        self.counts[row.index()][column.index()] = value;
    }

    /// The columns where 本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度, with the four
    /// numbers in that order.
    pub fn balance(&self) -> Vec<(RequestColumn, [u64; 4])> {
        RequestColumn::VARIANTS
            .iter()
            .map(|&c| {
                let n = [
                    self.get(RequestRow::Received, c),
                    self.get(RequestRow::CarriedIn, c),
                    self.get(RequestRow::ResultsTotal, c),
                    self.get(RequestRow::CarriedOver, c),
                ];
                (c, n)
            })
            .filter(|(_, [a, b, c, d])| a + b != c + d)
            .collect()
    }
}

// ---------------------------------------------------------------------------------
// 表四 四、政府信息公开行政复议、行政诉讼情况

axis_enum! {
    /// The kinds of case of 表四 (the template's column groups, here rows).
    pub enum CaseRow {
        /// 行政复议.
        Review,
        /// 行政诉讼：未经复议直接起诉.
        SuitDirect,
        /// 行政诉讼：复议后起诉.
        SuitAfterReview,
    }
}

axis_enum! {
    /// The results of 表四.
    pub enum CaseColumn {
        /// 结果维持.
        Upheld,
        /// 结果纠正.
        Corrected,
        /// 其他结果.
        Other,
        /// 尚未审结.
        Pending,
        /// 总计.
        Total,
    }
}

impl CaseRow {
    /// The template's heading.
    pub fn label(self) -> &'static str {
        match self {
            CaseRow::Review => "行政复议",
            CaseRow::SuitDirect => "未经复议直接起诉",
            CaseRow::SuitAfterReview => "复议后起诉",
        }
    }

    /// The heading above it: 行政诉讼 for the two kinds of suit.
    pub fn group(self) -> Option<&'static str> {
        match self {
            CaseRow::Review => None,
            CaseRow::SuitDirect | CaseRow::SuitAfterReview => Some("行政诉讼"),
        }
    }
}

impl CaseColumn {
    /// The template's heading.
    pub fn label(self) -> &'static str {
        match self {
            CaseColumn::Upheld => "结果维持",
            CaseColumn::Corrected => "结果纠正",
            CaseColumn::Other => "其他结果",
            CaseColumn::Pending => "尚未审结",
            CaseColumn::Total => "总计",
        }
    }
}

/// 表四: per kind of case, the four results and their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTable {
    counts: [[u64; 5]; 3],
}

impl CaseTable {
    /// From the year file; 总计 is the sum of its row.
    pub fn compute(report: &YearReport) -> Self {
        let row = |c: &Cases| {
            [
                c.upheld,
                c.corrected,
                c.other,
                c.pending,
                c.upheld + c.corrected + c.other + c.pending,
            ]
        };
        CaseTable {
            counts: [
                row(&report.reviews),
                row(&report.suits_direct),
                row(&report.suits_after_review),
            ],
        }
    }

    /// One cell.
    pub fn get(&self, row: CaseRow, column: CaseColumn) -> u64 {
        self.counts[row.index()][column.index()]
    }
}

// ---------------------------------------------------------------------------------
// The three tables together

/// The report's tables for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// The year covered.
    pub year: ReportYear,
    /// 表二.
    pub active: ActiveTable,
    /// 表三.
    pub requests: RequestTable,
    /// 表四.
    pub cases: CaseTable,
}

impl Tables {
    /// Computes the tables of `report`'s year from the site, with the errors that fail
    /// check and build: every column of 表三 where the balance rule does not hold.
    pub fn compute(site: &Site, report: &YearReport) -> (Tables, Vec<Diagnostic>) {
        let notices = site.notices.iter().map(|n| n.as_ref());
        let applications = site.applications.iter().map(|a| a.as_ref());
        #[allow(unused_mut)] // set by the tests' hook only
        let mut requests = RequestTable::compute(applications, report.year);
        #[cfg(test)]
        if let Some((row, column, value)) = tests::BREAK_BALANCE.get() {
            requests.set(row, column, value);
        }
        let tables = Tables {
            year: report.year,
            active: ActiveTable::compute(notices, report),
            requests,
            cases: CaseTable::compute(report),
        };
        let problems = unbalanced(&tables.requests, report);
        (tables, problems)
    }

    /// Tables of nothing: every cell zero, for tests of layouts.
    #[cfg(test)]
    pub(crate) fn empty(year: ReportYear) -> Tables {
        let none = DocumentCounts::default();
        Tables {
            year,
            active: ActiveTable {
                rules: none,
                normative: none,
                permits: 0,
                penalties: 0,
                coercions: 0,
                fees: 0.0,
            },
            requests: RequestTable::compute(std::iter::empty(), year),
            cases: CaseTable {
                counts: [[0; 5]; 3],
            },
        }
    }

    /// The three tables as grids, in the report's order.
    pub fn grids(&self) -> [Grid; 3] {
        [
            active_grid(&self.active),
            request_grid(&self.requests),
            case_grid(&self.cases),
        ]
    }
}

/// The tables of `year`, when the site has its year file.
pub fn for_year(site: &Site, year: ReportYear) -> Option<Tables> {
    let report = site.reports.iter().find(|r| r.year == year)?;
    Some(Tables::compute(site, report).0)
}

/// Where the year file of `year` is, relative to the site root.
pub fn year_file_path(year: ReportYear) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("content/reports/{year}.yaml"))
}

/// Whether `bytes` are a whole-report CSV as [`Tables::csv`] writes them (its BOM and
/// heading row): the only kind of file `gongkai report` replaces without `--force`.
pub fn is_report_csv(bytes: &[u8]) -> bool {
    let head = format!("\u{feff}{}\r\n", REPORT_CSV_HEAD.join(","));
    bytes.starts_with(head.as_bytes())
}

/// One `report-unbalanced` error per column of 表三 that breaks the balance rule, at the
/// start of the year file (the year the table is for).
pub fn unbalanced(table: &RequestTable, report: &YearReport) -> Vec<Diagnostic> {
    table
        .balance()
        .into_iter()
        .map(|(column, [received, carried_in, done, carried_over])| {
            Diagnostic::error(
                Code::ReportUnbalanced,
                &report.file,
                Position::START,
                text!(
                    "表三 of {year}, column {label}: 本年新收 {received} + 上年结转 {carried_in} ≠ 办理结果总计 {done} + 结转下年度 {carried_over}",
                    "{year} 年度报告表三「{label}」列不平衡：本年新收 {received} + 上年结转 {carried_in} ≠ 办理结果总计 {done} + 结转下年度 {carried_over}",
                    year = report.year,
                    label = column.label()
                ),
            )
            .with_help(text!(
                "in every column, 本年新收 + 上年结转 = 办理结果总计 + 结转下年度; the register's dates and outcomes decide the counts",
                "每一列都应满足：本年新收 + 上年结转 = 办理结果总计 + 结转下年度；请核对依申请公开登记的日期和办理结果"
            ))
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Grids: what every output reads

/// Which table a grid is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableId {
    /// 表二.
    Active,
    /// 表三.
    Requests,
    /// 表四.
    Cases,
}

impl TableId {
    /// The key of JSON and of the whole report's CSV.
    pub fn key(self) -> &'static str {
        match self {
            TableId::Active => "active",
            TableId::Requests => "requests",
            TableId::Cases => "cases",
        }
    }

    /// The section heading of the template.
    pub fn title(self) -> &'static str {
        match self {
            TableId::Active => "二、主动公开政府信息情况",
            TableId::Requests => "三、收到和处理政府信息公开申请情况",
            TableId::Cases => "四、政府信息公开行政复议、行政诉讼情况",
        }
    }
}

/// A column of a grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GridColumn {
    /// Stable key.
    pub key: &'static str,
    /// The template's heading.
    pub label: &'static str,
    /// The heading above it, if any (法人或其他组织, 行政诉讼).
    pub group: Option<&'static str>,
}

/// A row of a grid: its cells parallel to the grid's columns, `None` where the template
/// has no cell.
#[derive(Debug, Clone, PartialEq)]
pub struct GridRow {
    /// Stable key.
    pub key: &'static str,
    /// The headings it stands under, outermost first.
    pub groups: Vec<&'static str>,
    /// The row's own label.
    pub label: String,
    /// The cells.
    pub values: Vec<Option<Value>>,
}

/// A table as rows and columns of labelled numbers: what the terminal, CSV and JSON (and
/// the report's pages) are written from.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// Which table.
    pub table: TableId,
    /// Its columns.
    pub columns: Vec<GridColumn>,
    /// Its rows.
    pub rows: Vec<GridRow>,
}

fn active_grid(t: &ActiveTable) -> Grid {
    Grid {
        table: TableId::Active,
        columns: ActiveColumn::VARIANTS
            .iter()
            .map(|&c| GridColumn {
                key: c.key(),
                label: c.label(),
                group: None,
            })
            .collect(),
        rows: ActiveRow::VARIANTS
            .iter()
            .map(|&r| GridRow {
                key: r.key(),
                groups: vec![r.group()],
                label: r.label().into(),
                values: ActiveColumn::VARIANTS
                    .iter()
                    .map(|&c| t.cell(r, c))
                    .collect(),
            })
            .collect(),
    }
}

fn request_grid(t: &RequestTable) -> Grid {
    Grid {
        table: TableId::Requests,
        columns: RequestColumn::VARIANTS
            .iter()
            .map(|&c| GridColumn {
                key: c.key(),
                label: c.label(),
                group: c.group(),
            })
            .collect(),
        rows: RequestRow::all()
            .iter()
            .map(|&r| GridRow {
                key: r.key(),
                groups: r.groups(),
                label: r.label(),
                values: RequestColumn::VARIANTS
                    .iter()
                    .map(|&c| Some(Value::Count(t.get(r, c))))
                    .collect(),
            })
            .collect(),
    }
}

fn case_grid(t: &CaseTable) -> Grid {
    Grid {
        table: TableId::Cases,
        columns: CaseColumn::VARIANTS
            .iter()
            .map(|&c| GridColumn {
                key: c.key(),
                label: c.label(),
                group: None,
            })
            .collect(),
        rows: CaseRow::VARIANTS
            .iter()
            .map(|&r| GridRow {
                key: r.key(),
                groups: r.group().into_iter().collect(),
                label: r.label().into(),
                values: CaseColumn::VARIANTS
                    .iter()
                    .map(|&c| Some(Value::Count(t.get(r, c))))
                    .collect(),
            })
            .collect(),
    }
}

/// The group headings of a row as one CSV cell.
const GROUP_SEPARATOR: &str = "／";

/// A CSV as spreadsheet programs open it in Chinese (UTF-8 with a byte-order mark, CRLF),
/// like the open data's CSV files.
fn csv_bytes(records: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for record in records {
        writer.write_record(&record)?;
    }
    writer.into_inner().map_err(|e| e.into_error().into())
}

/// The CSV headings of one table: 分组, 项目, then the columns' labels.
pub const CSV_GROUP: &str = "分组";
/// The heading of the row labels.
pub const CSV_ITEM: &str = "项目";

impl Grid {
    /// This table as CSV: a heading row (分组, 项目, the column labels), then one record
    /// per row (its headings joined by ／, its label, its cells; empty where the template
    /// has no cell).
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let head = [CSV_GROUP.to_string(), CSV_ITEM.to_string()]
            .into_iter()
            .chain(self.columns.iter().map(|c| c.label.to_string()))
            .collect();
        let rows = self.rows.iter().map(|r| {
            [r.groups.join(GROUP_SEPARATOR), r.label.clone()]
                .into_iter()
                .chain(
                    r.values
                        .iter()
                        .map(|v| v.map(|v| v.to_string()).unwrap_or_default()),
                )
                .collect()
        });
        csv_bytes(std::iter::once(head).chain(rows))
    }

    /// This table as JSON (the shape in docs/duties.md).
    pub fn json(&self, year: ReportYear) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec_pretty(&JsonGrid {
            year: year.get(),
            grid: self,
        })
    }
}

/// The heading row of the whole report's CSV.
pub const REPORT_CSV_HEAD: [&str; 5] = ["表格", "分组", "项目", "列", "数值"];

impl Tables {
    /// Every cell of the three tables as one CSV, a record per cell: 表格 (the section
    /// heading), 分组, 项目, 列 (the column label, its group before ：), 数值. One shape for
    /// three differently shaped tables, so a spreadsheet can filter and a program read it.
    pub fn csv(&self) -> Result<Vec<u8>, csv::Error> {
        let head = REPORT_CSV_HEAD.iter().map(|s| s.to_string()).collect();
        let grids = self.grids();
        let mut records = vec![head];
        for grid in &grids {
            for row in &grid.rows {
                for (column, value) in grid.columns.iter().zip(&row.values) {
                    let Some(value) = value else { continue };
                    let label = match column.group {
                        Some(group) => format!("{group}：{}", column.label),
                        None => column.label.to_string(),
                    };
                    records.push(vec![
                        grid.table.title().to_string(),
                        row.groups.join(GROUP_SEPARATOR),
                        row.label.clone(),
                        label,
                        value.to_string(),
                    ]);
                }
            }
        }
        csv_bytes(records.into_iter())
    }

    /// The three tables as one JSON document: `{"year": Y, "tables": [grid, grid, grid]}`.
    pub fn json(&self) -> Result<Vec<u8>, serde_json::Error> {
        let grids = self.grids();
        let tables: Vec<JsonGrid<'_>> = grids
            .iter()
            .map(|grid| JsonGrid {
                year: self.year.get(),
                grid,
            })
            .collect();
        serde_json::to_vec_pretty(&serde_json::json!({
            "year": self.year.get(),
            "tables": tables,
        }))
    }
}

/// A grid as JSON: `table`, `title`, `year`, `columns`, `rows` (each with `key`, `groups`,
/// `label`, `values`: column key → number, only the cells the template has).
struct JsonGrid<'a> {
    year: i16,
    grid: &'a Grid,
}

impl Serialize for JsonGrid<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(5))?;
        map.serialize_entry("table", self.grid.table.key())?;
        map.serialize_entry("title", self.grid.table.title())?;
        map.serialize_entry("year", &self.year)?;
        map.serialize_entry("columns", &self.grid.columns)?;
        let rows: Vec<JsonRow<'_>> = self
            .grid
            .rows
            .iter()
            .map(|row| JsonRow {
                row,
                columns: &self.grid.columns,
            })
            .collect();
        map.serialize_entry("rows", &rows)?;
        map.end()
    }
}

struct JsonRow<'a> {
    row: &'a GridRow,
    columns: &'a [GridColumn],
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("key", self.row.key)?;
        map.serialize_entry("groups", &self.row.groups)?;
        map.serialize_entry("label", &self.row.label)?;
        map.serialize_entry("values", &JsonValues(self))?;
        map.end()
    }
}

struct JsonValues<'a>(&'a JsonRow<'a>);

impl Serialize for JsonValues<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let cells = self.0.columns.iter().zip(&self.0.row.values);
        let mut map = serializer.serialize_map(None)?;
        for (column, value) in cells {
            if let Some(value) = value {
                map.serialize_entry(column.key, value)?;
            }
        }
        map.end()
    }
}

// ---------------------------------------------------------------------------------
// The terminal

/// Display width in a terminal: CJK characters take two columns.
fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` followed by spaces up to `columns`.
fn pad(text: &str, columns: usize) -> String {
    format!("{text}{}", " ".repeat(columns.saturating_sub(width(text))))
}

impl Grid {
    /// The table for a terminal: its title, then the column headings and each row, the
    /// labels indented under their headings and the numbers right-aligned, CJK-width
    /// aware. Columns with no cell in the rows shown are left out. 表二 is printed as the
    /// template prints it, one small table per article of 第二十条, each with its own
    /// columns.
    pub fn terminal(&self) -> String {
        let mut out = format!("{}\n", self.table.title());
        if self.table != TableId::Active {
            out += &self.block(&self.rows.iter().collect::<Vec<_>>(), true);
            return out;
        }
        let mut rest: &[GridRow] = &self.rows;
        while let Some(first) = rest.first() {
            let n = rest.iter().take_while(|r| r.groups == first.groups).count();
            let (part, after) = rest.split_at(n);
            out += &first.groups.join(GROUP_SEPARATOR);
            out.push('\n');
            out += &self.block(&part.iter().collect::<Vec<_>>(), false);
            rest = after;
        }
        out
    }

    /// Rows under one heading line; with `grouped`, each row's headings are printed above
    /// it (once for a run of rows sharing them) and its label indented under them.
    fn block(&self, rows: &[&GridRow], grouped: bool) -> String {
        let used: Vec<usize> = (0..self.columns.len())
            .filter(|&c| rows.iter().any(|r| r.values[c].is_some()))
            .collect();
        // The labels alone: a terminal has no room for two rows of headings, and the
        // groups (法人或其他组织) are in the CSV and JSON.
        let headings: Vec<&str> = used.iter().map(|&c| self.columns[c].label).collect();
        let mut lines: Vec<(String, Vec<String>)> = Vec::new();
        let mut open: &[&str] = &[];
        for row in rows {
            let groups: &[&str] = if grouped { &row.groups } else { &[] };
            let shared = open.iter().zip(groups).take_while(|(a, b)| a == b).count();
            for (depth, group) in groups.iter().enumerate().skip(shared) {
                lines.push((format!("{}{group}", "  ".repeat(depth)), Vec::new()));
            }
            open = groups;
            let cells = used
                .iter()
                .map(|&c| row.values[c].map(|v| v.to_string()).unwrap_or_default())
                .collect();
            let indent = if grouped { groups.len() } else { 1 };
            lines.push((format!("{}{}", "  ".repeat(indent), row.label), cells));
        }
        let label_width = lines.iter().map(|(l, _)| width(l)).max().unwrap_or(0);
        let widths: Vec<usize> = headings
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let cells = lines.iter().filter_map(|(_, c)| c.get(i)).map(|c| width(c));
                cells.chain([width(h)]).max().unwrap_or(0)
            })
            .collect();
        let mut head = pad("", label_width);
        for (h, w) in headings.iter().zip(&widths) {
            head += &format!("  {}", pad(h, *w));
        }
        let mut out = head.trim_end().to_string();
        out.push('\n');
        for (label, cells) in &lines {
            let mut line = pad(label, label_width);
            for (cell, w) in cells.iter().zip(&widths) {
                line += &format!("  {}{cell}", " ".repeat(w.saturating_sub(width(cell))));
            }
            out += line.trim_end();
            out.push('\n');
        }
        out
    }
}

impl Tables {
    /// The three tables for a terminal, a blank line between them.
    pub fn terminal(&self) -> String {
        let grids = self.grids();
        let mut out = String::new();
        for (i, grid) in grids.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let text = grid.terminal();
            match text.split_once('\n') {
                // The template's note stands under 表三's title.
                Some((title, rest)) if grid.table == TableId::Requests => {
                    out += &format!("{title}\n{BALANCE_NOTE}\n{rest}");
                }
                _ => out += &text,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::application::{self, ApplicationId};
    use crate::content::year_report::{self, ReportYear};
    use crate::source::SourceFile;

    fn year_file(yaml: &str) -> YearReport {
        let file = SourceFile::new("content/reports/2024.yaml".into(), yaml.into());
        match year_report::parse(file, ReportYear::parse("2024").expect("year")) {
            (Some(r), _) => r,
            (None, e) => panic!("{e:?}"),
        }
    }

    fn app(id: &str, yaml: &str) -> Application {
        let file = SourceFile::new(
            format!("content/applications/{id}.yaml").into(),
            yaml.into(),
        );
        match application::parse(file, ApplicationId::parse(id).expect("id")) {
            (Some(a), _) => a,
            (None, e) => panic!("{e:?}"),
        }
    }

    thread_local! {
        /// A cell every 表三 computed on this thread gets instead of its count: the
        /// counting always balances, so this is how a test breaks it to see check and
        /// build fail.
        pub(super) static BREAK_BALANCE: std::cell::Cell<Option<(RequestRow, RequestColumn, u64)>> =
            const { std::cell::Cell::new(None) };
    }

    fn fixture() -> crate::BuildOptions {
        crate::BuildOptions::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/report-site"
        ))
    }

    #[test]
    fn a_broken_balance_fails_check_and_build() {
        assert!(crate::check(&fixture()).is_ok(), "the fixture balances");
        BREAK_BALANCE.set(Some((
            RequestRow::CarriedOver,
            RequestColumn::NaturalPerson,
            5,
        )));
        let out = tempfile::tempdir().expect("temp dir");
        let mut options = fixture();
        options.out = Some(out.path().join("public"));
        let checked = crate::check(&options).err();
        let built = crate::build(&options).err();
        BREAK_BALANCE.set(None);
        let expected = "2024 年度报告表三「自然人」列不平衡：本年新收 4 + 上年结转 0 ≠ 办理结果总计 3 + 结转下年度 5";
        for (what, result) in [("check", checked), ("build", built)] {
            let diagnostics = result.unwrap_or_else(|| panic!("{what} should fail"));
            let d = diagnostics
                .errors()
                .find(|d| d.code == Code::ReportUnbalanced)
                .unwrap_or_else(|| panic!("{what}: {diagnostics}"));
            assert_eq!(d.message.zh(), expected, "{what}");
            assert_eq!(d.path, std::path::Path::new("content/reports/2024.yaml"));
            assert_eq!(diagnostics.errors().count(), 1, "{what}: {diagnostics}");
        }
        assert!(!out.path().join("public").exists(), "nothing was written");
    }

    const YEAR: &str = "permits: 2\npenalties: 1\ncoercions: 0\nfees: 1.25\n\
        reviews: {upheld: 1, corrected: 2, other: 0, pending: 1}\n\
        suits_direct: {upheld: 0, corrected: 0, other: 0, pending: 0}\n\
        suits_after_review: {upheld: 0, corrected: 1, other: 0, pending: 0}\n";

    #[test]
    fn the_template_has_its_rows_in_order() {
        let labels: Vec<String> = RequestRow::all().iter().map(|r| r.label()).collect();
        assert_eq!(labels.len(), 25);
        assert_eq!(labels[2], "（一）予以公开");
        assert_eq!(labels[4], "1.属于国家秘密");
        assert_eq!(labels[11], "8.属于行政查询事项");
        assert_eq!(labels[14], "3.补正后申请内容仍不明确");
        assert_eq!(labels[19], "5.要求行政机关确认或重新出具已获取信息");
        assert_eq!(labels[22], "3.其他");
        assert_eq!(labels[23], "（七）总计");
        let unique: std::collections::HashSet<_> = labels.iter().collect();
        assert_eq!(unique.len(), labels.len(), "row labels are unique");
        for (i, r) in RequestRow::all().iter().enumerate() {
            assert_eq!(r.index(), i);
        }
    }

    #[test]
    fn counts_across_the_year_boundaries() {
        let apps = [
            // Before Y, answered before Y: nowhere.
            app(
                "2023-001",
                "received: 2023-11-01\napplicant: business\nreplied: 2023-11-20\noutcome: disclosed\n",
            ),
            // Before Y, answered in Y: 上年结转 and a result.
            app(
                "2023-002",
                "received: 2023-12-20\napplicant: business\nreplied: 2024-01-10\noutcome: partial\n",
            ),
            // In Y, answered in Y.
            app(
                "2024-001",
                "received: 2024-03-01\napplicant: natural_person\nreplied: 2024-03-15\noutcome: unavailable/not_held\n",
            ),
            // In Y, answered after Y: 结转下年度.
            app(
                "2024-002",
                "received: 2024-12-20\napplicant: natural_person\nreplied: 2025-01-08\noutcome: disclosed\n",
            ),
            // After Y: nowhere.
            app("2025-001", "received: 2025-01-02\napplicant: research\n"),
        ];
        let t = RequestTable::compute(apps.iter(), ReportYear::parse("2024").expect("year"));
        use RequestColumn as C;
        use RequestRow as R;
        assert_eq!(t.get(R::Received, C::NaturalPerson), 2);
        assert_eq!(t.get(R::Received, C::Business), 0);
        assert_eq!(t.get(R::CarriedIn, C::Business), 1);
        assert_eq!(t.get(R::Result(Outcome::Partial), C::Business), 1);
        assert_eq!(t.get(R::Result(Outcome::Disclosed), C::Total), 0);
        assert_eq!(t.get(R::ResultsTotal, C::Total), 2);
        assert_eq!(t.get(R::CarriedOver, C::NaturalPerson), 1);
        assert_eq!(t.get(R::Received, C::Research), 0);
        assert!(t.balance().is_empty());
    }

    #[test]
    fn a_broken_balance_names_the_column_and_its_numbers() {
        let report = year_file(YEAR);
        let mut t = RequestTable::compute(std::iter::empty(), report.year);
        t.set(RequestRow::Received, RequestColumn::LegalService, 3);
        t.set(RequestRow::CarriedIn, RequestColumn::LegalService, 1);
        t.set(RequestRow::ResultsTotal, RequestColumn::LegalService, 2);
        let errors = unbalanced(&t, &report);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, Code::ReportUnbalanced);
        assert_eq!(
            errors[0].message.zh(),
            "2024 年度报告表三「法律服务机构」列不平衡：本年新收 3 + 上年结转 1 ≠ 办理结果总计 2 + 结转下年度 0"
        );
    }

    #[test]
    fn cases_total_their_rows() {
        let t = CaseTable::compute(&year_file(YEAR));
        assert_eq!(t.get(CaseRow::Review, CaseColumn::Total), 4);
        assert_eq!(t.get(CaseRow::SuitAfterReview, CaseColumn::Total), 1);
        assert_eq!(t.get(CaseRow::SuitDirect, CaseColumn::Total), 0);
    }

    #[test]
    fn the_terminal_aligns_cjk_text() {
        let report = year_file(YEAR);
        let t = CaseTable::compute(&report);
        let text = case_grid(&t).terminal();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "四、政府信息公开行政复议、行政诉讼情况");
        let widths: Vec<usize> = lines[1..]
            .iter()
            .filter(|l| l.ends_with(char::is_numeric))
            .map(|l| width(l))
            .collect();
        assert!(widths.windows(2).all(|w| w[0] == w[1]), "{text}");
        assert!(text.contains("行政诉讼\n"), "{text}");
    }

    #[test]
    fn json_values_skip_cells_the_template_lacks() {
        let report = year_file(YEAR);
        let t = ActiveTable::compute(std::iter::empty(), &report);
        let json: serde_json::Value =
            serde_json::from_slice(&active_grid(&t).json(report.year).expect("json"))
                .expect("parse");
        assert_eq!(json["rows"][5]["key"], "fees");
        assert_eq!(
            json["rows"][5]["values"],
            serde_json::json!({"fee_amount": 1.25})
        );
        assert_eq!(
            json["rows"][0]["values"],
            serde_json::json!({"issued": 0, "repealed": 0, "in_force": 0})
        );
    }
}
