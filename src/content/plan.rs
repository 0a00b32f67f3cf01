//! Progress plans (`content/progress/<id>.yaml`): a 工作分解表 as published — categories
//! (类号 + 项目分类), tasks (序号, 工作内容, 负责单位, 参与单位, 工作进度), their targets
//! (目标要求) — and the progress reported against it.

use std::fmt;

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, Text as Message, unknown_value};
use crate::enums::{Key, Label};
use crate::source::{Located, Position, SourceFile};
use crate::text;
use crate::time::{Deadline, located_date, parse_date};

pub use super::ids::PlanId;

/// A reported status of a task or target. Read through serde, so the keys accepted are
/// those of the schema.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[schemars(title = "状态", description = "进展状态")]
pub enum Status {
    /// 未启动.
    #[strum(message = "未启动")]
    #[schemars(title = Status::NotStarted.label(), description = "未启动")]
    NotStarted,
    /// 推进中.
    #[strum(message = "推进中")]
    #[schemars(title = Status::InProgress.label(), description = "推进中")]
    InProgress,
    /// 已完成.
    #[strum(message = "已完成")]
    #[schemars(title = Status::Done.label(), description = "已完成")]
    Done,
    /// 滞后.
    #[strum(message = "滞后")]
    #[schemars(title = Status::Delayed.label(), description = "滞后")]
    Delayed,
    /// 暂停.
    #[strum(message = "暂停")]
    #[schemars(title = Status::Suspended.label(), description = "暂停")]
    Suspended,
}

impl Status {
    /// Every status, in the order summaries list them: not the declaration order of
    /// [`strum::VariantArray`], which the schema keeps.
    pub const SUMMARY: [Status; 5] = [
        Status::Done,
        Status::InProgress,
        Status::Delayed,
        Status::Suspended,
        Status::NotStarted,
    ];
}

impl Key for Status {}
impl Label for Status {}

/// One progress report.
#[derive(Debug, Clone)]
pub struct Update {
    /// Date of the report.
    pub date: Located<Date>,
    /// Status reported.
    pub status: Status,
    /// Share done, 0–100, if reported.
    pub percent: Option<u8>,
    /// The reporting unit.
    pub by: Option<Located<String>>,
    /// What was done, Markdown.
    pub note: Option<String>,
    /// Marks an update added to demonstrate the site (shown as 示例数据), not a real report.
    pub sample: bool,
}

/// A measurable 目标要求 of a task; it may carry its own deadline, units and updates.
#[derive(Debug, Clone)]
pub struct Target {
    /// 目标要求 as published.
    pub text: String,
    /// Its own deadline, else the task's.
    pub deadline: Option<Deadline>,
    /// Its own lead units, else the task's.
    pub lead: Vec<Located<String>>,
    /// Its own partner units, else the task's.
    pub partners: Vec<Located<String>>,
    /// Progress reported on this target.
    pub updates: Vec<Update>,
}

/// A task (one row of the table, or several when it has targets).
#[derive(Debug, Clone)]
pub struct Task {
    /// 序号 as written (`1`, `12`, `（三）`), unique in the plan.
    pub number: Located<String>,
    /// 工作内容.
    pub content: String,
    /// 负责单位 / 责任单位.
    pub lead: Vec<Located<String>>,
    /// 参与单位 / 配合单位.
    pub partners: Vec<Located<String>>,
    /// 工作进度 / 完成时限.
    pub deadline: Option<Deadline>,
    /// 目标要求 with their own progress.
    pub targets: Vec<Target>,
    /// Progress reported on the task itself (used when it has no targets).
    pub updates: Vec<Update>,
}

/// A 类号 + 项目分类 with its tasks.
#[derive(Debug, Clone)]
pub struct Category {
    /// 类号 (`一`), empty for a plan without categories.
    pub number: String,
    /// 项目分类.
    pub name: String,
    /// Tasks in published order.
    pub tasks: Vec<Task>,
}

/// A plan as loaded; unit references are checked in `site`.
#[derive(Debug, Clone)]
pub struct Plan {
    /// File stem.
    pub id: PlanId,
    /// The file, for diagnostics.
    pub file: SourceFile,
    /// Title as published.
    pub title: String,
    /// 索引号 of the notice that published it.
    pub source: Option<Located<String>>,
    /// The coordinating body that runs it.
    pub body: Option<Located<String>>,
    /// Plan period (试点期): its start is where 序时进度 counts from.
    pub period: Option<(Date, Date)>,
    /// Categories in order; a plan without 类号 has one category with an empty number.
    pub categories: Vec<Category>,
    /// Whether the table has 类号 columns.
    pub has_categories: bool,
    /// 备注, Markdown.
    pub notes: Option<String>,
}

