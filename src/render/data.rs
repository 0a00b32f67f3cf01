//! Open data (`/data/*.json`, their CSV twins, the `/data/` page) and the machine feeds
//! (`/sitemap.xml`, `/feed.xml`).
//!
//! The JSON files use the content's own field names plus what the build computed; other
//! systems harvest them, so their shape is documented in `docs/open-data.md`, described by
//! the JSON Schemas of `schemas/open-data/` and kept stable.

use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{OutputFile, PageId, Renderer};
use crate::content::plan::{Status, Update};
use crate::diagnostics::Diagnostic;
use crate::enums::Key;
use crate::progress::{Progress, Rollup};
use crate::site::Site;
use crate::time::Deadline;
use crate::urls;

/// The format version of the open-data files (`version` in each JSON file): it changes
/// only when a field is renamed or removed (a major change) or added (a minor one), never
/// with the content or the tool's version.
pub const FORMAT_VERSION: &str = "1.0";

/// The JSON Schemas of the four JSON files, committed under `schemas/open-data/`: the
/// `/data/` page lists each file's fields with the schema's descriptions.
pub const SCHEMAS: [(DataFile, &str); 4] = [
    (
        DataFile::Notices,
        include_str!("../../schemas/open-data/notices.schema.json"),
    ),
    (
        DataFile::Units,
        include_str!("../../schemas/open-data/units.schema.json"),
    ),
    (
        DataFile::Bodies,
        include_str!("../../schemas/open-data/bodies.schema.json"),
    ),
    (
        DataFile::Progress,
        include_str!("../../schemas/open-data/progress.schema.json"),
    ),
];

/// What the open data made of each notice, kept by the rebuild engine between builds: a
/// notice whose fingerprint ([`Site::notice_fingerprint`]) did not change keeps its
/// record's JSON, so one save in a 100,000-notice site does not serialise every record
/// of `data/notices.json` again. Records are kept by that fingerprint alone: it stands
/// for everything a record shows, the 索引号 included.
#[derive(Default)]
pub struct Kept {
    /// A snapshot, not a map taken out: `data/notices.json` and the `/data/` page (which
    /// shows its size) assemble the file at the same time, and both read the records kept.
    notice_records: Mutex<Arc<FxHashMap<u64, Arc<[u8]>>>>,
    /// Each notice's row of `data/notices.csv`, by [`notice_row_key`] (the row also shows
    /// the issuers' names, which the notice's fingerprint does not cover).
    notice_rows: Mutex<Arc<FxHashMap<u64, Arc<[u8]>>>>,
}

/// What a notice's CSV row is made of: the notice as the site knows it and its issuers'
/// names.
fn notice_row_key(site: &Site, ix: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    site.notice_fingerprint(ix).hash(&mut h);
    for &u in &site.notice_links[ix].issuers {
        site.units[u].name.hash(&mut h);
    }
    h.finish()
}

/// `data/notices.json`: `{"version", "as_of", "license", "notices": [records]}` as `serde_json`'s pretty
/// printer writes it, each record serialised on its own (in parallel, or taken from
/// `kept`) and indented to its depth in the file.
fn notices_json(site: &Site, kept: Option<&Kept>) -> Vec<u8> {
    let known =
        kept.map(|k| Arc::clone(&*k.notice_records.lock().unwrap_or_else(|e| e.into_inner())));
    let records: Vec<(u64, Arc<[u8]>)> = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| {
            let Some(known) = &known else {
                return (0, indented_record(site, ix).into());
            };
            let print = site.notice_fingerprint(ix);
            match known.get(&print) {
                Some(json) => (print, Arc::clone(json)),
                None => (print, indented_record(site, ix).into()),
            }
        })
        .collect();
    let head = notices_json_head(site);
    let mut out = Vec::with_capacity(
        head.len() + records.iter().map(|(_, r)| r.len() + 2).sum::<usize>() + 8,
    );
    out.extend_from_slice(&head);
    for (i, (_, record)) in records.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        out.extend_from_slice(record);
    }
    if !records.is_empty() {
        out.extend_from_slice(b"\n  ");
    }
    out.extend_from_slice(NOTICES_JSON_TAIL);
    if let Some(kept) = kept {
        let known: FxHashMap<u64, Arc<[u8]>> = records.into_iter().collect();
        *kept
            .notice_records
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = Arc::new(known);
    }
    out
}

/// The byte size of `data/notices.json` ([`notices_json`]) without assembling it.
fn notices_json_size(site: &Site, kept: Option<&Kept>) -> usize {
    let known =
        kept.map(|k| Arc::clone(&*k.notice_records.lock().unwrap_or_else(|e| e.into_inner())));
    let records: usize = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| {
            let found = known
                .as_ref()
                .and_then(|k| k.get(&site.notice_fingerprint(ix)).map(|r| r.len()));
            found.unwrap_or_else(|| indented_record(site, ix).len())
        })
        .sum();
    // Each record but the first follows ",\n", the first "\n"; "\n  " ends a list.
    let n = site.notices.len();
    let between = if n == 0 { 0 } else { 2 * n - 1 + 3 };
    notices_json_head(site).len() + records + between + NOTICES_JSON_TAIL.len()
}

