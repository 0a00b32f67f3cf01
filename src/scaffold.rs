//! `gongkai new …`: scaffold a site or one content file, with every field and a Chinese
//! comment on each, and (for a notice) the next free 索引号.
//!
//! Values are written through serde (serde-saphyr), never formatted by hand, so a title
//! with `:` or quotes comes back as written; the comments come from the field
//! descriptions of the JSON Schemas ([`crate::schema`]), so the file, the schema and the
//! loader describe the same fields in the same words. Every file is read back and compared
//! with what was meant before it is written, and an existing file is never overwritten.

use crate::diagnostics::{Lang, Text};
use crate::text;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::Serialize;
use serde_json::Value;

use crate::content::ids::{BodyId, PlanId, UnitId, id_problem};
use crate::content::notice::IndexNo;
use crate::content::unit::is_valid_index_prefix;
use crate::enums::Key;
use crate::schema::Kind;

/// What `gongkai new` makes.
#[derive(Debug, clap::Subcommand)]
pub enum New {
    /// A minimal working site in DIR: site.yaml, one unit, one notice, one page, and the
    /// schemas; `gongkai check` and `build` pass on it.
    Site {
        /// Folder of the new site root (created if missing; must not hold a site yet).
        dir: PathBuf,
        /// Site title (站点名称).
        #[arg(long, default_value = "政府信息公开")]
        title: String,
    },
    /// A notice with the issuer's next free 索引号, in content/notices/YEAR/.
    Notice {
        /// 发布机构: the id of the issuing unit.
        #[arg(long)]
        issuer: String,
        /// 标题.
        #[arg(long)]
        title: String,
        /// 发文日期 (YYYY-MM-DD) [default: today].
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// 索引号 to use instead of the next free one.
        #[arg(long)]
        index_no: Option<String>,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A unit: content/units/ID.yaml.
    Unit {
        /// The unit's id (file stem): lowercase ASCII letters, digits and `-`.
        id: String,
        /// 名称: the full official name.
        #[arg(long)]
        name: String,
        /// 单位类型 (government, department, …) [default: other].
        #[arg(long)]
        kind: Option<String>,
        /// 上级单位: id of an existing unit.
        #[arg(long)]
        parent: Option<String>,
        /// 索引号前缀 of the notices it issues (k12498411).
        #[arg(long)]
        index_prefix: Option<String>,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A coordinating body: content/bodies/ID.yaml.
    Body {
        /// The body's id (file stem).
        id: String,
        /// 名称.
        #[arg(long)]
        name: String,
        /// 机构类型 (joint_conference, leading_group, other) [default: other].
        #[arg(long)]
        kind: Option<String>,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A task-decomposition plan: content/progress/ID.yaml.
    Plan {
        /// The plan's id (file stem).
        id: String,
        /// 标题.
        #[arg(long)]
        title: String,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A work-news item: content/news/SLUG.md.
    News {
        /// The item's id (file stem).
        slug: String,
        /// 标题.
        #[arg(long)]
        title: String,
        /// 日期 (YYYY-MM-DD) [default: today].
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A 依申请公开 application: content/applications/ID.yaml (never published).
    Application {
        /// The application's id (file stem), e.g. 2024-005.
        id: String,
        /// 申请人类型 (natural_person, business, research, public_interest, legal_service, other).
        #[arg(long)]
        applicant: String,
        /// 收到申请日期 (YYYY-MM-DD) [default: today].
        #[arg(long, value_parser = parse_date)]
        received: Option<Date>,
        /// Site root: the folder holding content/site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

impl New {
    /// The language to report in: the site's (Chinese for a new site).
    pub fn language(&self) -> Lang {
        match self {
            New::Site { .. } => Lang::Zh,
            New::Notice { root, .. }
            | New::Unit { root, .. }
            | New::Body { root, .. }
            | New::Plan { root, .. }
            | New::News { root, .. }
            | New::Application { root, .. } => crate::config::site_language(root),
        }
    }
}

/// Carries out `gongkai new …`; returns the paths written (relative to the working
/// folder, as given), or why nothing was written.
pub fn run(new: &New) -> Result<Vec<PathBuf>, Text> {
    let today = || jiff::Zoned::now().date();
    match new {
        New::Site { dir, title } => new_site(dir, title, today()),
        New::Notice {
            issuer,
            title,
            date,
            index_no,
            root,
        } => new_notice(
            root,
            issuer,
            title,
            date.unwrap_or_else(today),
            index_no.as_deref(),
        )
        .map(|p| vec![p]),
        New::Unit {
            id,
            name,
            kind,
            parent,
            index_prefix,
            root,
        } => new_unit(
            root,
            id,
            name,
            kind.as_deref(),
            parent.as_deref(),
            index_prefix.as_deref(),
        )
        .map(|p| vec![p]),
        New::Body {
            id,
            name,
            kind,
            root,
        } => new_body(root, id, name, kind.as_deref()).map(|p| vec![p]),
        New::Plan { id, title, root } => new_plan(root, id, title).map(|p| vec![p]),
        New::News {
            slug,
            title,
            date,
            root,
        } => new_news(root, slug, title, date.unwrap_or_else(today)).map(|p| vec![p]),
        New::Application {
            id,
            applicant,
            received,
            root,
        } => new_application(root, id, applicant, received.unwrap_or_else(today)).map(|p| vec![p]),
    }
}

/// A YAML document being written: values through serde, a comment on every key line.
struct Doc {
    kind: Kind,
    lines: Vec<String>,
    /// What the uncommented part must read back as.
    expected: serde_json::Map<String, Value>,
    comments: BTreeMap<String, String>,
}

impl Doc {
    /// A document for a file at `relative` (from the site root), starting with the line
    /// that tells the YAML language server its schema (relative to the file).
    fn new(kind: Kind, relative: &Path) -> Doc {
        let depth = relative.components().count().saturating_sub(1);
        let schema = format!(
            "{}{}/{}",
            "../".repeat(depth),
            crate::schema::DEFAULT_DIR,
            kind.file_name()
        );
        Doc {
            kind,
            lines: vec![format!("# yaml-language-server: $schema={schema}")],
            expected: serde_json::Map::new(),
            comments: field_comments(&kind.schema()),
        }
    }

    /// Writes `key: value`.
    fn field<T: Serialize>(&mut self, key: &str, value: T) -> Result<(), Text> {
        let json = serde_json::to_value(&value)
            .map_err(|e| text!("cannot write YAML: {e}", "无法写出 YAML：{e}"))?;
        self.expected.insert(key.to_string(), json);
        self.emit(key, &value, "")
    }

    /// Writes `# key: example`: an optional field left out, shown with an example.
    fn optional<T: Serialize>(&mut self, key: &str, example: T) -> Result<(), Text> {
        self.emit(key, &example, "# ")
    }

    /// Serialises `{key: value}` itself (not through a JSON value, which would sort the
    /// keys of nested examples) and comments each key line.
    fn emit<T: Serialize>(&mut self, key: &str, value: &T, prefix: &str) -> Result<(), Text> {
        let options = serde_saphyr::ser_options! {
            prefer_block_scalars: false,
            compact_list_indent: false,
        };
        let single = BTreeMap::from([(key, value)]);
        let yaml = serde_saphyr::to_string_with_options(&single, options).map_err(|e| {
            text!(
                "cannot write `{key}` as YAML: {e}",
                "无法把 `{key}` 写成 YAML：{e}"
            )
        })?;
        // Every scalar is on one line (no block scalars), so a line that starts with
        // `key:` (after its indent and any `- `) is a key of the path its indent gives.
        let mut path: Vec<(usize, String)> = Vec::new();
        for line in yaml.lines() {
            let body = line.trim_start_matches([' ', '-']);
            let indent = line.len() - body.len();
            let key_here = body
                .split_once(':')
                .map(|(k, _)| k)
                .filter(|k| k.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            let mut text = format!("{prefix}{line}");
            if let Some(k) = key_here {
                while path.last().is_some_and(|(i, _)| *i >= indent) {
                    path.pop();
                }
                path.push((indent, k.to_string()));
                let dotted: Vec<&str> = path.iter().map(|(_, k)| k.as_str()).collect();
                if let Some(comment) = self.comments.get(&dotted.join(".")) {
                    text = format!("{text}  # {comment}");
                }
            }
            self.lines.push(text);
        }
        Ok(())
    }

    /// The YAML text, checked to read back as the values written.
    fn yaml(&self) -> Result<String, Text> {
        let mut text = self.lines.join("\n");
        text.push('\n');
        let back: Value = serde_saphyr::from_str(&text).map_err(|e| {
            text!(
                "internal error: the scaffold is not valid YAML: {e}",
                "内部错误：生成的文件不是有效的 YAML：{e}"
            )
        })?;
        if back != Value::Object(self.expected.clone()) {
            let kind = format!("{:?}", self.kind);
            return Err(text!(
                "internal error: the scaffolded {kind} does not read back as written:\n{text}",
                "内部错误：生成的 {kind} 读回后与写入的不同：\n{text}"
            ));
        }
        Ok(text)
    }
}

/// Each field's description in a schema, by dotted path (`members.unit`), following
/// `$ref`s into `$defs` (also inside arrays and `anyOf` with null).
fn field_comments(schema: &Value) -> BTreeMap<String, String> {
    fn walk(node: &Value, defs: &Value, prefix: &str, out: &mut BTreeMap<String, String>) {
        let Some(properties) = node["properties"].as_object() else {
            return;
        };
        for (name, field) in properties {
            let path = format!("{prefix}{name}");
            if let Some(d) = field["description"].as_str() {
                out.insert(path.clone(), d.to_string());
            }
            if prefix.matches('.').count() > 4 {
                continue;
            }
            let mut targets = vec![field, &field["items"]];
            if let Some(any) = field["anyOf"].as_array() {
                targets.extend(any.iter().flat_map(|a| [a, &a["items"]]));
            }
            for target in targets {
                if let Some(name) = target["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix("#/$defs/"))
                {
                    walk(&defs[name], defs, &format!("{path}."), out);
                }
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(schema, &schema["$defs"], "", &mut out);
    out
}

/// Writes `text` to `root/relative`, creating folders, refusing to replace a file.
fn create(root: &Path, relative: &Path, text: &str) -> Result<PathBuf, Text> {
    let path = root.join(relative);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            let shown = parent.display();
            text!("cannot create {shown}: {e}", "无法创建 {shown}：{e}")
        })?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            let shown = path.display();
            match e.kind() {
                std::io::ErrorKind::AlreadyExists => text!(
                    "{shown} already exists; not overwritten",
                    "{shown} 已存在，未覆盖"
                ),
                _ => text!("cannot create {shown}: {e}", "无法创建 {shown}：{e}"),
            }
        })?;
    file.write_all(text.as_bytes()).map_err(|e| {
        let shown = path.display();
        text!("cannot write {shown}: {e}", "无法写入 {shown}：{e}")
    })?;
    if !root.join(crate::schema::DEFAULT_DIR).is_dir() {
        eprintln!(
            "note: {} has no schemas/ folder for editors: run `gongkai schema --root {}`",
            root.display(),
            root.display()
        );
    }
    Ok(path)
}

/// A Markdown file: the document as front matter, then the body.
fn markdown(doc: &Doc, body: &str) -> Result<String, Text> {
    Ok(format!("---\n{}---\n{body}", doc.yaml()?))
}

fn require_site(root: &Path) -> Result<(), Text> {
    if root.join(crate::config::SITE_FILE).is_file() {
        Ok(())
    } else {
        let (shown, file) = (root.display(), crate::config::SITE_FILE);
        Err(text!(
            "{shown} is not a site root: it has no {file} (start one with `gongkai new site DIR`)",
            "{shown} 不是站点根目录：没有 {file}（用 `gongkai new site 目录` 新建一个）"
        ))
    }
}

fn non_empty<'a>(what: &str, text: &'a str) -> Result<&'a str, Text> {
    let text = text.trim();
    if text.is_empty() {
        Err(text!("{what} must not be empty", "{what} 不能为空"))
    } else {
        Ok(text)
    }
}

fn unit_exists(root: &Path, id: &str) -> Result<(), Text> {
    if root.join(format!("content/units/{id}.yaml")).is_file() {
        Ok(())
    } else {
        Err(text!(
            "there is no unit `{id}` (content/units/{id}.yaml): write it first with `gongkai new unit {id} --name …`",
            "没有单位 `{id}`（content/units/{id}.yaml）：先用 `gongkai new unit {id} --name …` 新建"
        ))
    }
}

/// A key of an enum, checked through the same serde parse the loader uses.
fn enum_key<T: serde::de::DeserializeOwned>(
    what: &str,
    key: &str,
    keys: &[&str],
) -> Result<String, Text> {
    match crate::content::parse_key::<T>(key) {
        Some(_) => Ok(key.to_string()),
        None => {
            let keys = keys.join(", ");
            Err(text!(
                "unknown {what} `{key}`: one of {keys}",
                "未知的 {what} `{key}`：应为 {keys} 之一"
            ))
        }
    }
}

/// A 索引号 split as `prefix/year-sequence`, with the number of digits of the sequence.
struct Numbered<'a> {
    prefix: &'a str,
    year: i16,
    sequence: u64,
    width: usize,
}

fn numbered(index_no: &str) -> Option<Numbered<'_>> {
    let (prefix, rest) = index_no.rsplit_once('/')?;
    let (year, sequence) = rest.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if prefix.is_empty() || year.len() != 4 || !digits(year) || !digits(sequence) {
        return None;
    }
    Some(Numbered {
        prefix,
        year: year.parse().ok()?,
        sequence: sequence.parse().ok()?,
        width: sequence.len(),
    })
}

/// Digits of a sequence number when no 索引号 with the prefix exists yet
/// (`k12498411/2014-00065`: five, as the example site and most offices write them).
const DEFAULT_WIDTH: usize = 5;

/// The next free 索引号 of `issuer` for `year`: `prefix/year-sequence`.
///
/// The prefix is the unit's `index_prefix:` when it has one (a declared code wins, e.g.
/// after a 组织机构代码 was replaced by a 统一社会信用代码), else that of the latest notice
/// the unit issued first (a joint notice carries its lead issuer's number). The sequence
/// is one more than the highest number of any notice of the site with that prefix and
/// year, whoever issued it (several units may share an office's prefix, and 索引号 are
/// unique in the site); its width is that of the numbers already there with that prefix,
/// else five digits.
pub(crate) fn next_index_no(
    notices: &[std::sync::Arc<crate::content::notice::Notice>],
    unit: &crate::content::unit::Unit,
    year: i16,
) -> Result<String, Text> {
    let latest_own = notices
        .iter()
        .filter(|n| {
            n.issuers
                .first()
                .is_some_and(|i| i.value == unit.id.as_str())
        })
        .filter_map(|n| numbered(n.index_no.value.as_str()).map(|no| (n.date, no)))
        .max_by(|a, b| (a.0, a.1.year, a.1.sequence).cmp(&(b.0, b.1.year, b.1.sequence)));
    let prefix = match (&unit.index_prefix, &latest_own) {
        (Some(prefix), _) => prefix.as_str(),
        (None, Some((_, no))) => no.prefix,
        (None, None) => {
            let id = &unit.id;
            return Err(text!(
                "unit `{id}` has issued no notice with a 索引号 of the form prefix/year-number and has no `index_prefix:`: add `index_prefix:` to content/units/{id}.yaml, or pass --index-no",
                "单位 `{id}` 还没有发布过“前缀/年份-序号”形式索引号的文件，也没有 `index_prefix:`：请在 content/units/{id}.yaml 中加上 `index_prefix:`，或用 --index-no 指定"
            ));
        }
    };
    let same_prefix: Vec<Numbered<'_>> = notices
        .iter()
        .filter_map(|n| numbered(n.index_no.value.as_str()))
        .filter(|no| no.prefix == prefix)
        .collect();
    let width = same_prefix
        .iter()
        .map(|no| no.width)
        .max()
        .unwrap_or(DEFAULT_WIDTH);
    let next = same_prefix
        .iter()
        .filter(|no| no.year == year)
        .map(|no| no.sequence)
        .max()
        .unwrap_or(0)
        + 1;
    Ok(format!("{prefix}/{year:04}-{next:0width$}"))
}

fn new_notice(
    root: &Path,
    issuer: &str,
    title: &str,
    date: Date,
    index_no: Option<&str>,
) -> Result<PathBuf, Text> {
    require_site(root)?;
    let title = non_empty("--title", title)?;
    let (content, diagnostics) = crate::content::load(root);
    let Some(content) = content else {
        let (en, zh) = (
            diagnostics.error_lines(Lang::En),
            diagnostics.error_lines(Lang::Zh),
        );
        return Err(text!(
            "cannot read the site's settings:\n{en}",
            "无法读取站点设置：\n{zh}"
        ));
    };
    let Some(unit) = content.units.iter().find(|u| u.id.as_str() == issuer) else {
        unit_exists(root, issuer)?;
        return Err(text!(
            "unit `{issuer}` does not load: run `gongkai check` to see why",
            "单位 `{issuer}` 无法读取：运行 `gongkai check` 查看原因"
        ));
    };
    let index_no = match index_no {
        Some(given) => given.trim().to_string(),
        None => next_index_no(&content.notices, unit, date.year())?,
    };
    let parsed = IndexNo::parse(&index_no)?;
    if let Some(taken) = content
        .notices
        .iter()
        .find(|n| n.index_no.value.slug().eq_ignore_ascii_case(&parsed.slug()))
    {
        let by = taken.file.path.display();
        return Err(text!(
            "索引号 `{index_no}` is taken by {by}",
            "索引号 `{index_no}` 已被 {by} 使用"
        ));
    }
    if let Some(pattern) = &content.config.index_no_pattern
        && !pattern.is_match(&index_no)
    {
        return Err(text!(
            "索引号 `{index_no}` does not match the site's index_no_pattern `{pattern}`: pass --index-no, or set the unit's index_prefix",
            "索引号 `{index_no}` 不符合站点的 index_no_pattern `{pattern}`：请用 --index-no 指定，或设置单位的 index_prefix"
        ));
    }
    let relative = PathBuf::from(format!(
        "content/notices/{:04}/{}.md",
        date.year(),
        parsed.slug()
    ));
    let mut doc = Doc::new(Kind::Notice, &relative);
    doc.field("index_no", &index_no)?;
    doc.field("title", title)?;
    doc.field("issuer", issuer)?;
    doc.optional("doc_no", "连政办发〔2014〕67号")?;
    doc.field("date", date.to_string())?;
    doc.optional("published", date.to_string())?;
    doc.optional("genre", "通知")?;
    doc.optional("topic", "科技、教育/知识产权")?;
    doc.optional("keywords", ["知识产权"])?;
    doc.optional("summary", "内容概述……")?;
    doc.field("validity", "effective")?;
    doc.optional("valid_from", date.to_string())?;
    doc.optional("valid_until", "2029-12-31")?;
    doc.optional("supersedes", ["k12498411/2010-00012"])?;
    doc.optional("related", ["k12498411/2014-00066"])?;
    doc.optional("interprets", ["k12498411/2014-00060"])?;
    doc.optional(
        "category",
        crate::content::notice::Category::Normative.key(),
    )?;
    doc.optional("repealed_on", "2029-12-31")?;
    doc.optional(
        "attachments",
        [AttachmentExample {
            title: "附件名称",
            file: "attachments/2014/x.pdf",
        }],
    )?;
    doc.field("draft", false)?;
    create(root, &relative, &markdown(&doc, "\n")?)
}

/// One entry of `attachments:`, in the field order of the schema.
#[derive(Serialize)]
struct AttachmentExample {
    title: &'static str,
    file: &'static str,
}

/// `period:`.
#[derive(Serialize)]
struct PeriodExample {
    start: &'static str,
    end: &'static str,
}

fn unit_doc(
    relative: &Path,
    name: &str,
    kind: &str,
    parent: Option<&str>,
    index_prefix: Option<&str>,
) -> Result<Doc, Text> {
    let mut doc = Doc::new(Kind::Unit, relative);
    doc.field("name", name)?;
    doc.optional("short_name", "市科技局")?;
    doc.optional("aliases", ["市知识产权局"])?;
    doc.field("kind", kind)?;
    match parent {
        Some(parent) => doc.field("parent", parent)?,
        None => doc.optional("parent", "lyg-gov")?,
    }
    doc.optional("website", "https://www.example.gov.cn/")?;
    match index_prefix {
        Some(prefix) => doc.field("index_prefix", prefix)?,
        None => doc.optional("index_prefix", "k12498411")?,
    }
    Ok(doc)
}

fn new_unit(
    root: &Path,
    id: &str,
    name: &str,
    kind: Option<&str>,
    parent: Option<&str>,
    index_prefix: Option<&str>,
) -> Result<PathBuf, Text> {
    require_site(root)?;
    let id = UnitId::parse(id)?;
    let name = non_empty("--name", name)?;
    let keys = crate::content::unit::UnitKind::LISTED.map(crate::content::unit::UnitKind::key);
    let kind =
        enum_key::<crate::content::unit::UnitKind>("unit kind", kind.unwrap_or("other"), &keys)?;
    if let Some(parent) = parent {
        unit_exists(root, parent)?;
    }
    if let Some(prefix) = index_prefix
        && !is_valid_index_prefix(prefix)
    {
        return Err(text!(
            "--index-prefix `{prefix}` must be 1–64 ASCII letters, digits, `.`, `_` or `-`",
            "--index-prefix `{prefix}` 须为 1–64 个 ASCII 字母、数字、`.`、`_` 或 `-`"
        ));
    }
    let relative = PathBuf::from(format!("content/units/{id}.yaml"));
    let doc = unit_doc(&relative, name, &kind, parent, index_prefix)?;
    create(root, &relative, &doc.yaml()?)
}

/// One entry of `members:`, in the field order of the schema.
#[derive(Serialize)]
struct MemberExample {
    unit: &'static str,
    duties: &'static str,
}

/// One entry of `leaders:`.
#[derive(Serialize)]
struct LeaderExample {
    role: &'static str,
    title: &'static str,
    unit: &'static str,
}

/// `office:`.
#[derive(Serialize)]
struct OfficeExample {
    unit: &'static str,
    note: &'static str,
}

fn new_body(root: &Path, id: &str, name: &str, kind: Option<&str>) -> Result<PathBuf, Text> {
    require_site(root)?;
    let id = BodyId::parse(id)?;
    let name = non_empty("--name", name)?;
    let kind = enum_key::<crate::content::body::BodyKind>(
        "body kind",
        kind.unwrap_or("other"),
        &crate::content::body::BodyKind::keys(),
    )?;
    let relative = PathBuf::from(format!("content/bodies/{id}.yaml"));
    let mut doc = Doc::new(Kind::Body, &relative);
    doc.field("name", name)?;
    doc.field("kind", kind)?;
    doc.optional("established_by", "k12498411/2014-00065")?;
    doc.optional(
        "office",
        OfficeExample {
            unit: "lyg-kjj",
            note: "联席会议办公室设在市科技局（知识产权局）",
        },
    )?;
    doc.optional(
        "leaders",
        [LeaderExample {
            role: "召集人",
            title: "市政府分管副市长",
            unit: "lyg-gov",
        }],
    )?;
    doc.optional(
        "members",
        [MemberExample {
            unit: "lyg-kjj",
            duties: "负责联席会议的日常工作。",
        }],
    )?;
    doc.optional("rules", "联席会议原则上每年召开1次。")?;
    create(root, &relative, &doc.yaml()?)
}

/// One progress report, in the field order of the schema.
#[derive(Serialize)]
struct UpdateExample {
    date: &'static str,
    status: &'static str,
    percent: u8,
    by: &'static str,
    note: &'static str,
    sample: bool,
}

/// One target of a task.
#[derive(Serialize)]
struct TargetExample {
    text: &'static str,
    deadline: &'static str,
    lead: [&'static str; 1],
    partners: [&'static str; 1],
    updates: [UpdateExample; 1],
}

/// One task.
#[derive(Serialize)]
struct TaskExample {
    number: u32,
    content: &'static str,
    lead: [&'static str; 1],
    partners: [&'static str; 1],
    deadline: &'static str,
    targets: [TargetExample; 1],
    updates: [UpdateExample; 1],
}

/// One category, with a task of the required fields only (the full task is shown
/// under `tasks:`).
#[derive(Serialize)]
struct CategoryExample {
    number: &'static str,
    name: &'static str,
    tasks: [ShortTaskExample; 1],
}

/// A task with its required fields.
#[derive(Serialize)]
struct ShortTaskExample {
    number: u32,
    content: &'static str,
    lead: [&'static str; 1],
}

fn update_example() -> UpdateExample {
    UpdateExample {
        date: "2024-06-30",
        status: "in_progress",
        percent: 40,
        by: "lyg-kjj",
        note: "已完成初稿。",
        sample: false,
    }
}

fn new_plan(root: &Path, id: &str, title: &str) -> Result<PathBuf, Text> {
    require_site(root)?;
    let id = PlanId::parse(id)?;
    let title = non_empty("--title", title)?;
    let relative = PathBuf::from(format!("content/progress/{id}.yaml"));
    let mut doc = Doc::new(Kind::Plan, &relative);
    doc.field("title", title)?;
    doc.optional("source", "007482947/2007-00025")?;
    doc.optional("body", "lyg-ip-joint-conference")?;
    doc.optional(
        "period",
        PeriodExample {
            start: "2024-01-01",
            end: "2024-12-31",
        },
    )?;
    doc.optional(
        "categories",
        [CategoryExample {
            number: "一",
            name: "项目分类",
            tasks: [ShortTaskExample {
                number: 1,
                content: "工作内容……",
                lead: ["lyg-kjj"],
            }],
        }],
    )?;
    doc.field("tasks", Vec::<Value>::new())?;
    doc.optional("tasks", [task_example()])?;
    doc.optional("notes", "备注……")?;
    create(root, &relative, &doc.yaml()?)
}

fn task_example() -> TaskExample {
    TaskExample {
        number: 1,
        content: "工作内容……",
        lead: ["lyg-kjj"],
        partners: ["lyg-czj"],
        deadline: "2024-12",
        targets: [TargetExample {
            text: "目标要求……",
            deadline: "2024-06",
            lead: ["lyg-kjj"],
            partners: ["lyg-czj"],
            updates: [update_example()],
        }],
        updates: [update_example()],
    }
}

fn news_text(relative: &Path, title: &str, date: Date) -> Result<String, Text> {
    let mut doc = Doc::new(Kind::News, relative);
    doc.field("title", title)?;
    doc.field("date", date.to_string())?;
    doc.optional("source", "市科技局")?;
    doc.field("draft", false)?;
    markdown(&doc, "\n")
}

fn new_news(root: &Path, slug: &str, title: &str, date: Date) -> Result<PathBuf, Text> {
    require_site(root)?;
    if let Some(problem) = id_problem(slug) {
        return Err(problem);
    }
    let title = non_empty("--title", title)?;
    let relative = PathBuf::from(format!("content/news/{slug}.md"));
    create(root, &relative, &news_text(&relative, title, date)?)
}

/// An application received on `received`, still open: the optional fields are shown
/// commented out, the reply with an example outcome. No field for personal data exists.
fn new_application(
    root: &Path,
    id: &str,
    applicant: &str,
    received: Date,
) -> Result<PathBuf, Text> {
    use crate::content::application::{Applicant, ApplicationId, Channel, Outcome};
    require_site(root)?;
    let id = ApplicationId::parse(id)?;
    let applicant = enum_key::<Applicant>("applicant", applicant, &Applicant::keys())?;
    let relative = PathBuf::from(format!("content/applications/{id}.yaml"));
    let mut doc = Doc::new(Kind::Application, &relative);
    doc.lines.push(
        "# 依申请公开登记：只用于统计和答复期限提醒，从不发布；不得记录姓名、电话、地址等个人信息"
            .into(),
    );
    doc.field("received", received.to_string())?;
    doc.field("applicant", applicant)?;
    doc.optional("channel", Channel::Online.key())?;
    doc.optional("corrected", received.to_string())?;
    doc.optional("extended", true)?;
    doc.optional("third_party_days", 0)?;
    doc.optional("replied", received.to_string())?;
    doc.optional("outcome", Outcome::Disclosed.key())?;
    create(root, &relative, &doc.yaml()?)
}

/// One holiday of the `holidays:` example.
#[derive(Serialize)]
struct HolidayExample {
    name: &'static str,
    from: &'static str,
    to: &'static str,
}

/// One year of the `holidays:` example.
#[derive(Serialize)]
struct HolidayYearExample {
    holidays: [HolidayExample; 1],
    workdays: [&'static str; 1],
}

/// `holidays:` for new site.yaml files: the shape of a year, with placeholder dates to
/// replace by the State Council's notice (this is not 2027's arrangement).
fn holidays_example() -> BTreeMap<u16, HolidayYearExample> {
    BTreeMap::from([(
        2027,
        HolidayYearExample {
            holidays: [HolidayExample {
                name: "国庆节",
                from: "2027-10-01",
                to: "2027-10-07",
            }],
            workdays: ["2027-10-09"],
        },
    )])
}

/// One column's limit in the `columns:` example.
#[derive(Serialize)]
struct ColumnExample {
    max_age_days: u32,
}

/// `columns:` for new site.yaml files: the defaults `check --inspection` applies anyway.
fn columns_example() -> BTreeMap<&'static str, ColumnExample> {
    BTreeMap::from([
        (
            "news",
            ColumnExample {
                max_age_days: crate::inspection::NEWS_MAX_AGE_DAYS,
            },
        ),
        (
            "notices",
            ColumnExample {
                max_age_days: crate::inspection::NOTICES_MAX_AGE_DAYS,
            },
        ),
    ])
}

/// `inspection:` for new site.yaml files: the default, the same day.
#[derive(Serialize, Default)]
struct InspectionExample {
    interpretation_within_days: u32,
}

/// The id of the one unit `new site` writes.
const SITE_UNIT: &str = "office";
/// Its 索引号 prefix: a placeholder to replace with the office's own code.
const SITE_PREFIX: &str = "000000000";

fn new_site(dir: &Path, title: &str, today: Date) -> Result<Vec<PathBuf>, Text> {
    let title = non_empty("--title", title)?;
    let site = Path::new(crate::config::SITE_FILE);
    let unit = PathBuf::from(format!("content/units/{SITE_UNIT}.yaml"));
    let page = Path::new("content/pages/guide.md");
    for relative in [site, unit.as_path(), page] {
        if dir.join(relative).exists() {
            let shown = dir.join(relative);
            let shown = shown.display();
            return Err(text!(
                "{shown} already exists; not overwritten",
                "{shown} 已存在，未覆盖"
            ));
        }
    }
    let mut written = crate::schema::write(&dir.join(crate::schema::DEFAULT_DIR))?;

    let mut doc = Doc::new(Kind::Site, site);
    doc.field("title", title)?;
    doc.field("language", "zh-CN")?;
    doc.optional("base_url", "https://www.example.gov.cn/")?;
    doc.optional("owner", "某某办公室")?;
    doc.optional("site_code", "0000000000")?;
    doc.optional("icp", "京ICP备00000000号")?;
    doc.optional("organizer", "某某办公室")?;
    doc.optional(
        "contact",
        crate::config::Contact {
            address: Some("某市某路1号".into()),
            phone: Some("000-00000000".into()),
            email: Some("gongkai@example.gov.cn".into()),
            hours: Some("工作日 9:00-17:00".into()),
        },
    )?;
    doc.optional("police_record", "京公网安备 00000000000000号")?;
    doc.optional("party_gov_mark", "assets/dzjg.png")?;
    doc.optional("party_gov_mark_url", "https://bszs.conac.cn/")?;
    doc.optional("feedback_url", "mailto:gongkai@example.gov.cn")?;
    doc.optional("license", "CC-BY-4.0")?;
    doc.field("index_no_pattern", r"^[0-9A-Za-z._-]+/\d{4}-\d{5}$")?;
    doc.optional("as_of", today.to_string())?;
    doc.field("unsafe_html", false)?;
    doc.optional("limits", crate::limits::Limits::default())?;
    doc.optional("holidays", holidays_example())?;
    doc.optional("columns", columns_example())?;
    doc.optional("inspection", InspectionExample::default())?;
    written.push(create(dir, site, &doc.yaml()?)?);

    let doc = unit_doc(&unit, "信息公开办公室", "other", None, Some(SITE_PREFIX))?;
    written.push(create(dir, &unit, &doc.yaml()?)?);

    let mut doc = Doc::new(Kind::Page, page);
    doc.field("title", "政府信息公开指南")?;
    doc.optional(
        "summary",
        "本站公开的信息范围、公开方式和依申请公开的办理程序。",
    )?;
    doc.field("order", 1)?;
    // The 信息公开 landing page links the 公开指南 column to it.
    doc.field("column", "guide")?;
    written.push(create(
        dir,
        page,
        &markdown(
            &doc,
            "\n根据《中华人民共和国政府信息公开条例》，编制本指南。\n",
        )?,
    )?);

    written.push(new_notice(
        dir,
        SITE_UNIT,
        "关于开通政府信息公开网站的通知",
        today,
        None,
    )?);
    Ok(written)
}

/// `--date` for clap, whose own messages are English.
fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    crate::time::parse_date(text).map_err(|e| e.en().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_index_numbers() {
        let no = numbered("k12498411/2014-00065").expect("numbered");
        assert_eq!(
            (no.prefix, no.year, no.sequence, no.width),
            ("k12498411", 2014, 65, 5)
        );
        assert!(numbered("k1/14-1").is_none());
        assert!(numbered("/2014-1").is_none());
        assert!(numbered("k1/2014-").is_none());
        assert!(numbered("k1-2014-1").is_none());
    }

    #[test]
    fn comments_reach_nested_fields() {
        let comments = field_comments(&Kind::Plan.schema());
        assert!(comments["tasks.updates.status"].contains("状态"));
        assert!(comments["categories.tasks.number"].contains("序号"));
        let comments = field_comments(&Kind::Body.schema());
        assert!(comments["members.duties"].contains("职责分工"));
    }

    #[test]
    fn awkward_titles_round_trip() {
        for title in [
            "关于\"某某\"的通知: 第一号",
            "'单引号' # 不是注释",
            "yes",
            "2024",
            "- 列表？",
            "a: b\nc: d",
        ] {
            let relative = Path::new("content/news/x.md");
            let text = news_text(relative, title, Date::constant(2024, 1, 2)).expect("news");
            let file = crate::source::SourceFile::new(relative.into(), text);
            let front = file.front_matter().expect("front matter");
            let back: Value = serde_saphyr::from_str(&front.yaml).expect("yaml");
            assert_eq!(back["title"], title, "{}", file.text);
        }
    }
}