impl Plan {
    /// Every task with its category, in table order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.categories.iter().flat_map(|c| c.tasks.iter())
    }
}

/// A YAML value that may be a number or a string (序号, 类号).
#[derive(Debug)]
struct Text(String);

/// What [`Text`]'s visitor accepts: a string or an integer.
impl JsonSchema for Text {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NumberOrText".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": ["string", "integer"] })
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl Visitor<'_> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        deserializer.deserialize_any(TextVisitor)
    }
}

/// `deadline:` in any of its forms: `2007`, `2007-12`, `2007-12-31`, a label, or
/// `{label: 试点期内, date: 2010-12-31}`.
#[derive(Debug)]
enum RawDeadline {
    Scalar(String),
    Labelled { label: String, date: String },
}

/// What [`RawDeadline`]'s visitor accepts: a year, month, day or label, or a labelled date.
impl JsonSchema for RawDeadline {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Deadline".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let date = generator.subschema_for::<crate::schema::Date>();
        schemars::json_schema!({
            "title": "工作进度",
            "description": "完成时限：2009（年底）、2009-03（月底）、2009-03-31、一个标签（常设，永不逾期）或 {label: 试点期内, date: 2010-12-31}",
            "oneOf": [
                { "type": "integer" },
                { "type": "string" },
                {
                    "type": "object",
                    "properties": {
                        "label": { "type": "string", "title": "标签", "description": "显示的文字，如 试点期内" },
                        "date": date
                    },
                    "required": ["label", "date"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

impl<'de> Deserialize<'de> for RawDeadline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DeadlineVisitor;
        impl<'de> Visitor<'de> for DeadlineVisitor {
            type Value = RawDeadline;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("YYYY, YYYY-MM, YYYY-MM-DD, a label, or {label, date}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawDeadline, E> {
                Ok(RawDeadline::Scalar(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawDeadline, E> {
                Ok(RawDeadline::Scalar(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawDeadline, E> {
                Ok(RawDeadline::Scalar(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawDeadline, A::Error> {
                let (mut label, mut date) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "label" => label = Some(map.next_value::<String>()?),
                        "date" => date = Some(map.next_value::<String>()?),
                        other => {
                            return Err(de::Error::unknown_field(other, &["label", "date"]));
                        }
                    }
                }
                match (label, date) {
                    (Some(label), Some(date)) => Ok(RawDeadline::Labelled { label, date }),
                    (None, _) => Err(de::Error::missing_field("label")),
                    (_, None) => Err(de::Error::missing_field("date")),
                }
            }
        }
        deserializer.deserialize_any(DeadlineVisitor)
    }
}

/// A plan file as written; its schema is generated from this struct.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Plan",
    title = "工作分解表",
    description = "gongkai 工作分解表（content/progress/<id>.yaml）及其进展：categories 与 tasks 二选一",
    extend("oneOf" = [{"required": ["categories"]}, {"required": ["tasks"]}])
)]
pub(crate) struct RawPlan {
    #[schemars(
        with = "crate::schema::Text",
        title = "标题",
        description = "标题（必填），按公布原文"
    )]
    title: Option<String>,
    #[schemars(
        with = "Option<crate::schema::IndexNo>",
        title = "来源文件",
        description = "公布该分解表的通知的索引号"
    )]
    source: Option<Spanned<String>>,
    #[schemars(
        with = "Option<crate::schema::Id>",
        title = "牵头机构",
        description = "负责推进的议事协调机构的 id"
    )]
    body: Option<Spanned<String>>,
    #[schemars(
        title = "试点期",
        description = "试点期 / 计划期：序时进度从开始日期算起"
    )]
    period: Option<RawPeriod>,
    #[schemars(
        with = "Option<Vec<RawCategory>>",
        title = "项目分类",
        description = "类号 + 项目分类及其任务，按公布顺序（没有类号的表改写 tasks:）"
    )]
    categories: Option<Vec<RawCategory>>,
    #[schemars(
        with = "Option<Vec<RawTask>>",
        title = "任务",
        description = "任务列表（表中没有类号时使用，代替 categories:）"
    )]
    tasks: Option<Vec<RawTask>>,
    #[schemars(title = "备注", description = "备注（Markdown），显示在表下")]
    notes: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Period", title = "试点期", description = "试点期 / 计划期")]