/// What `data/notices.json` starts with, up to the records.
fn notices_json_head(site: &Site) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"{\n  \"version\": ");
    out.extend_from_slice(json_string(FORMAT_VERSION).as_bytes());
    out.extend_from_slice(b",\n  \"as_of\": ");
    out.extend_from_slice(json_string(&site.as_of.date.to_string()).as_bytes());
    out.extend_from_slice(b",\n  \"license\": ");
    match &site.config.license {
        Some(license) => out.extend_from_slice(json_string(license).as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\n  \"notices\": [");
    out
}

/// What `data/notices.json` ends with.
const NOTICES_JSON_TAIL: &[u8] = b"]\n}\n";

/// The byte size of `data/notices.csv` ([`notices_csv`]) without assembling it.
fn notices_csv_size(site: &Site, kept: Option<&Kept>) -> Result<usize, Diagnostic> {
    let path = DataFile::NoticesCsv.path();
    let known = kept.map(|k| Arc::clone(&*k.notice_rows.lock().unwrap_or_else(|e| e.into_inner())));
    let rows: Vec<Result<usize, Diagnostic>> = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| {
            let found = known
                .as_ref()
                .and_then(|k| k.get(&notice_row_key(site, ix)).map(|r| r.len()));
            match found {
                Some(len) => Ok(len),
                None => csv_row(path, &notice_csv_row(site, ix)).map(|row| row.len()),
            }
        })
        .collect();
    let head = csv_file(path, NOTICE_COLUMNS, std::iter::empty())?.len();
    rows.into_iter().try_fold(head, |sum, len| Ok(sum + len?))
}

/// One notice's record, pretty-printed and indented four spaces (its depth in the file).
fn indented_record(site: &Site, ix: usize) -> Vec<u8> {
    let mut plain = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"  ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut plain, formatter);
    // A record of plain data always serialises.
    let _ = notice_record(site, ix).serialize(&mut serializer);
    let mut out = Vec::with_capacity(plain.len() + plain.len() / 8);
    // JSON strings escape their line breaks: every `\n` here is the printer's.
    for line in plain.split(|&b| b == b'\n') {
        if !out.is_empty() {
            out.push(b'\n');
        }
        out.extend_from_slice(b"    ");
        out.extend_from_slice(line);
    }
    out
}

/// A string as JSON.
fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| String::from("\"\""))
}

/// What `data/notices.json` says of one notice.
fn notice_record(site: &Site, ix: usize) -> NoticeRecord<'_> {
    let index_no = |ix: &usize| site.notices[*ix].index_no.value.as_str();
    let n = &site.notices[ix];
    let links = &site.notice_links[ix];
    NoticeRecord {
        index_no: n.index_no.value.as_str(),
        title: &n.title,
        issuer: links
            .issuers
            .iter()
            .map(|&u| site.units[u].id.as_str())
            .collect(),
        doc_no: n.doc_no.as_deref(),
        date: n.date.to_string(),
        published: n.published.to_string(),
        genre: n.genre.as_deref(),
        topic: (!n.topic.is_empty()).then(|| n.topic.join("/")),
        keywords: &n.keywords,
        summary: n.summary.as_deref(),
        validity: site.validity(ix).key(),
        declared_validity: n.validity,
        valid_from: n.valid_from.map(|d| d.to_string()),
        valid_until: n.valid_until.map(|d| d.to_string()),
        supersedes: links.supersedes.iter().map(index_no).collect(),
        superseded_by: links.superseded_by.iter().map(index_no).collect(),
        related: links.related.iter().map(index_no).collect(),
        interprets: links.interprets.iter().map(index_no).collect(),
        interpreted_by: links.interpreted_by.iter().map(index_no).collect(),
        attachments: links
            .attachments
            .iter()
            .map(|a| AttachmentRecord {
                title: &a.title,
                file: &a.path,
                size: a.size,
            })
            .collect(),
        url: urls::notice(&n.index_no.value),
    }
}

#[derive(Serialize)]
struct NoticeRecord<'a> {
    index_no: &'a str,
    title: &'a str,
    issuer: Vec<&'a str>,
    doc_no: Option<&'a str>,
    date: String,
    published: String,
    genre: Option<&'a str>,
    topic: Option<String>,
    keywords: &'a [String],
    summary: Option<&'a str>,
    /// 时效 as of the build (`effective` past `valid_until` is `expired` …).
    validity: &'static str,
    /// 时效 as the publisher declared it.
    declared_validity: crate::content::notice::Validity,
    valid_from: Option<String>,
    valid_until: Option<String>,
    supersedes: Vec<&'a str>,
    superseded_by: Vec<&'a str>,
    related: Vec<&'a str>,
    /// The notices this one is the 政策解读 of.
    interprets: Vec<&'a str>,
    /// The 政策解读 of this notice.
    interpreted_by: Vec<&'a str>,
    attachments: Vec<AttachmentRecord<'a>>,
    url: String,
}

