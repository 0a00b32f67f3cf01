//! A task-decomposition table (工作分解表) → a plan file (`content/progress/<id>.yaml`).
//!
//! The columns are found by their header words (类号, 项目分类, 序号, 工作内容/工作任务,
//! 目标要求, 负责单位/责任单位, 参与单位/配合单位, 完成时限 …), never by position, so tables
//! with fewer or more columns read the same. What the table does not say — the plan's
//! title, source, period, a deadline when there is no 完成时限 column — is taken from
//! the text around it and recorded as a guess.
//!
//! The plan is built as a typed [`ImportedPlan`] and written through serde (the
//! `Out*` structs mirror the loader's `RawPlan`), so the file reads back as the loader
//! expects; `tests/import.rs` loads it with the loader itself.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use serde::Serialize;

use crate::content::unit::UnitId;
use crate::diagnostics::Text;
use crate::import::decode::tidy;
use crate::import::tables::Table;
use crate::import::units::{Registry, Resolution, disambiguate, looks_collective};
use crate::text;
use crate::time::Deadline;

/// Header words of each column, tried exactly first, then as a prefix.
const CATEGORY_NUMBER: &[&str] = &["类号", "类别号", "类序号"];
const CATEGORY_NAME: &[&str] = &["项目分类", "项目类别", "类别", "分类"];
const NUMBER: &[&str] = &["序号", "编号", "任务序号"];
const CONTENT: &[&str] = &[
    "工作内容",
    "工作任务",
    "任务内容",
    "主要任务",
    "具体任务",
    "重点任务",
    "任务",
    "内容",
];
const TARGETS: &[&str] = &["目标要求", "工作目标", "目标任务", "工作要求", "目标"];
const LEAD: &[&str] = &[
    "负责单位",
    "责任单位",
    "牵头单位",
    "主办单位",
    "负责部门",
    "责任部门",
    "牵头部门",
];
const PARTNERS: &[&str] = &[
    "参与单位",
    "配合单位",
    "协办单位",
    "协助单位",
    "配合部门",
    "参与部门",
];
const DEADLINE: &[&str] = &[
    "完成时限",
    "完成时间",
    "时间进度",
    "工作进度",
    "进度安排",
    "时限",
    "时间",
];

/// A guess or a problem at a line of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found {
    /// 1-based line.
    pub line: usize,
    /// What.
    pub what: Text,
}

/// A unit reference of the imported plan: a known unit, or a name no unit has yet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum UnitRef {
    /// An existing unit.
    Known(UnitId),
    /// A name no unit has (with the line it was found on).
    Unknown {
        /// The name as found.
        name: String,
        /// 1-based line.
        line: usize,
        /// The closest known names.
        suggestions: Vec<(String, UnitId)>,
    },
}

/// A task as read from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportedTask {
    /// 序号 as written.
    pub number: String,
    /// Line of the row.
    pub line: usize,
    /// 工作内容.
    pub content: String,
    /// 负责单位.
    pub lead: Vec<UnitRef>,
    /// 参与单位.
    pub partners: Vec<UnitRef>,
    /// 完成时限.
    pub deadline: Option<Deadline>,
    /// 目标要求, one per numbered item.
    pub targets: Vec<String>,
}

/// A 类号 + 项目分类.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportedCategory {
    /// 类号 without its （续）.
    pub number: String,
    /// 项目分类.
    pub name: String,
    /// Its tasks in table order.
    pub tasks: Vec<ImportedTask>,
}

/// A plan as read from a table and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportedPlan {
    /// Title.
    pub title: String,
    /// 索引号 of the notice, when the text has one.
    pub source: Option<String>,
    /// Plan period.
    pub period: Option<(Date, Date)>,
    /// Categories; one with an empty number when the table has no 类号.
    pub categories: Vec<ImportedCategory>,
    /// Whether the table has 类号 / 项目分类 columns.
    pub has_categories: bool,
}

impl ImportedPlan {
    /// Every task in order.
    pub(crate) fn tasks(&self) -> impl Iterator<Item = &ImportedTask> {
        self.categories.iter().flat_map(|c| c.tasks.iter())
    }

    /// Every unit reference, for listing unknown names.
    pub(crate) fn unit_refs_mut(&mut self) -> impl Iterator<Item = &mut UnitRef> {
        self.categories
            .iter_mut()
            .flat_map(|c| c.tasks.iter_mut())
            .flat_map(|t| t.lead.iter_mut().chain(t.partners.iter_mut()))
    }
}

/// Whether a table is a task-decomposition table: it has 序号, 工作内容 and 负责单位.
pub(crate) fn is_task_table(table: &Table) -> bool {
    table.column(NUMBER).is_some()
        && table.column(CONTENT).is_some()
        && table.column(LEAD).is_some()
}