struct RawPeriod {
    #[schemars(
        with = "crate::schema::Date",
        title = "开始",
        description = "开始日期，YYYY-MM-DD"
    )]
    start: Spanned<String>,
    #[schemars(
        with = "crate::schema::Date",
        title = "结束",
        description = "结束日期，YYYY-MM-DD"
    )]
    end: Spanned<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Category",
    title = "项目分类",
    description = "类号 + 项目分类及其任务"
)]
struct RawCategory {
    #[schemars(with = "Option<Text>", title = "类号", description = "类号，如 一")]
    number: Option<Text>,
    #[schemars(title = "项目分类", description = "项目分类名称（必填）")]
    name: String,
    #[serde(default)]
    #[schemars(title = "任务", description = "本类的任务，按公布顺序")]
    tasks: Vec<RawTask>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Task", title = "任务", description = "分解表中的一项任务")]
struct RawTask {
    #[schemars(
        with = "Text",
        title = "序号",
        description = "序号（必填），在本表中唯一"
    )]
    number: Spanned<Text>,
    #[schemars(
        with = "crate::schema::Text",
        title = "工作内容",
        description = "工作内容（必填）"
    )]
    content: Option<String>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::Id>",
        title = "负责单位",
        description = "负责单位 / 责任单位的 id 列表（必填：写在任务上或每个目标上）"
    )]
    lead: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::Id>",
        title = "参与单位",
        description = "参与单位 / 配合单位的 id 列表"
    )]
    partners: Vec<Spanned<String>>,
    #[schemars(
        with = "Option<RawDeadline>",
        title = "工作进度",
        description = "工作进度 / 完成时限：2009、2009-03、2009-03-31、一个标签（常设）或 {label, date}"
    )]
    deadline: Option<Spanned<RawDeadline>>,
    #[serde(default)]
    #[schemars(
        title = "目标要求",
        description = "目标要求，各自可另设时限、单位和进展"
    )]
    targets: Vec<RawTarget>,
    #[serde(default)]
    #[schemars(title = "进展", description = "进展报告，按日期从早到晚")]
    updates: Vec<RawUpdate>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    rename = "Target",
    title = "目标要求",
    description = "任务的一项目标要求"
)]
struct RawTarget {
    #[schemars(title = "目标要求", description = "目标要求原文（必填）")]
    text: String,
    #[schemars(
        with = "Option<RawDeadline>",
        title = "工作进度",
        description = "本目标的完成时限，默认同任务"
    )]
    deadline: Option<Spanned<RawDeadline>>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::Id>",
        title = "负责单位",
        description = "本目标的负责单位，默认同任务"
    )]
    lead: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(
        with = "Vec<crate::schema::Id>",
        title = "参与单位",
        description = "本目标的参与单位，默认同任务"
    )]
    partners: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(title = "进展", description = "本目标的进展报告，按日期从早到晚")]
    updates: Vec<RawUpdate>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Update", title = "进展", description = "一次进展报告")]
struct RawUpdate {
    #[schemars(
        with = "crate::schema::Date",
        title = "日期",
        description = "报告日期（必填），YYYY-MM-DD"
    )]
    date: Spanned<String>,
    #[schemars(
        with = "Status",
        title = "状态",
        description = "状态（必填）：not_started 未启动 | in_progress 推进中 | done 已完成 | delayed 滞后 | suspended 暂停"
    )]
    status: Spanned<String>,
    #[schemars(
        with = "Option<u8>",
        range(min = 0, max = 100),
        title = "完成百分比",
        description = "完成百分比，0–100"
    )]
    percent: Option<Spanned<i64>>,
    #[schemars(
        with = "Option<crate::schema::Id>",
        title = "报告单位",
        description = "报告单位的 id"
    )]
    by: Option<Spanned<String>>,
    #[schemars(title = "说明", description = "进展说明（Markdown）")]
    note: Option<String>,
    #[serde(default)]
    #[schemars(
        title = "示例数据",
        description = "示例数据：为演示而添加、并非真实报告的进展，页面上标注“示例数据”"
    )]
    sample: bool,
}

/// Collects the errors of one plan file while it is converted.
struct PlanParser<'a> {
    file: &'a SourceFile,
    errors: Vec<Diagnostic>,
}