#[derive(Serialize)]
struct AttachmentRecord<'a> {
    title: &'a str,
    file: &'a str,
    size: u64,
}

#[derive(Serialize)]
struct UnitsFile<'a> {
    version: &'static str,
    as_of: String,
    license: Option<&'a str>,
    units: Vec<UnitRecord<'a>>,
}

#[derive(Serialize)]
struct UnitRecord<'a> {
    id: &'a str,
    name: &'a str,
    short_name: Option<&'a str>,
    aliases: &'a [String],
    kind: &'static str,
    parent: Option<&'a str>,
    website: Option<&'a str>,
    notices: Vec<&'a str>,
    bodies: Vec<MembershipRecord<'a>>,
    url: String,
}

#[derive(Serialize)]
struct MembershipRecord<'a> {
    body: &'a str,
    /// `member`, `office` or `leader`.
    roles: Vec<&'static str>,
    /// 职责分工 (Markdown) when the unit is a member with duties.
    duties: Option<&'a str>,
}

#[derive(Serialize)]
struct BodiesFile<'a> {
    version: &'static str,
    as_of: String,
    license: Option<&'a str>,
    bodies: Vec<BodyRecord<'a>>,
}

#[derive(Serialize)]
struct BodyRecord<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    established_by: Option<&'a str>,
    office: Option<OfficeRecord<'a>>,
    leaders: Vec<LeaderRecord<'a>>,
    members: Vec<MemberRecord<'a>>,
    rules: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct OfficeRecord<'a> {
    unit: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct LeaderRecord<'a> {
    role: &'a str,
    title: &'a str,
    unit: Option<&'a str>,
}

#[derive(Serialize)]
struct MemberRecord<'a> {
    unit: &'a str,
    duties: Option<&'a str>,
}

/// The open-data and feed files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    /// `data/bodies.json`.
    Bodies,
    /// `data/notices.json`.
    Notices,
    /// `data/units.json`.
    Units,
    /// `data/progress.json`.
    Progress,
    /// `data/notices.csv`: the notices, one row each.
    NoticesCsv,
    /// `data/tasks.csv`: the plans' tasks and targets, one row each.
    TasksCsv,
    /// `data/index.html`: the page that lists the open-data files.
    Index,
    /// `sitemap.xml` (only with `base_url`; see [`super::feeds`]).
    Sitemap,
}

impl DataFile {
    /// Path in the output.
    pub fn path(self) -> &'static str {
        match self {
            DataFile::Bodies => "data/bodies.json",
            DataFile::Notices => "data/notices.json",
            DataFile::Units => "data/units.json",
            DataFile::Progress => "data/progress.json",
            DataFile::NoticesCsv => "data/notices.csv",
            DataFile::TasksCsv => "data/tasks.csv",
            DataFile::Index => "data/index.html",
            DataFile::Sitemap => urls::SITEMAP,
        }
    }
}

/// The open-data files, and the feeds when site.yaml has a `base_url` (they need
/// absolute URLs).
pub(super) fn list_files(site: &Site, ids: &mut Vec<PageId>) {
    let mut files = vec![
        DataFile::Bodies,
        DataFile::Notices,
        DataFile::Units,
        DataFile::Progress,
        DataFile::NoticesCsv,
        DataFile::TasksCsv,
        DataFile::Index,
    ];
    if site.config.base_url.is_some() {
        files.push(DataFile::Sitemap);
    }
    ids.extend(files.into_iter().map(PageId::Data));
}

/// Renders one data file. Each shows the whole site, so it reads it whole.
pub(super) fn render(r: &Renderer, file: DataFile) -> Result<OutputFile, Diagnostic> {
    match file {
        DataFile::Sitemap => super::feeds::render_sitemap(r),
        DataFile::Index => data_page(r, r.reads()),
        _ => {
            let reads = r.reads();
            let bytes = data_bytes(reads.whole(), file, r.kept())?;
            r.file(reads, file.path().to_string(), bytes)
        }
    }
}

/// The bytes of one open-data file (JSON or CSV).
fn data_bytes(site: &Site, file: DataFile, kept: Option<&Kept>) -> Result<Vec<u8>, Diagnostic> {
    match file {
        DataFile::Progress => progress_data(site),
        DataFile::NoticesCsv => notices_csv(site, kept),
        DataFile::TasksCsv => tasks_csv(site),
        _ => open_data(site, file, kept),
    }
}

/// The open-data files the `/data/` page lists, in its order.
const LISTED: [DataFile; 6] = [
    DataFile::Notices,
    DataFile::NoticesCsv,
    DataFile::Units,
    DataFile::Bodies,
    DataFile::Progress,
    DataFile::TasksCsv,
];

#[derive(Serialize)]
struct DataPage {
    version: &'static str,
    as_of: String,
    license: Option<String>,
    files: Vec<DataFileView>,
    feed: Option<&'static str>,
}