/// Reads `table` (found in `text`) as a plan. Guesses go to `guesses`; rows that cannot
/// become tasks are returned as problems (the import then writes nothing).
pub(crate) fn read_plan(
    text: &str,
    mut table: Table,
    registry: &Registry,
    guesses: &mut Vec<Found>,
) -> Result<ImportedPlan, Vec<Found>> {
    let mut problems = Vec::new();
    for note in std::mem::take(&mut table.notes) {
        guesses.push(Found {
            line: note.line,
            what: note.what,
        });
    }
    let col = |names: &[&str]| table.column(names);
    let (Some(number_col), Some(content_col), Some(lead_col)) =
        (col(NUMBER), col(CONTENT), col(LEAD))
    else {
        return Err(vec![Found {
            line: table.lines.0,
            what: text!(
                "this table has no 序号, 工作内容 and 负责单位 columns: not a task-decomposition table",
                "该表没有“序号”“工作内容”“负责单位”列，不是工作分解表"
            ),
        }]);
    };
    let cat_number_col = col(CATEGORY_NUMBER);
    let cat_name_col = col(CATEGORY_NAME);
    let targets_col = col(TARGETS).filter(|&c| c != content_col);
    let partners_col = col(PARTNERS);
    let deadline_col = col(DEADLINE);
    let appended: Vec<usize> = [
        Some(number_col),
        Some(content_col),
        targets_col,
        Some(lead_col),
        partners_col,
        deadline_col,
    ]
    .into_iter()
    .flatten()
    .collect();
    for line in table.join_continuations(number_col, &appended) {
        guesses.push(Found {
            line,
            what: text!(
                "a row without 序号: joined to the task above (the rest of a row a page break or a wrapped line split)",
                "无序号的行：并入上一项任务（被分页或换行断开的行）"
            ),
        });
    }
    for c in [cat_number_col, cat_name_col].into_iter().flatten() {
        table.fill_down(c);
    }

    let (title, period, source) = surroundings(text, &table, guesses);
    let default_deadline = match (deadline_col, period) {
        (None, Some((_, end))) => {
            let d = Deadline::Month(end.year(), end.month());
            let shown = d.written();
            guesses.push(Found {
                line: table.lines.0,
                what: text!(
                    "the table has no 完成时限 column: every task's deadline is the end of the plan period, {shown}",
                    "表中没有“完成时限”列：各项任务的期限取计划期末 {shown}"
                ),
            });
            Some(d)
        }
        _ => None,
    };

    let mut categories: Vec<ImportedCategory> = Vec::new();
    let mut seen_numbers: BTreeMap<String, usize> = BTreeMap::new();
    let mut resolutions: Vec<CellUnits> = Vec::new();
    for row in &table.rows {
        let cell = |c: Option<usize>| c.and_then(|c| row.cells.get(c));
        let text_of = |c: Option<usize>| cell(c).map_or("", |c| c.text.as_str());
        let line_of = |c: Option<usize>| cell(c).map_or(row.line, |c| c.line);
        let cat_number = strip_continued(text_of(cat_number_col));
        let cat_name = strip_continued(text_of(cat_name_col));
        let key = if cat_number_col.is_some() {
            cat_number.clone()
        } else {
            cat_name.clone()
        };
        let new_category = match categories.last() {
            None => true,
            Some(last) => !key.is_empty() && key != category_key(last, cat_number_col.is_some()),
        };
        if new_category {
            categories.push(ImportedCategory {
                number: if cat_number_col.is_some() {
                    cat_number
                } else {
                    String::new()
                },
                name: cat_name,
                tasks: Vec::new(),
            });
        }
        let Some(category) = categories.last_mut() else {
            continue;
        };
        if category.name.is_empty() && cat_name_col.is_some() {
            category.name = strip_continued(text_of(cat_name_col));
        }
        let number = task_number(text_of(Some(number_col)));
        let content_text = text_of(Some(content_col)).to_string();
        if content_text.is_empty() {
            guesses.push(Found {
                line: row.line,
                what: text!(
                    "a row without 工作内容 (序号 `{number}`) is left out",
                    "无“工作内容”的行（序号“{number}”）未导入"
                ),
            });
            continue;
        }
        if let Some(first) = seen_numbers.insert(number.clone(), row.line) {
            problems.push(Found {
                line: row.line,
                what: text!(
                    "序号 `{number}` again (first on line {first}): each task needs its own",
                    "序号“{number}”重复（第一次在第 {first} 行）：每项任务须有自己的序号"
                ),
            });
        }
        let (content, mut targets) = split_targets(&content_text);
        if !targets.is_empty() {
            let count = targets.len();
            guesses.push(Found {
                line: line_of(Some(content_col)),
                what: text!(
                    "task {number}: {count} numbered items in 工作内容 read as its 目标要求",
                    "任务 {number}：工作内容中的 {count} 个编号条目读作目标要求"
                ),
            });
        }
        if let Some(c) = targets_col {
            let written = text_of(Some(c));
            if !written.is_empty() {
                let (head, items) = split_targets(written);
                if items.is_empty() {
                    targets.push(head);
                } else {
                    targets.extend(items);
                }
            }
        }
        let deadline = match deadline_col {
            Some(c) => {
                let written = text_of(Some(c));
                if written.is_empty() {
                    None
                } else {
                    let (deadline, guess) = parse_deadline(written, period.map(|p| p.1));
                    if let Some(what) = guess {
                        guesses.push(Found {
                            line: line_of(Some(c)),
                            what,
                        });
                    }
                    deadline
                }
            }
            None => default_deadline.clone(),
        };
        let lead_text = text_of(Some(lead_col));
        if lead_text.is_empty() {
            problems.push(Found {
                line: row.line,
                what: text!(
                    "task {number} has no 负责单位: every task needs one",
                    "任务 {number} 没有负责单位：每项任务都须有"
                ),
            });
        }
        let ci = categories.len() - 1;
        let ti = categories[ci].tasks.len();
        resolutions.push(CellUnits {
            category: ci,
            task: ti,
            lead: true,
            names: registry.resolve_list(lead_text),
            line: line_of(Some(lead_col)),
        });
        if partners_col.is_some() {
            resolutions.push(CellUnits {
                category: ci,
                task: ti,
                lead: false,
                names: registry.resolve_list(text_of(partners_col)),
                line: line_of(partners_col),
            });
        }
        categories[ci].tasks.push(ImportedTask {
            number,
            line: row.line,
            content,
            lead: Vec::new(),
            partners: Vec::new(),
            deadline,
            targets,
        });
    }
    resolve_units(&mut categories, resolutions, guesses);
    if categories.iter().all(|c| c.tasks.is_empty()) {
        problems.push(Found {
            line: table.lines.0,
            what: text!("the table has no task rows", "该表没有任务行"),
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(ImportedPlan {
        title,
        source,
        period,
        has_categories: cat_number_col.is_some() || cat_name_col.is_some(),
        categories,
    })
}

/// The key a category is told apart by: its 类号, else its name.
fn category_key(category: &ImportedCategory, by_number: bool) -> String {
    if by_number {
        category.number.clone()
    } else {
        category.name.clone()
    }
}

/// `二（续）` → `二`: the mark of a category going on after a page break.
fn strip_continued(text: &str) -> String {
    let t = text.trim();
    for suffix in ["（续）", "(续)", "续"] {
        if let Some(stripped) = t.strip_suffix(suffix) {
            return stripped.trim().to_string();
        }
    }
    t.to_string()
}

/// `1.` / `1、` / ` 13 ` → `1` / `13`.
fn task_number(text: &str) -> String {
    tidy(text)
        .trim_end_matches(['.', '、', '．', '。'])
        .to_string()
}

/// Numbered items `1.… 2.…` (or `1、`, `（1）`) inside a cell: the text before the first
/// and the items (without their numbers). Items must run 1, 2, 3 … so that `16%`, `4.32`
/// or `2009.3` in the text are not taken for numbers; fewer than two items is no list.
pub(crate) fn split_targets(text: &str) -> (String, Vec<String>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let offset = |k: usize| chars.get(k).map_or(text.len(), |&(i, _)| i);
    let digits_from = |k: usize| {
        let mut j = k;
        while at(j).is_some_and(|c| c.is_ascii_digit()) && j - k < 2 {
            j += 1;
        }
        (j > k && !at(j).is_some_and(|c| c.is_ascii_digit())).then_some(j)
    };
    let value = |from: usize, to: usize| text[offset(from)..offset(to)].parse::<u32>().ok();
    let mut starts: Vec<(usize, usize)> = Vec::new(); // byte offsets: number, its text
    let mut expected = 1u32;
    let mut k = 0;
    while k < chars.len() {
        let before = k.checked_sub(1).and_then(at);
        let found = if matches!(at(k), Some('（' | '(')) {
            digits_from(k + 1)
                .filter(|&j| matches!(at(j), Some('）' | ')')))
                .and_then(|j| Some((value(k + 1, j)?, j + 1)))
        } else if !before.is_some_and(|c| c.is_ascii_digit() || c == '.' || c == '．') {
            digits_from(k)
                .filter(|&j| matches!(at(j), Some('.' | '．' | '、')))
                .filter(|&j| !at(j + 1).is_some_and(|c| c.is_ascii_digit()))
                .and_then(|j| Some((value(k, j)?, j + 1)))
        } else {
            None
        };
        match found {
            Some((n, text_start)) if n == expected => {
                starts.push((offset(k), offset(text_start)));
                expected += 1;
                k = text_start;
            }
            _ => k += 1,
        }
    }
    if starts.len() < 2 {
        return (text.to_string(), Vec::new());
    }
    let head = text[..starts[0].0].trim().to_string();
    let mut items = Vec::new();
    for (k, &(_, from)) in starts.iter().enumerate() {
        let to = starts.get(k + 1).map_or(text.len(), |s| s.0);
        let item = text[from.min(to)..to]
            .trim()
            .trim_end_matches(['；', ';', '，', ','])
            .trim()
            .to_string();
        if !item.is_empty() {
            items.push(item);
        }
    }
    let content = if head.is_empty() {
        text.to_string()
    } else {
        head
    };
    (content, items)
}

/// 完成时限 as written → DESIGN's forms: `2009年3月` → `2009-03`, `2009年` / `2009年底` →
/// `2009`, `2009年3月31日` → the day, `常设` / `长期` → a label; `试点期内` → the label
/// with the plan period's end when known; `每年` and anything else → a label, with a
/// guess saying it will never be overdue.
pub(crate) fn parse_deadline(
    written: &str,
    period_end: Option<Date>,
) -> (Option<Deadline>, Option<Text>) {
    static DAY: LazyLock<Regex> =
        LazyLock::new(|| re(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|以前|之前)?$"));
    static MONTH: LazyLock<Regex> =
        LazyLock::new(|| re(r"^(\d{4})(?:年|[.\-/])(\d{1,2})(?:月)?(?:底|末|前|以前|之前|份)?$"));
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| re(r"^(\d{4})年?(?:底|末|内|前|以前|之前|年底|全年)?$"));
    static RANGE: LazyLock<Regex> =
        LazyLock::new(|| re(r"^\d{4}(?:年(?:\d{1,2}月)?)?[-—–~至到](.+)$"));
    let text: String = crate::import::units::normalise(written);
    let text = text.as_str();
    if let Some(c) = DAY.captures(text) {
        let d = format!("{}-{:0>2}-{:0>2}", &c[1], &c[2], &c[3]);
        if let Ok(deadline) = Deadline::parse(&d) {
            return (Some(deadline), None);
        }
    }
    if let Some(c) = MONTH.captures(text) {
        let d = format!("{}-{:0>2}", &c[1], &c[2]);
        if let Ok(deadline) = Deadline::parse(&d) {
            return (Some(deadline), None);
        }
    }
    if let Some(c) = YEAR.captures(text)
        && let Ok(deadline) = Deadline::parse(&c[1])
    {
        return (Some(deadline), None);
    }
    if let Some(c) = RANGE.captures(text) {
        let end = c[1].to_string();
        let (deadline, _) = parse_deadline(&end, period_end);
        if let Some(d) = deadline.filter(|d| d.date().is_some()) {
            return (
                Some(d),
                Some(text!(
                    "`{written}` is a period: its end is the deadline",
                    "“{written}”是一段时间：取其结束作为期限"
                )),
            );
        }
    }
    if ["常设", "长期", "长期坚持", "常年"].contains(&text) {
        return (Some(Deadline::Label(text.to_string())), None);
    }
    if text.contains("试点期") || text.contains("实施期") || text.contains("计划期") {
        return match period_end {
            Some(end) => (
                Some(Deadline::LabelDate(text.to_string(), end)),
                Some(text!(
                    "`{written}` read as the end of the plan period, {end}",
                    "“{written}”按计划期末 {end} 计算"
                )),
            ),
            None => (
                Some(Deadline::Label(text.to_string())),
                Some(text!(
                    "`{written}`: the plan period is not known, so kept as a label (never overdue)",
                    "“{written}”：计划期不明，按标签保留（不计逾期）"
                )),
            ),
        };
    }
    let recurring = text.starts_with("每");
    let what = if recurring {
        text!(
            "`{written}` recurs: DESIGN has no recurring deadline, so kept as a label (never overdue)",
            "“{written}”为周期性期限：DESIGN 没有对应形式，按标签保留（不计逾期）"
        )
    } else {
        text!(
            "`{written}` is not a date: kept as a label (never overdue)",
            "“{written}”不是日期：按标签保留（不计逾期）"
        )
    };
    (Some(Deadline::Label(text.to_string())), Some(what))
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).unwrap_or_else(|e| unreachable!("a valid deadline pattern: {e}"))
}

/// Title, period and source from the text around the table, each a guess.
fn surroundings(
    text: &str,
    table: &Table,
    guesses: &mut Vec<Found>,
) -> (String, Option<(Date, Date)>, Option<String>) {
    let lines: Vec<&str> = text.lines().collect();
    let above = (0..table.lines.0.saturating_sub(1))
        .rev()
        .take(6)
        .map(|i| (i + 1, lines[i].trim()))
        .find(|(_, l)| {
            !l.is_empty()
                && !crate::import::tables::is_page_break(l)
                && !l.starts_with("附件")
                && l.chars().count() <= 80
        });
    let (title_line, title) = match above {
        Some((line, title)) => (line, tidy(title)),
        None => lines
            .iter()
            .enumerate()
            .find(|(_, l)| !l.trim().is_empty())
            .map_or((table.lines.0, "工作分解表".to_string()), |(i, l)| {
                (i + 1, tidy(l))
            }),
    };
    guesses.push(Found {
        line: title_line,
        what: text!("title: `{title}`", "标题：“{title}”"),
    });
    static YEARS: LazyLock<Regex> =
        LazyLock::new(|| re(r"(\d{4})\s*(?:年)?\s*(?:[-—–~至到]\s*(\d{4})\s*)?年"));
    let period = YEARS.captures(&title).and_then(|c| {
        let start: i16 = c[1].parse().ok()?;
        let end: i16 = c
            .get(2)
            .and_then(|m| m.as_str().parse().ok())
            .unwrap_or(start);
        Some((Date::new(start, 1, 1).ok()?, Date::new(end, 12, 31).ok()?))
    });
    if let Some((start, end)) = period {
        guesses.push(Found {
            line: title_line,
            what: text!(
                "period {start} – {end}, from the year(s) in the title",
                "计划期 {start} 至 {end}，取自标题中的年份"
            ),
        });
    }
    static INDEX_NO: LazyLock<Regex> =
        LazyLock::new(|| re(r"索\s*引\s*[号號][\s|:：]*([0-9A-Za-z]+/\d{4}-\d{5})"));
    let source = INDEX_NO.captures(text).map(|c| c[1].to_string());
    match &source {
        Some(s) => {
            let line = INDEX_NO
                .find(text)
                .map_or(1, |m| text[..m.start()].matches('\n').count() + 1);
            guesses.push(Found {
                line,
                what: text!(
                    "source: the 索引号 {s} in the text",
                    "来源：文中的索引号 {s}"
                ),
            });
        }
        None => guesses.push(Found {
            line: 1,
            what: text!(
                "no 索引号 in the text: `source:` left out (add the notice's 索引号 by hand)",
                "文中没有索引号：未写 source（请手工补上公布该表的通知的索引号）"
            ),
        }),
    }
    (title, period, source)
}

/// The unit names of one 负责单位 or 参与单位 cell, for the task they belong to.
struct CellUnits {
    /// Index of the category.
    category: usize,
    /// Index of the task in it.
    task: usize,
    /// 负责单位 (else 参与单位).
    lead: bool,
    /// The names found.
    names: Vec<Resolution>,
    /// The cell's line.
    line: usize,
}

/// Chooses one id for every name and fills the tasks' lead and partners: ambiguous
/// names go the way of the file's unambiguous ones; unknown names stay [`UnitRef::Unknown`].
fn resolve_units(
    categories: &mut [ImportedCategory],
    resolutions: Vec<CellUnits>,
    guesses: &mut Vec<Found>,
) {
    let mut prefixes: BTreeMap<String, usize> = BTreeMap::new();
    for cell in &resolutions {
        for r in &cell.names {
            if let [id] = r.ids.as_slice() {
                let prefix = id.as_str().split('-').next().unwrap_or("").to_string();
                *prefixes.entry(prefix).or_default() += 1;
            }
        }
    }
    // An ambiguous name is reported once, where it first appears.
    let mut reported: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for CellUnits {
        category: ci,
        task: ti,
        lead,
        names: rs,
        line,
    } in resolutions
    {
        let Some(task) = categories.get_mut(ci).and_then(|c| c.tasks.get_mut(ti)) else {
            continue;
        };
        let mut refs: Vec<UnitRef> = Vec::new();
        for r in rs {
            if let Some(what) = r.guess.clone() {
                guesses.push(Found { line, what });
            }
            let chosen = match r.ids.as_slice() {
                [] => UnitRef::Unknown {
                    name: r.written.clone(),
                    line,
                    suggestions: r.suggestions.clone(),
                },
                [id] => UnitRef::Known(id.clone()),
                ids => {
                    let Some(id) = disambiguate(ids, &prefixes) else {
                        continue;
                    };
                    let all = ids
                        .iter()
                        .map(UnitId::as_str)
                        .collect::<Vec<_>>()
                        .join(", ");
                    let name = &r.written;
                    if reported.insert(name.clone()) {
                        guesses.push(Found {
                            line,
                            what: text!(
                                "`{name}` is the name of {all}: chose {id} here and below, like most units of this table",
                                "“{name}”是 {all} 共用的名称：本处及以下均按本表多数单位选 {id}"
                            ),
                        });
                    }
                    UnitRef::Known(id)
                }
            };
            if !refs.contains(&chosen) {
                refs.push(chosen);
            }
        }
        if lead {
            task.lead = refs;
        } else {
            task.partners = refs;
        }
    }
}

/// Whether an unknown name would be a collective unit.
pub(crate) fn unknown_is_collective(name: &str) -> bool {
    looks_collective(name)
}

// ---------------------------------------------------------------------------------------
// Writing: the loader's `RawPlan`, as serde structs in its field order.

#[derive(Serialize)]
struct OutPlan<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<OutPeriod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    categories: Option<Vec<OutCategory<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tasks: Option<Vec<OutTask<'a>>>,
}

#[derive(Serialize)]
struct OutPeriod {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct OutCategory<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'a str>,
    name: &'a str,
    tasks: Vec<OutTask<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutNumber<'a> {
    Integer(u32),
    Text(&'a str),
}

#[derive(Serialize)]
#[serde(untagged)]
enum OutDeadline {
    Scalar(String),
    Labelled { label: String, date: String },
}

#[derive(Serialize)]
struct OutTarget<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct OutTask<'a> {
    number: OutNumber<'a>,
    content: &'a str,
    lead: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    partners: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<OutDeadline>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    targets: Vec<OutTarget<'a>>,
}

/// How [`to_yaml`] turns unit references into ids.
type IdsOf<'f> = dyn Fn(&[UnitRef]) -> Result<Vec<String>, Text> + 'f;

/// The plan file's YAML; `new_ids` gives the id of each unknown name's new unit
/// (`--new-units`); without one an unknown name cannot be written.
pub(crate) fn to_yaml(
    plan: &ImportedPlan,
    new_ids: &BTreeMap<String, UnitId>,
) -> Result<String, Text> {
    let ids = |refs: &[UnitRef]| -> Result<Vec<String>, Text> {
        refs.iter()
            .map(|r| match r {
                UnitRef::Known(id) => Ok(id.to_string()),
                UnitRef::Unknown { name, .. } => {
                    new_ids.get(name).map(|id| id.to_string()).ok_or_else(|| {
                        text!(
                            "internal error: no id for unit `{name}`",
                            "内部错误：单位“{name}”没有 id"
                        )
                    })
                }
            })
            .collect()
    };
    fn task<'a>(t: &'a ImportedTask, ids: &IdsOf<'_>) -> Result<OutTask<'a>, Text> {
        let number = match t.number.parse::<u32>() {
            Ok(n) if n.to_string() == t.number => OutNumber::Integer(n),
            _ => OutNumber::Text(&t.number),
        };
        let deadline = t.deadline.as_ref().map(|d| match d {
            Deadline::LabelDate(label, date) => OutDeadline::Labelled {
                label: label.clone(),
                date: date.to_string(),
            },
            other => OutDeadline::Scalar(other.written()),
        });
        Ok(OutTask {
            number,
            content: &t.content,
            lead: ids(&t.lead)?,
            partners: ids(&t.partners)?,
            deadline,
            targets: t.targets.iter().map(|text| OutTarget { text }).collect(),
        })
    }
    let (categories, tasks) = if plan.has_categories {
        let mut out = Vec::new();
        for c in &plan.categories {
            out.push(OutCategory {
                number: (!c.number.is_empty()).then_some(c.number.as_str()),
                name: &c.name,
                tasks: c
                    .tasks
                    .iter()
                    .map(|t| task(t, &ids))
                    .collect::<Result<_, _>>()?,
            });
        }
        (Some(out), None)
    } else {
        (
            None,
            Some(
                plan.tasks()
                    .map(|t| task(t, &ids))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        )
    };
    let out = OutPlan {
        title: &plan.title,
        source: plan.source.as_deref(),
        period: plan.period.map(|(start, end)| OutPeriod {
            start: start.to_string(),
            end: end.to_string(),
        }),
        categories,
        tasks,
    };
    serde_saphyr::to_string(&out).map_err(|e| {
        text!(
            "internal error: cannot write the plan as YAML: {e}",
            "内部错误：无法将工作分解表写为 YAML：{e}"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::tables::find_tables;
    use crate::import::units::Known;

    fn registry() -> Registry {
        let mut r = Registry::default();
        for (id, names) in [
            ("kjj", &["市科技局"][..]),
            ("czj", &["市财政局"][..]),
            ("tjj", &["市统计局"][..]),
            ("all", &["各有关单位"][..]),
        ] {
            r.add(
                Known {
                    id: UnitId::parse(id).unwrap(),
                    name: names[0].to_string(),
                },
                &names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            );
        }
        r
    }

    #[test]
    fn deadlines_map_onto_design_forms() {
        let end = Date::new(2010, 12, 31).ok();
        let cases = [
            ("2009年3月", "2009-03", false),
            ("2009年3月底", "2009-03", false),
            ("2009年", "2009", false),
            ("2009年底", "2009", false),
            ("2009年6月30日", "2009-06-30", false),
            ("常设", "常设", false),
            ("试点期内", "试点期内", true),
            ("每年", "每年", true),
            ("2008年—2009年6月", "2009-06", true),
            ("尽快", "尽快", true),
        ];
        for (written, expected, guessed) in cases {
            let (d, guess) = parse_deadline(written, end);
            assert_eq!(
                d.as_ref().map(Deadline::written).as_deref(),
                Some(expected),
                "{written}"
            );
            assert_eq!(guess.is_some(), guessed, "{written}");
        }
        assert_eq!(
            parse_deadline("试点期内", end).0,
            Some(Deadline::LabelDate(
                "试点期内".into(),
                Date::new(2010, 12, 31).unwrap()
            ))
        );
        assert_eq!(
            parse_deadline("2009年13月", end).0,
            Some(Deadline::Label("2009年13月".into()))
        );
    }

    #[test]
    fn numbered_targets_inside_a_cell() {
        let (content, items) =
            split_targets("1.建立制度；2.专利申请量增长16%以上；3.万人拥有4.32件");
        assert_eq!(
            items,
            ["建立制度", "专利申请量增长16%以上", "万人拥有4.32件"]
        );
        assert_eq!(
            content,
            "1.建立制度；2.专利申请量增长16%以上；3.万人拥有4.32件"
        );
        let (content, items) = split_targets("加强保护：（1）立案；（2）审判");
        assert_eq!(content, "加强保护：");
        assert_eq!(items, ["立案", "审判"]);
        let (_, items) = split_targets("2009.3前完成1项");
        assert!(items.is_empty());
    }

    const PIPE_PLAN: &str = "\
2009年某市知识产权试点工作任务分解表
| 类号 | 项目分类 | 序号 | 工作任务 | 责任单位 | 配合单位 | 完成时限 |
|---|---|---|---|---|---|---|
| 一 | 制度建设 | 1 | 1.制定办法 2.建立制度 | 市科技局 | | 2009年3月 |
| | | 2 | 设立专项资金 | 市财政局 | 市科技局 | 试点期内 |
| 二 | 统计 | 3 | 建立统计体系 | 市统计局 | 各有关单位 | 每年 |
";

    #[test]
    fn a_pipe_plan_reads_with_categories_targets_and_deadlines() {
        let table = find_tables(PIPE_PLAN).into_iter().next().unwrap();
        assert!(is_task_table(&table));
        let mut guesses = Vec::new();
        let plan = read_plan(PIPE_PLAN, table, &registry(), &mut guesses).unwrap();
        assert_eq!(plan.title, "2009年某市知识产权试点工作任务分解表");
        assert_eq!(plan.categories.len(), 2);
        let c = &plan.categories[0];
        assert_eq!(
            (c.number.as_str(), c.name.as_str(), c.tasks.len()),
            ("一", "制度建设", 2)
        );
        let t1 = &c.tasks[0];
        assert_eq!(t1.targets, ["制定办法", "建立制度"]);
        assert!(t1.partners.is_empty(), "empty 配合单位");
        assert_eq!(t1.deadline, Some(Deadline::Month(2009, 3)));
        assert_eq!(
            c.tasks[1].deadline.as_ref().and_then(Deadline::date),
            Date::new(2009, 12, 31).ok()
        );
        let t3 = &plan.categories[1].tasks[0];
        assert_eq!(t3.lead, [UnitRef::Known(UnitId::parse("tjj").unwrap())]);
        assert_eq!(t3.deadline, Some(Deadline::Label("每年".into())));
        // Guesses name their lines: the title, the targets, 试点期内, 每年.
        assert!(
            guesses
                .iter()
                .any(|g| g.line == 4 && g.what.en().contains("目标要求"))
        );
        assert!(
            guesses
                .iter()
                .any(|g| g.line == 6 && g.what.en().contains("每年"))
        );
        let yaml = to_yaml(&plan, &BTreeMap::new()).unwrap();
        assert!(yaml.contains("label: 试点期内"), "{yaml}");
    }

    /// A box table over two pages: 类号 merged across a partial rule, a row the page
    /// break split (no 序号 on the second page), an empty 配合单位.
    const BOX_PLAN: &str = "\
2008年某市工作分解表
┌──┬──────┬──┬────────┬──────┬──────┐
│类号│ 项目分类 │序号│ 工 作 内 容 │ 负责单位 │ 配合单位 │
├──┼──────┼──┼────────┼──────┼──────┤
│ │ │ │ 第一行, │市科技局│ │
│一 │建立健全 │ 1 │ 第二行 │ │ │
│ │ │ │ 第三行。 │ │ │
│ │ ├──┼────────┼──────┼──────┤
│ │管理体系 │ 2 │ 分页前的 │市财政局│市统计局、│
└──┴──────┴──┴────────┴──────┴──────┘
第 2 页
┌──┬──────┬──┬────────┬──────┬──────┐
│类号│ 项目分类 │序号│ 工 作 内 容 │ 负责单位 │ 配合单位 │
├──┼──────┼──┼────────┼──────┼──────┤
│一（续）│ │ │ 半行文字。 │ │各有关单位│
├──┼──────┼──┼────────┼──────┼──────┤
│二（续）│ 统计 │ 3 │ 统计。 │市统计局│ │
└──┴──────┴──┴────────┴──────┴──────┘
";

    #[test]
    fn a_box_plan_joins_the_row_a_page_break_split() {
        let table = find_tables(BOX_PLAN).into_iter().next().unwrap();
        let mut guesses = Vec::new();
        let plan = read_plan(BOX_PLAN, table, &registry(), &mut guesses).unwrap();
        let names: Vec<(&str, &str, usize)> = plan
            .categories
            .iter()
            .map(|c| (c.number.as_str(), c.name.as_str(), c.tasks.len()))
            .collect();
        assert_eq!(names, [("一", "建立健全管理体系", 2), ("二", "统计", 1)]);
        let t1 = &plan.categories[0].tasks[0];
        assert_eq!(t1.content, "第一行，第二行第三行。");
        assert!(t1.partners.is_empty());
        let t2 = &plan.categories[0].tasks[1];
        assert_eq!(t2.content, "分页前的半行文字。");
        let unit = |id: &str| UnitRef::Known(UnitId::parse(id).unwrap());
        assert_eq!(t2.partners, [unit("tjj"), unit("all")]);
        assert_eq!(t2.deadline, Some(Deadline::Month(2008, 12)));
        assert!(
            guesses
                .iter()
                .any(|g| g.line == 15 && g.what.en().contains("joined"))
        );
    }

    /// One cell per line: targets numbered inside one cell, 常设, an empty 配合单位.
    const FLAT_PLAN: &str = "\
2010年某区知识产权工作要点分解
序号
|
工作任务
|
责任单位
|
配合单位
|
完成时限

1
|
完善政策。
1.制定资助办法；
2.设立奖励。
|
市财政局
|
|
常设
";

    #[test]
    fn a_flat_plan_reads_numbered_targets_and_labels() {
        let table = find_tables(FLAT_PLAN).into_iter().next().unwrap();
        let mut guesses = Vec::new();
        let plan = read_plan(FLAT_PLAN, table, &registry(), &mut guesses).unwrap();
        assert!(!plan.has_categories);
        let task = plan.tasks().next().unwrap();
        assert_eq!(task.content, "完善政策。");
        assert_eq!(task.targets, ["制定资助办法", "设立奖励。"]);
        assert!(task.partners.is_empty());
        assert_eq!(task.deadline, Some(Deadline::Label("常设".into())));
        let yaml = to_yaml(&plan, &BTreeMap::new()).unwrap();
        assert!(
            yaml.starts_with("title: 2010年某区知识产权工作要点分解\n"),
            "{yaml}"
        );
        assert!(
            yaml.contains("tasks:") && !yaml.contains("categories:"),
            "{yaml}"
        );
    }

    #[test]
    fn a_task_without_lead_is_a_problem_with_its_line() {
        let text = "| 序号 | 工作任务 | 责任单位 |\n| 1 | 做事 | |\n";
        let table = find_tables(text).into_iter().next().unwrap();
        let problems = read_plan(text, table, &registry(), &mut Vec::new()).unwrap_err();
        assert_eq!(problems[0].line, 2);
    }
}