impl PlanParser<'_> {
    fn error(&mut self, code: Code, position: Position, message: Message) -> Diagnostic {
        Diagnostic::error(code, self.file, position, message)
    }

    fn deadline(&mut self, raw: Option<Spanned<RawDeadline>>) -> Option<Deadline> {
        let raw = raw?;
        let position = Position::of(&raw);
        let parsed = match raw.value {
            RawDeadline::Scalar(text) => Deadline::parse(&text),
            RawDeadline::Labelled { label, date } => {
                parse_date(&date).map(|d| Deadline::LabelDate(label, d))
            }
        };
        match parsed {
            Ok(deadline) => Some(deadline),
            Err(message) => {
                let d = self.error(Code::InvalidDate, position, message);
                self.errors.push(d);
                None
            }
        }
    }

    fn updates(&mut self, raw: Vec<RawUpdate>) -> Vec<Update> {
        let mut updates: Vec<Update> = Vec::with_capacity(raw.len());
        for u in raw {
            let Some(date) = located_date(self.file, &u.date, &mut self.errors) else {
                continue;
            };
            let status = super::parse_key(&u.status.value).unwrap_or_else(|| {
                let at = Position::of(&u.status);
                let d = unknown_value(
                    self.file,
                    at,
                    text!("status", "进度状态"),
                    &u.status.value,
                    &Status::keys(),
                );
                self.errors.push(d);
                Status::NotStarted
            });
            let percent = u.percent.and_then(|p| match u8::try_from(p.value) {
                Ok(v) if v <= 100 => Some(v),
                _ => {
                    let d = self.error(
                        Code::OutOfRange,
                        Position::of(&p),
                        text!(
                            "percent {v} is outside 0–100",
                            "percent {v} 超出 0–100 的范围",
                            v = p.value
                        ),
                    );
                    self.errors.push(d);
                    None
                }
            });
            if let Some(previous) = updates.last()
                && date.value < previous.date.value
            {
                let d = self
                    .error(
                        Code::DateOrder,
                        date.position,
                        text!(
                            "update of {this} comes after one of {before}: list updates oldest first",
                            "{this} 的进度更新排在 {before} 的之后：更新须按时间从早到晚排列",
                            this = date.value,
                            before = previous.date.value
                        ),
                    )
                    .with_help(text!(
                        "move this update above the later one",
                        "把这条更新移到较晚的那条之前"
                    ));
                self.errors.push(d);
            }
            updates.push(Update {
                date,
                status,
                percent,
                by: u.by.map(Located::from),
                note: u.note.filter(|n| !n.trim().is_empty()),
                sample: u.sample,
            });
        }
        updates
    }

    fn task(&mut self, raw: RawTask) -> Task {
        let number = Located::new(
            raw.number.value.0.trim().to_string(),
            Position::of(&raw.number),
        );
        let content = raw.content.unwrap_or_default();
        if content.trim().is_empty() {
            let d = self.error(
                Code::MissingField,
                number.position,
                text!(
                    "task {n} has no `content` (工作内容)",
                    "任务 {n} 缺少 `content`（工作内容）",
                    n = &number.value
                ),
            );
            self.errors.push(d);
        }
        let lead: Vec<_> = raw.lead.into_iter().map(Located::from).collect();
        let targets: Vec<Target> = raw
            .targets
            .into_iter()
            .map(|t| Target {
                text: t.text,
                deadline: self.deadline(t.deadline),
                lead: t.lead.into_iter().map(Located::from).collect(),
                partners: t.partners.into_iter().map(Located::from).collect(),
                updates: self.updates(t.updates),
            })
            .collect();
        if lead.is_empty() && (targets.is_empty() || targets.iter().any(|t| t.lead.is_empty())) {
            let d = self.error(
                Code::MissingField,
                number.position,
                text!(
                    "task {n} has no `lead` (负责单位)",
                    "任务 {n} 缺少 `lead`（负责单位）",
                    n = &number.value
                ),
            );
            self.errors.push(d);
        }
        Task {
            deadline: self.deadline(raw.deadline),
            updates: self.updates(raw.updates),
            number,
            content,
            lead,
            partners: raw.partners.into_iter().map(Located::from).collect(),
            targets,
        }
    }
}