#[derive(Serialize)]
struct DataFileView {
    /// File name, relative to `data/`.
    name: &'static str,
    format: &'static str,
    description: &'static str,
    size: usize,
    size_label: String,
    fields: Vec<FieldView>,
}

#[derive(Serialize)]
struct FieldView {
    name: String,
    description: String,
}

/// What each listed file holds, in a sentence.
fn file_description(file: DataFile) -> &'static str {
    match file {
        DataFile::Notices => {
            "政府信息公开文件目录：每件文件的索引号、标题、发布机构、文号、日期、时效、附件等"
        }
        DataFile::NoticesCsv => "同上文件目录的表格版（每件文件一行），可用 Excel、WPS 直接打开",
        DataFile::Units => "机构名录：每个单位的名称、类别、上级单位、发布的文件和参加的协调机构",
        DataFile::Bodies => "议事协调机构：组成、办公室、负责人、成员单位及职责分工",
        DataFile::Progress => {
            "工作进度：每项计划的类别、任务、目标、责任单位、完成时限、进展与统计"
        }
        DataFile::TasksCsv => "工作任务表格版（每项任务、每个目标一行），可用 Excel、WPS 直接打开",
        _ => "",
    }
}

/// `1.2 MB`, `3.4 KB`, `512 字节`.
fn size_label(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB {
        format!("{:.1} MB", b / (KB * KB))
    } else if b >= KB {
        format!("{:.1} KB", b / KB)
    } else {
        format!("{bytes} 字节")
    }
}

/// The fields of one JSON file's records, read from its schema: the properties of the
/// array the file lists (`notices`, `units`, …) with their descriptions.
fn schema_fields(file: DataFile) -> Vec<FieldView> {
    let Some((_, text)) = SCHEMAS.iter().find(|(f, _)| *f == file) else {
        return Vec::new();
    };
    let Ok(schema) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let list = schema
        .get("x-records")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let mut item = &schema["properties"][list]["items"];
    if let Some(reference) = item.get("$ref").and_then(|r| r.as_str()) {
        let name = reference.trim_start_matches("#/$defs/");
        item = &schema["$defs"][name];
    }
    let mut fields: Vec<FieldView> = ["version", "as_of", "license"]
        .iter()
        .map(|name| FieldView {
            name: (*name).to_string(),
            description: describe(&schema["properties"][*name]),
        })
        .collect();
    if let Some(props) = item.get("properties").and_then(|p| p.as_object()) {
        fields.extend(props.iter().map(|(name, p)| FieldView {
            name: format!("{list}[].{name}"),
            description: describe(p),
        }));
    }
    fields
}

fn describe(property: &serde_json::Value) -> String {
    property
        .get("description")
        .and_then(|d| d.as_str())
        .unwrap_or_default()
        .to_string()
}

/// `/data/`: every open-data file with its size and fields, and the licence.
fn data_page(r: &Renderer, reads: super::Reads<'_>) -> Result<OutputFile, Diagnostic> {
    let site = reads.whole();
    // The sizes shown are those of the files themselves, made again here side by side.
    let sizes: Vec<Result<usize, Diagnostic>> = LISTED
        .par_iter()
        .map(|&file| match file {
            // The two files of 100,000 lines: their sizes from the kept records and rows.
            DataFile::Notices => Ok(notices_json_size(site, r.kept())),
            DataFile::NoticesCsv => notices_csv_size(site, r.kept()),
            _ => data_bytes(site, file, r.kept()).map(|bytes| bytes.len()),
        })
        .collect();
    let mut files = Vec::new();
    for (file, size) in LISTED.into_iter().zip(sizes) {
        let size = size?;
        let (format, fields) = match file {
            DataFile::NoticesCsv => ("CSV", csv_fields(NOTICE_COLUMNS)),
            DataFile::TasksCsv => ("CSV", csv_fields(TASK_COLUMNS)),
            _ => ("JSON", schema_fields(file)),
        };
        files.push(DataFileView {
            name: file.path().trim_start_matches("data/"),
            format,
            description: file_description(file),
            size,
            size_label: size_label(size),
            fields,
        });
    }
    let view = DataPage {
        version: FORMAT_VERSION,
        as_of: site.as_of.date.to_string(),
        license: site.config.license.clone(),
        files,
        feed: site.config.base_url.is_some().then_some("feed.xml"),
    };
    r.page(
        reads,
        DataFile::Index.path().to_string(),
        "data.html",
        super::PageHead::new("开放数据", super::Section::None).column(&super::views::DATA),
        &view,
    )
}

fn csv_fields(columns: &[(&str, &str)]) -> Vec<FieldView> {
    columns
        .iter()
        .map(|(name, description)| FieldView {
            name: (*name).to_string(),
            description: (*description).to_string(),
        })
        .collect()
}

