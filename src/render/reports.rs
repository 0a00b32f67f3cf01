//! 年度报告: the column `/reports/` and, for every year file `content/reports/<year>.yaml`,
//! the 政府信息公开工作年度报告 at `/reports/<year>/` with its tables beside it as CSV
//! and JSON (`report-<year>.csv`, the bytes `gongkai report` writes, and `.json`).
//!
//! The page has the six sections of the national format in its order: the year file's
//! texts for 一、五、六, the computed tables for 二、三、四 ([`super::report_table`]).

use serde::Serialize;

use super::report_table::{HtmlTable, html_table};
use super::{OutputFile, PageHead, PageId, Reads, Renderer, Section};
use crate::content::year_report::{ReportYear, YearReport};
use crate::diagnostics::Diagnostic;
use crate::links::root_of;
use crate::site::Site;
use crate::time::chinese_date;
use crate::urls;

/// The format of a report's tables beside its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TablesFile {
    /// `report-<year>.csv`: one record per cell (docs/duties.md).
    Csv,
    /// `report-<year>.json`: the three tables.
    Json,
}

impl TablesFile {
    fn extension(self) -> &'static str {
        match self {
            TablesFile::Csv => "csv",
            TablesFile::Json => "json",
        }
    }
}

/// The column and each report with its two files, in year order.
pub(super) fn list_pages(site: &Site, ids: &mut Vec<PageId>) {
    ids.push(PageId::Reports);
    for ix in 0..site.reports.len() {
        ids.push(PageId::Report(ix));
        ids.push(PageId::ReportTables(ix, TablesFile::Csv));
        ids.push(PageId::ReportTables(ix, TablesFile::Json));
    }
}

/// The output path of the tables of the report on `year` as `file`.
pub(super) fn tables_path(year: ReportYear, file: TablesFile) -> String {
    let year = year.to_string();
    format!(
        "{}{}",
        urls::report(&year),
        urls::report_tables(&year, file.extension())
    )
}

/// The report's title as offices print it: 主办单位 + year + 政府信息公开工作年度报告.
fn title(reads: &Reads, report: &YearReport) -> String {
    format!(
        "{}{}年政府信息公开工作年度报告",
        super::views::office(reads),
        report.year
    )
}

/// A report as the column lists it.
#[derive(Serialize)]
struct ReportItem {
    year: i16,
    title: String,
    url: String,
    published: Option<String>,
    published_label: Option<String>,
    csv: String,
    json: String,
}

#[derive(Serialize)]
struct ReportList {
    /// Newest year first.
    reports: Vec<ReportItem>,
}

/// `/reports/`: every report, newest year first, with its tables' files. Until the site
/// holds a report it says so, and links nothing that is not there.
pub(super) fn report_list(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let reports = reads
        .reports()
        .iter()
        .rev()
        .map(|report| {
            let year = report.year.to_string();
            let published = report.published.as_ref().map(|d| d.value);
            ReportItem {
                year: report.year.get(),
                title: title(&reads, report),
                url: urls::report(&year),
                published: published.map(|d| d.to_string()),
                published_label: published.map(chinese_date),
                csv: urls::report_tables(&year, "csv"),
                json: urls::report_tables(&year, "json"),
            }
        })
        .collect();
    r.page(
        reads,
        urls::index_file(urls::REPORTS),
        "reports.html",
        PageHead::new("年度报告", Section::Disclosure).column(&super::views::REPORTS),
        &ReportList { reports },
    )
}

/// A section of the report: its heading and either the year file's text or a table.
#[derive(Serialize)]
struct ReportSection {
    id: &'static str,
    heading: &'static str,
    /// The section's text as HTML (一、五、六); empty text says 无.
    html: Option<String>,
    /// The section's table (二、三、四).
    table: Option<HtmlTable>,
}

#[derive(Serialize)]
struct ReportPage {
    title: String,
    year: i16,
    source: String,
    published: Option<String>,
    published_label: Option<String>,
    csv: String,
    json: String,
    sections: Vec<ReportSection>,
}

/// The headings of the three text sections, by the year file's field.
fn text_heading(field: &str) -> (&'static str, &'static str) {
    match field {
        "overview" => ("section-1", "一、总体情况"),
        "problems" => ("section-5", "五、存在的主要问题及改进情况"),
        _ => ("section-6", "六、其他需要报告的事项"),
    }
}

/// `/reports/<year>/`: the report in the national format.
pub(super) fn report_page(r: &Renderer, ix: usize) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (report, tables) = reads.report(ix);
    let year = report.year.to_string();
    let url = urls::report(&year);
    let root = root_of(&url);
    let mut has_code = false;
    let mut text_section = |field: &str, text: &str| {
        let (id, heading) = text_heading(field);
        let html = if text.trim().is_empty() {
            "<p>无。</p>".to_string()
        } else {
            let rendered = reads.markdown(text, &report.file.path, &root);
            has_code |= rendered.has_code;
            rendered.html
        };
        ReportSection {
            id,
            heading,
            html: Some(html),
            table: None,
        }
    };
    let [overview, problems, other] = report.texts().map(|(field, t)| (field, t.text.as_str()));
    let mut sections = vec![text_section(overview.0, overview.1)];
    for grid in &tables.grids() {
        sections.push(ReportSection {
            id: super::report_table::heading_id(grid.table),
            heading: grid.table.title(),
            html: None,
            table: Some(html_table(grid)),
        });
    }
    sections.push(text_section(problems.0, problems.1));
    sections.push(text_section(other.0, other.1));
    let title = title(&reads, report);
    let source = super::views::office(&reads);
    let published = report.published.as_ref().map(|d| d.value);
    // A report without 发布日期 is dated by the build that publishes it.
    let date = published.unwrap_or(reads.as_of().date).to_string();
    let article = super::views::Article::new(
        &title,
        &date,
        &source,
        &[],
        &["政府信息公开工作年度报告", "年度报告", &source],
        None,
    );
    let view = ReportPage {
        title: title.clone(),
        year: report.year.get(),
        source,
        published: published.map(|d| d.to_string()),
        published_label: published.map(chinese_date),
        csv: urls::report_tables(&year, "csv"),
        json: urls::report_tables(&year, "json"),
        sections,
    };
    r.page(
        reads,
        urls::index_file(&url),
        "report.html",
        PageHead::new(&title, Section::Disclosure)
            .column(&super::views::REPORTS)
            .code(has_code)
            .article(article),
        &view,
    )
}

/// Report `ix`'s tables as `file`: the whole report's CSV (what `gongkai report` writes)
/// or its JSON.
pub(super) fn report_tables(
    r: &Renderer,
    ix: usize,
    file: TablesFile,
) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let (report, tables) = reads.report(ix);
    let path = tables_path(report.year, file);
    let bytes = match file {
        TablesFile::Csv => tables.csv().map_err(|e| write_error(&path, &e))?,
        TablesFile::Json => tables.json().map_err(|e| write_error(&path, &e))?,
    };
    r.file(reads, path, bytes)
}

fn write_error(path: &str, error: &dyn std::fmt::Display) -> Diagnostic {
    Diagnostic::at_path(
        crate::diagnostics::Code::WriteFailed,
        std::path::Path::new(path),
        crate::text!(
            "cannot write the report's tables: {error}",
            "无法写出年度报告表格：{error}"
        ),
    )
}