/// Parses one plan file: shape, deadlines, statuses, percents, update order and unique
/// 序号. Unit, body and notice references are checked when the site is resolved.
pub fn parse(file: SourceFile, id: PlanId) -> (Option<Plan>, Vec<Diagnostic>) {
    let raw: RawPlan = match file.parse_yaml(&file.text) {
        Ok(raw) => raw,
        Err(d) => return (None, vec![d]),
    };
    let mut p = PlanParser {
        file: &file,
        errors: Vec::new(),
    };
    let title = raw.title.filter(|t| !t.trim().is_empty());
    if title.is_none() {
        p.errors
            .push(crate::diagnostics::missing_field(p.file, "title"));
    }
    let period = raw.period.and_then(|period| {
        let start = located_date(p.file, &period.start, &mut p.errors)?;
        let end = located_date(p.file, &period.end, &mut p.errors)?;
        if end.value < start.value {
            let d = p.error(
                Code::DateOrder,
                end.position,
                text!(
                    "the period ends before it starts",
                    "期限的结束日期早于开始日期"
                ),
            );
            p.errors.push(d);
        }
        Some((start.value, end.value))
    });
    let has_categories = raw.categories.is_some();
    let categories: Vec<Category> = match (raw.categories, raw.tasks) {
        (Some(_), Some(_)) => {
            let d = p.error(
                Code::ConflictingFields,
                Position::START,
                text!(
                    "a plan has either `categories:` or `tasks:`, not both",
                    "工作方案只能有 `categories:` 或 `tasks:` 之一，不能两者都有"
                ),
            );
            p.errors.push(d);
            Vec::new()
        }
        (Some(categories), None) => categories
            .into_iter()
            .map(|c| Category {
                number: c.number.map(|n| n.0).unwrap_or_default(),
                name: c.name,
                tasks: c.tasks.into_iter().map(|t| p.task(t)).collect(),
            })
            .collect(),
        (None, Some(tasks)) => vec![Category {
            number: String::new(),
            name: String::new(),
            tasks: tasks.into_iter().map(|t| p.task(t)).collect(),
        }],
        (None, None) => {
            let d = p.error(
                Code::MissingField,
                Position::START,
                text!(
                    "a plan needs `categories:` or `tasks:`",
                    "工作方案须有 `categories:` 或 `tasks:`"
                ),
            );
            p.errors.push(d);
            Vec::new()
        }
    };
    let numbers: Vec<&Located<String>> = categories
        .iter()
        .flat_map(|c| c.tasks.iter().map(|t| &t.number))
        .collect();
    for (i, number) in numbers.iter().enumerate() {
        if let Some(first) = numbers[..i].iter().find(|n| n.value == number.value) {
            let d = p.error(
                Code::Duplicate,
                number.position,
                text!(
                    "duplicate 序号 `{n}`: also task on line {line}",
                    "序号 `{n}` 重复：第 {line} 行的任务也用了它",
                    n = &number.value,
                    line = first.position.line
                ),
            );
            p.errors.push(d);
        }
    }
    let errors = p.errors;
    let plan = Plan {
        title: title.unwrap_or_else(|| id.to_string()),
        source: raw.source.map(Located::from),
        body: raw.body.map(Located::from),
        period,
        categories,
        has_categories,
        notes: raw.notes.filter(|n| !n.trim().is_empty()),
        id,
        file,
    };
    (Some(plan), errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(yaml: &str) -> (Option<Plan>, Vec<Diagnostic>) {
        parse(
            SourceFile::new("content/progress/p.yaml".into(), yaml.into()),
            PlanId::parse("p").expect("id"),
        )
    }

    #[test]
    fn reads_every_deadline_form() {
        let (plan, errors) = plan(
            "title: 计划\ntasks:\n  - number: 1\n    content: 甲\n    lead: [a]\n    deadline: 2009\n  - number: 2\n    content: 乙\n    lead: [a]\n    deadline: 2009-03\n  - number: 3\n    content: 丙\n    lead: [a]\n    deadline: 常设\n  - number: 4\n    content: 丁\n    lead: [a]\n    deadline: {label: 试点期内, date: 2010-12-31}\n",
        );
        assert!(errors.is_empty(), "{errors:?}");
        let plan = plan.expect("plan");
        let deadlines: Vec<_> = plan.tasks().map(|t| t.deadline.clone()).collect();
        assert_eq!(deadlines[0], Some(Deadline::Year(2009)));
        assert_eq!(deadlines[1], Some(Deadline::Month(2009, 3)));
        assert_eq!(deadlines[2], Some(Deadline::Label("常设".into())));
        assert_eq!(
            deadlines[3].as_ref().and_then(Deadline::date),
            Date::new(2010, 12, 31).ok()
        );
        assert!(!plan.has_categories);
    }
}