/// The columns of `data/notices.csv`: its Chinese header and what each holds.
pub const NOTICE_COLUMNS: &[(&str, &str)] = &[
    ("索引号", "index_no"),
    ("标题", "title"),
    ("发布机构", "issuer：发布单位名称，多个以“；”分隔"),
    ("发布机构标识", "issuer：单位 id，多个以“；”分隔"),
    ("文号", "doc_no"),
    ("成文日期", "date，YYYY-MM-DD"),
    ("发布日期", "published，YYYY-MM-DD"),
    ("文种", "genre"),
    ("主题分类", "topic"),
    ("关键词", "keywords，以“；”分隔"),
    ("摘要", "summary"),
    ("时效", "截至基准日期的时效（中文）"),
    ("时效代码", "validity：effective、expired 等"),
    ("生效日期", "valid_from"),
    ("失效日期", "valid_until"),
    ("附件数", "附件个数"),
    ("网址", "url：相对站点根目录的地址"),
];

/// The columns of `data/tasks.csv`.
pub const TASK_COLUMNS: &[(&str, &str)] = &[
    ("计划", "plan：计划 id"),
    ("计划名称", "计划标题"),
    ("类号", "category number"),
    ("项目分类", "category name"),
    ("序号", "task number"),
    ("工作内容", "task content"),
    ("目标", "target：目标内容；任务本身的一行为空"),
    ("负责单位", "lead：单位名称，多个以“；”分隔"),
    ("参与单位", "partners：单位名称，多个以“；”分隔"),
    ("完成时限", "deadline，如写"),
    ("截止日期", "deadline_date，YYYY-MM-DD；常设等无日期为空"),
    ("工作进度", "状态（中文）：已完成、推进中……"),
    ("状态代码", "status：done、in_progress……"),
    ("完成百分比", "percent，0–100"),
    ("是否逾期", "overdue：是 / 否"),
];

/// A CSV file as spreadsheet programs open it in Chinese: UTF-8 with a byte-order mark,
/// RFC 4180 (CRLF line ends, quoted fields where needed).
fn csv_file(
    path: &str,
    columns: &[(&str, &str)],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>, Diagnostic> {
    let failed = |e: &dyn std::fmt::Display| {
        Diagnostic::at_path(
            crate::diagnostics::Code::WriteFailed,
            std::path::Path::new(path),
            crate::text!("cannot write CSV: {e}", "无法写出 CSV：{e}"),
        )
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    writer
        .write_record(columns.iter().map(|(name, _)| *name))
        .map_err(|e| failed(&e))?;
    for row in rows {
        writer.write_record(&row).map_err(|e| failed(&e))?;
    }
    writer.into_inner().map_err(|e| failed(&e))
}

/// A notice's CSV row with the key it was written under.
type KeptRow = (u64, Arc<[u8]>);

/// `data/notices.csv`.
fn notices_csv(site: &Site, kept: Option<&Kept>) -> Result<Vec<u8>, Diagnostic> {
    let path = DataFile::NoticesCsv.path();
    let known = kept.map(|k| Arc::clone(&*k.notice_rows.lock().unwrap_or_else(|e| e.into_inner())));
    // Each row written on its own (a CSV record's bytes do not depend on the others), in
    // parallel, or taken from `kept`.
    let rows: Vec<Result<KeptRow, Diagnostic>> = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| {
            let key = if known.is_some() {
                notice_row_key(site, ix)
            } else {
                0
            };
            if let Some(row) = known.as_ref().and_then(|k| k.get(&key)) {
                return Ok((key, Arc::clone(row)));
            }
            Ok((key, csv_row(path, &notice_csv_row(site, ix))?.into()))
        })
        .collect();
    let rows: Vec<(u64, Arc<[u8]>)> = rows.into_iter().collect::<Result<_, _>>()?;
    let mut out = csv_file(path, NOTICE_COLUMNS, std::iter::empty())?;
    out.reserve(rows.iter().map(|(_, r)| r.len()).sum());
    for (_, row) in &rows {
        out.extend_from_slice(row);
    }
    if let Some(kept) = kept {
        let known: FxHashMap<u64, Arc<[u8]>> = rows.into_iter().collect();
        *kept.notice_rows.lock().unwrap_or_else(|e| e.into_inner()) = Arc::new(known);
    }
    Ok(out)
}

/// One record as the CSV writer writes it (CRLF ended).
fn csv_row(path: &str, row: &[String]) -> Result<Vec<u8>, Diagnostic> {
    let failed = |e: &dyn std::fmt::Display| {
        Diagnostic::at_path(
            crate::diagnostics::Code::WriteFailed,
            std::path::Path::new(path),
            crate::text!("cannot write CSV: {e}", "无法写出 CSV：{e}"),
        )
    };
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(row).map_err(|e| failed(&e))?;
    writer.into_inner().map_err(|e| failed(&e))
}

/// The cells of notice `ix`'s row of `data/notices.csv`.
fn notice_csv_row(site: &Site, ix: usize) -> Vec<String> {
    use crate::enums::Label;
    let n = &site.notices[ix];
    let links = &site.notice_links[ix];
    let issuers = |name: bool| {
        links
            .issuers
            .iter()
            .map(|&u| {
                let unit = &site.units[u];
                if name {
                    unit.name.as_str()
                } else {
                    unit.id.as_str()
                }
            })
            .collect::<Vec<_>>()
            .join("；")
    };
    let validity = site.validity(ix);
    vec![
        n.index_no.value.as_str().to_string(),
        n.title.clone(),
        issuers(true),
        issuers(false),
        n.doc_no.clone().unwrap_or_default(),
        n.date.to_string(),
        n.published.to_string(),
        n.genre.clone().unwrap_or_default(),
        n.topic.join("/"),
        n.keywords.join("；"),
        n.summary.clone().unwrap_or_default(),
        validity.label().to_string(),
        validity.key().to_string(),
        n.valid_from.map(|d| d.to_string()).unwrap_or_default(),
        n.valid_until.map(|d| d.to_string()).unwrap_or_default(),
        links.attachments.len().to_string(),
        urls::notice(&n.index_no.value),
    ]
}

/// `data/tasks.csv`: a row for each task, then one for each of its targets.
fn tasks_csv(site: &Site) -> Result<Vec<u8>, Diagnostic> {
    use crate::enums::Label;
    let names = |units: &[usize]| {
        units
            .iter()
            .map(|&u| site.units[u].name.as_str())
            .collect::<Vec<_>>()
            .join("；")
    };
    let mut rows = Vec::new();
    for (plan, links) in site.plans.iter().zip(&site.plan_links) {
        for (t, l) in plan.tasks().zip(&links.tasks) {
            let category = plan.categories.get(l.category);
            let row = |target: &str,
                       deadline: Option<&Deadline>,
                       progress: &Progress,
                       lead: &[usize],
                       partners: &[usize]| {
                vec![
                    plan.id.as_str().to_string(),
                    plan.title.clone(),
                    category.map(|c| c.number.clone()).unwrap_or_default(),
                    category.map(|c| c.name.clone()).unwrap_or_default(),
                    t.number.value.clone(),
                    t.content.clone(),
                    target.to_string(),
                    names(lead),
                    names(partners),
                    deadline.map(Deadline::written).unwrap_or_default(),
                    progress
                        .deadline_date
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                    progress.status.label().to_string(),
                    progress.status.key().to_string(),
                    progress.percent.to_string(),
                    if progress.overdue { "是" } else { "否" }.to_string(),
                ]
            };
            rows.push(row(
                "",
                t.deadline.as_ref(),
                &l.progress,
                &l.lead,
                &l.partners,
            ));
            for (target, tl) in t.targets.iter().zip(&l.targets) {
                rows.push(row(
                    &target.text,
                    target.deadline.as_ref().or(t.deadline.as_ref()),
                    &tl.progress,
                    &tl.lead,
                    &tl.partners,
                ));
            }
        }
    }
    csv_file(DataFile::TasksCsv.path(), TASK_COLUMNS, rows.into_iter())
}

/// Pretty JSON, one final newline.
fn json_bytes(path: &str, value: &impl Serialize) -> Result<Vec<u8>, Diagnostic> {
    let mut bytes = serde_json::to_vec_pretty(value).map_err(|e| {
        Diagnostic::at_path(
            crate::diagnostics::Code::WriteFailed,
            std::path::Path::new(path),
            crate::text!("cannot write JSON: {e}", "无法写出 JSON：{e}"),
        )
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// `/data/notices.json`, `/data/units.json` or `/data/bodies.json`.
fn open_data(site: &Site, file: DataFile, kept: Option<&Kept>) -> Result<Vec<u8>, Diagnostic> {
    let index_no = |ix: &usize| site.notices[*ix].index_no.value.as_str();
    if file == DataFile::Notices {
        return Ok(notices_json(site, kept));
    }
    if file == DataFile::Units {
        let units = UnitsFile {
            version: FORMAT_VERSION,
            as_of: site.as_of.date.to_string(),
            license: site.config.license.as_deref(),
            units: site
                .units
                .iter()
                .enumerate()
                .map(|(ix, u)| UnitRecord {
                    id: u.id.as_str(),
                    name: &u.name,
                    short_name: u.short_name.as_deref(),
                    aliases: &u.aliases,
                    kind: u.kind.key(),
                    parent: site.unit_links[ix]
                        .parent
                        .map(|p| site.units[p].id.as_str()),
                    website: u.website.as_deref(),
                    notices: site.unit_links[ix].notices.iter().map(index_no).collect(),
                    bodies: site.unit_links[ix]
                        .bodies
                        .iter()
                        .map(|m| membership_record(site, m))
                        .collect(),
                    url: urls::unit(u.id.as_str()),
                })
                .collect(),
        };
        return json_bytes(file.path(), &units);
    }
    let unit_id = |u: usize| site.units[u].id.as_str();
    let bodies = BodiesFile {
        version: FORMAT_VERSION,
        as_of: site.as_of.date.to_string(),
        license: site.config.license.as_deref(),
        bodies: site
            .bodies
            .iter()
            .zip(&site.body_links)
            .map(|(b, links)| BodyRecord {
                id: b.id.as_str(),
                name: &b.name,
                kind: b.kind.key(),
                established_by: links
                    .established_by
                    .map(|n| site.notices[n].index_no.value.as_str()),
                office: b
                    .office
                    .as_ref()
                    .zip(links.office)
                    .map(|(o, u)| OfficeRecord {
                        unit: unit_id(u),
                        note: o.note.as_deref(),
                    }),
                leaders: b
                    .leaders
                    .iter()
                    .zip(&links.leaders)
                    .map(|(l, u)| LeaderRecord {
                        role: &l.role,
                        title: &l.title,
                        unit: u.map(unit_id),
                    })
                    .collect(),
                members: b
                    .members
                    .iter()
                    .zip(&links.members)
                    .map(|(m, &u)| MemberRecord {
                        unit: unit_id(u),
                        duties: m.duties.as_deref(),
                    })
                    .collect(),
                rules: b.rules.as_deref(),
                url: urls::body(b.id.as_str()),
            })
            .collect(),
    };
    json_bytes(file.path(), &bodies)
}

#[derive(Serialize)]
struct ProgressFile<'a> {
    version: &'static str,
    as_of: String,
    license: Option<&'a str>,
    plans: Vec<PlanRecord<'a>>,
}

#[derive(Serialize)]
struct PlanRecord<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    body: Option<&'a str>,
    period: Option<PeriodRecord>,
    notes: Option<&'a str>,
    rollup: &'a Rollup,
    categories: Vec<CategoryRecord<'a>>,
    url: String,
}

#[derive(Serialize)]
struct PeriodRecord {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct CategoryRecord<'a> {
    /// 类号; empty for a plan without categories.
    number: &'a str,
    name: &'a str,
    rollup: &'a Rollup,
    tasks: Vec<TaskRecord<'a>>,
}

#[derive(Serialize)]
struct LeafFields<'a> {
    deadline: Option<String>,
    deadline_date: Option<String>,
    status: Status,
    percent: u8,
    overdue: bool,
    /// 序时进度 (share of time elapsed, 0–100), when the plan has a start and the
    /// deadline a date.
    expected_percent: Option<u8>,
    /// `ahead` 超进度 | `on_track` 达进度 | `behind` 欠进度.
    schedule: Option<crate::progress::Verdict>,
    lead: Vec<&'a str>,
    partners: Vec<&'a str>,
}

#[derive(Serialize)]
struct TaskRecord<'a> {
    number: &'a str,
    content: &'a str,
    #[serde(flatten)]
    leaf: LeafFields<'a>,
    targets: Vec<TargetRecord<'a>>,
    updates: Vec<UpdateRecord<'a>>,
}

#[derive(Serialize)]
struct TargetRecord<'a> {
    text: &'a str,
    #[serde(flatten)]
    leaf: LeafFields<'a>,
    updates: Vec<UpdateRecord<'a>>,
}

#[derive(Serialize)]
struct UpdateRecord<'a> {
    date: String,
    status: Status,
    percent: Option<u8>,
    by: Option<&'a str>,
    note: Option<&'a str>,
    sample: bool,
}

fn leaf_fields<'a>(
    site: &'a Site,
    deadline: Option<&Deadline>,
    progress: &Progress,
    lead: &[usize],
    partners: &[usize],
) -> LeafFields<'a> {
    LeafFields {
        deadline: deadline.map(Deadline::written),
        deadline_date: progress.deadline_date.map(|d| d.to_string()),
        status: progress.status,
        percent: progress.percent,
        overdue: progress.overdue,
        expected_percent: progress.schedule.map(|s| s.expected),
        schedule: progress.schedule.map(|s| s.verdict),
        lead: lead.iter().map(|&u| site.units[u].id.as_str()).collect(),
        partners: partners
            .iter()
            .map(|&u| site.units[u].id.as_str())
            .collect(),
    }
}

fn update_records<'a>(
    site: &'a Site,
    updates: &'a [Update],
    by: &[Option<usize>],
) -> Vec<UpdateRecord<'a>> {
    updates
        .iter()
        .zip(by)
        .map(|(u, b)| UpdateRecord {
            date: u.date.value.to_string(),
            status: u.status,
            percent: u.percent,
            by: b.map(|b| site.units[b].id.as_str()),
            note: u.note.as_deref(),
            sample: u.sample,
        })
        .collect()
}

/// `/data/progress.json`: every plan with status, percent, deadline date and overdue on
/// each task and target, and the roll-ups.
fn progress_data(site: &Site) -> Result<Vec<u8>, Diagnostic> {
    let plans = site
        .plans
        .iter()
        .zip(&site.plan_links)
        .map(|(plan, links)| {
            let tasks: Vec<_> = plan.tasks().zip(&links.tasks).collect();
            PlanRecord {
                id: plan.id.as_str(),
                title: &plan.title,
                source: links
                    .source
                    .map(|n| site.notices[n].index_no.value.as_str()),
                body: links.body.map(|b| site.bodies[b].id.as_str()),
                period: plan.period.map(|(s, e)| PeriodRecord {
                    start: s.to_string(),
                    end: e.to_string(),
                }),
                notes: plan.notes.as_deref(),
                rollup: &links.total,
                categories: plan
                    .categories
                    .iter()
                    .zip(&links.categories)
                    .enumerate()
                    .map(|(cx, (c, rollup))| CategoryRecord {
                        number: &c.number,
                        name: &c.name,
                        rollup,
                        tasks: tasks
                            .iter()
                            .filter(|(_, l)| l.category == cx)
                            .map(|(t, l)| TaskRecord {
                                number: &t.number.value,
                                content: &t.content,
                                leaf: leaf_fields(
                                    site,
                                    t.deadline.as_ref(),
                                    &l.progress,
                                    &l.lead,
                                    &l.partners,
                                ),
                                targets: t
                                    .targets
                                    .iter()
                                    .zip(&l.targets)
                                    .map(|(target, tl)| TargetRecord {
                                        text: &target.text,
                                        leaf: leaf_fields(
                                            site,
                                            target.deadline.as_ref().or(t.deadline.as_ref()),
                                            &tl.progress,
                                            &tl.lead,
                                            &tl.partners,
                                        ),
                                        updates: update_records(
                                            site,
                                            &target.updates,
                                            &tl.update_by,
                                        ),
                                    })
                                    .collect(),
                                updates: update_records(site, &t.updates, &l.update_by),
                            })
                            .collect(),
                    })
                    .collect(),
                url: urls::plan(plan.id.as_str()),
            }
        })
        .collect();
    json_bytes(
        DataFile::Progress.path(),
        &ProgressFile {
            version: FORMAT_VERSION,
            as_of: site.as_of.date.to_string(),
            license: site.config.license.as_deref(),
            plans,
        },
    )
}

fn membership_record<'a>(site: &'a Site, m: &crate::site::Membership) -> MembershipRecord<'a> {
    use crate::site::BodyRole;
    let body = &site.bodies[m.body];
    MembershipRecord {
        body: body.id.as_str(),
        roles: m
            .roles
            .iter()
            .map(|r| match r {
                BodyRole::Member(_) => "member",
                BodyRole::Office => "office",
                BodyRole::Leader(_) => "leader",
            })
            .collect(),
        duties: m.roles.iter().find_map(|r| match r {
            BodyRole::Member(i) => body.members[*i].duties.as_deref(),
            _ => None,
        }),
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `data/notices.json` as `serde_json`'s pretty printer writes the whole file.
    #[derive(Serialize)]
    struct NoticesFile<'a> {
        version: &'static str,
        as_of: String,
        license: Option<&'a str>,
        notices: Vec<NoticeRecord<'a>>,
    }

    fn whole_file(site: &Site) -> Vec<u8> {
        let file = NoticesFile {
            version: FORMAT_VERSION,
            as_of: site.as_of.date.to_string(),
            license: site.config.license.as_deref(),
            notices: (0..site.notices.len())
                .map(|ix| notice_record(site, ix))
                .collect(),
        };
        let mut bytes = serde_json::to_vec_pretty(&file).expect("serialises");
        bytes.push(b'\n');
        bytes
    }

    #[test]
    fn notices_csv_is_one_writers_file_with_or_without_kept_rows() {
        let mut options = crate::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.as_of = "2024-12-31".parse().ok();
        let (site, _) = crate::check(&options).expect("the example site checks");
        let rows = (0..site.notices.len()).map(|ix| notice_csv_row(&site, ix));
        let expected = csv_file(DataFile::NoticesCsv.path(), NOTICE_COLUMNS, rows).expect("writes");
        assert_eq!(notices_csv(&site, None).expect("csv"), expected);
        let kept = Kept::default();
        assert_eq!(
            notices_csv(&site, Some(&kept)).expect("csv"),
            expected,
            "filling kept"
        );
        assert_eq!(
            notices_csv(&site, Some(&kept)).expect("csv"),
            expected,
            "from kept rows"
        );
        assert_eq!(
            notices_csv_size(&site, Some(&kept)).expect("size"),
            expected.len()
        );
        assert_eq!(notices_csv_size(&site, None).expect("size"), expected.len());
    }

    #[test]
    fn notices_json_is_the_pretty_printers_file_with_or_without_kept_records() {
        let mut options = crate::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.as_of = "2024-12-31".parse().ok();
        let (site, _) = crate::check(&options).expect("the example site checks");
        assert!(site.notices.len() > 3);
        let expected = whole_file(&site);
        assert_eq!(notices_json(&site, None), expected);
        let kept = Kept::default();
        assert_eq!(
            notices_json(&site, Some(&kept)),
            expected,
            "first, filling kept"
        );
        assert_eq!(
            notices_json(&site, Some(&kept)),
            expected,
            "from kept records"
        );
        assert_eq!(notices_json_size(&site, Some(&kept)), expected.len());
        assert_eq!(notices_json_size(&site, None), expected.len());
        let mut empty = site;
        empty.notices.clear();
        empty.notice_links.clear();
        assert_eq!(notices_json(&empty, None), whole_file(&empty));
        assert_eq!(notices_json_size(&empty, None), whole_file(&empty).len());
    }
}
