//! A notice (通知) as text → its front matter and Markdown body.
//!
//! The front matter comes from the **metadata table** (索引号, 发布机构, 发文日期, 标题, 文号,
//! 主题词, 内容概述, 时效, 文件下载) in any layout [`super::tables`] reads — 2- or 4-column
//! pipe rows, letter-spaced labels (`索 引 号`), 繁體 labels — or from `label：value`
//! lines when there is no table. What neither gives is found by heuristics, each a guess
//! with its line: the title (the first heading-like line), the 文号
//! (`宝金政办字〔2022〕46号`), the date (the 落款's `2014年5月7日` or `二○○七年六月三十日`) and
//! the 发布机构 (the 落款, else the words of the title before 关于).
//!
//! The body is written the way the example site's notices are: `一、` lines become `##`
//! headings; `（一）` paragraphs stay paragraphs (a short `（一）` line without a full
//! stop becomes `###`); `组长：…` and `单位：职责` lead-ins get a bold label; a 附件 list
//! becomes a numbered list; the 落款 and its date are the closing lines joined by a hard
//! break (`\`); what follows the 落款 (the document a notice 印发) comes after a `---`
//! rule with its title in bold; other tables become GFM tables. Lines before the title
//! (the 红头 `…文件`, the 文号 line) are left out, and a paragraph a page break split is
//! joined again — both are guesses.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use jiff::civil::Date;
use regex::Regex;
use serde::Serialize;

use super::decode::tidy;
use super::plan::{Found, UnitRef};
use super::tables::Table;
use super::units::{Registry, disambiguate};
use crate::content::notice::Validity;
use crate::content::unit::UnitId;
use crate::diagnostics::Text;
use crate::enums::{Key, Label};
use crate::text;

/// A field of the metadata block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    IndexNo,
    Issuer,
    Date,
    Published,
    Title,
    DocNo,
    Keywords,
    Topic,
    Summary,
    Validity,
    Download,
}

/// The labels of each field as offices write them (simplified and traditional).
const LABELS: &[(Field, &[&str])] = &[
    (Field::IndexNo, &["索引号", "索引號"]),
    (
        Field::Issuer,
        &[
            "发布机构",
            "發布機構",
            "发文机关",
            "發文機關",
            "发文单位",
            "發文單位",
        ],
    ),
    (Field::Date, &["发文日期", "發文日期", "成文日期"]),
    (Field::Published, &["发布日期", "發布日期"]),
    (Field::Title, &["标题", "標題", "文件名称", "文件名稱"]),
    (Field::DocNo, &["文号", "文號", "发文字号", "發文字號"]),
    (Field::Keywords, &["主题词", "主題詞"]),
    (Field::Topic, &["主题分类", "主題分類"]),
    (
        Field::Summary,
        &["内容概述", "內容概述", "内容摘要", "內容摘要"],
    ),
    (Field::Validity, &["时效", "時效", "效力状态", "效力狀態"]),
    (Field::Download, &["文件下载", "文件下載"]),
];

/// The field a cell or a `label：` names (spaces and a trailing colon ignored).
fn label_of(cell: &str) -> Option<Field> {
    let key: String = cell
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches(['：', ':'])
        .to_string();
    LABELS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// A notice as read from a file.
#[derive(Debug, Clone)]
pub(crate) struct ImportedNotice {
    /// 索引号, when the text has one (else the next free one is given in `mod.rs`).
    pub index_no: Option<String>,
    /// 标题.
    pub title: String,
    /// 发布机构.
    pub issuers: Vec<UnitRef>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 发文日期.
    pub date: Date,
    /// 发布日期.
    pub published: Option<Date>,
    /// 体裁 (from the title's last word).
    pub genre: Option<String>,
    /// 主题分类.
    pub topic: Option<String>,
    /// 主题词.
    pub keywords: Vec<String>,
    /// 内容概述.
    pub summary: Option<String>,
    /// 时效.
    pub validity: Validity,
    /// The Markdown body.
    pub markdown: String,
    /// The body's blocks, for the body proposal.
    pub blocks: Vec<Block>,
    /// The line the issuer came from (for the index_no guess).
    pub issuer_line: usize,
    /// The line of the title.
    pub title_line: usize,
    /// The line of the 索引号 (the issuer's when the text has none).
    pub index_no_line: usize,
}

impl ImportedNotice {
    /// Every unit reference, for listing unknown names.
    pub(crate) fn unit_refs_mut(&mut self) -> impl Iterator<Item = &mut UnitRef> {
        self.issuers.iter_mut()
    }

    /// The notice file: front matter through serde (in the order of `gongkai new
    /// notice`), then the body.
    pub(crate) fn to_markdown(&self, index_no: &str, issuers: &[String]) -> Result<String, Text> {
        #[derive(Serialize)]
        #[serde(untagged)]
        enum Issuer<'a> {
            One(&'a str),
            Many(&'a [String]),
        }
        #[derive(Serialize)]
        struct Front<'a> {
            index_no: &'a str,
            title: &'a str,
            issuer: Issuer<'a>,
            #[serde(skip_serializing_if = "Option::is_none")]
            doc_no: Option<&'a str>,
            date: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            published: Option<String>,
            #[serde(skip_serializing_if = "Option::is_none")]
            genre: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            topic: Option<&'a str>,
            #[serde(skip_serializing_if = "<[String]>::is_empty")]
            keywords: &'a [String],
            #[serde(skip_serializing_if = "Option::is_none")]
            summary: Option<&'a str>,
            validity: &'static str,
            draft: bool,
        }
        let issuer = match issuers {
            [one] => Issuer::One(one),
            many => Issuer::Many(many),
        };
        let front = Front {
            index_no,
            title: &self.title,
            issuer,
            doc_no: self.doc_no.as_deref(),
            date: self.date.to_string(),
            published: self.published.map(|d| d.to_string()),
            genre: self.genre.as_deref(),
            topic: self.topic.as_deref(),
            keywords: &self.keywords,
            summary: self.summary.as_deref(),
            validity: self.validity.key(),
            draft: false,
        };
        let yaml = serde_saphyr::to_string(&front).map_err(|e| {
            text!(
                "internal error: cannot write a notice's front matter: {e}",
                "内部错误：无法写出通知的前置元数据：{e}"
            )
        })?;
        Ok(format!("---\n{yaml}---\n{}", self.markdown))
    }
}

/// A block of the body, as it is written in Markdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// `## 一、…` (level 2) or `### （一）…` (level 3).
    Heading {
        /// 2 or 3.
        level: u8,
        /// The heading text.
        text: String,
        /// Its line.
        line: usize,
    },
    /// A paragraph; `lead` is the label of a `label：text` lead-in (written bold).
    Para {
        /// The whole text.
        text: String,
        /// The bold label, when there is one.
        lead: Option<String>,
        /// Its first line.
        line: usize,
    },
    /// `附件：` and its numbered items.
    Attachments {
        /// The items without their numbers.
        items: Vec<String>,
        /// Its line.
        line: usize,
    },
    /// The 落款 and its date.
    Closing {
        /// The signer line(s).
        signer: String,
        /// The date line.
        date: String,
        /// The line of the signer.
        line: usize,
        /// The line of the date.
        date_line: usize,
    },
    /// `---`, then the title of the enclosed document in bold.
    Enclosure {
        /// The enclosed document's title, when its first line is one.
        title: Option<String>,
        /// Its line.
        line: usize,
    },
    /// A GFM table.
    Table {
        /// The Markdown.
        markdown: String,
        /// Its first line.
        line: usize,
    },
}

impl Block {
    fn markdown(&self) -> String {
        match self {
            Block::Heading { level, text, .. } => {
                format!("{} {text}", "#".repeat(usize::from(*level)))
            }
            Block::Para { text, lead, .. } => match lead {
                Some(lead) => {
                    let rest = text
                        .strip_prefix(lead.as_str())
                        .and_then(|r| r.strip_prefix('：'))
                        .unwrap_or(text);
                    format!("**{lead}**：{rest}")
                }
                None => escape_markdown(text),
            },
            Block::Attachments { items, .. } => {
                let list: Vec<String> = items
                    .iter()
                    .enumerate()
                    .map(|(i, t)| format!("{}. {t}", i + 1))
                    .collect();
                format!("附件：\n\n{}", list.join("\n"))
            }
            Block::Closing { signer, date, .. } => format!("{signer}\\\n{date}"),
            Block::Enclosure { title, .. } => match title {
                Some(t) => format!("---\n\n**{t}**"),
                None => "---".to_string(),
            },
            Block::Table { markdown, .. } => markdown.clone(),
        }
    }
}

/// A paragraph's text made safe to start a Markdown line: a leading `#`, `>`, `-`, `+`,
/// `*` or `1. ` would make it something else.
fn escape_markdown(text: &str) -> String {
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d+)([.)]) ").unwrap_or_else(|e| unreachable!("valid regex: {e}"))
    });
    if text.starts_with(['#', '>', '-', '+', '*', '=', '|']) {
        return format!("\\{text}");
    }
    if LIST.is_match(text) {
        return LIST.replace(text, "$1\\$2 ").into_owned();
    }
    text.to_string()
}

static DOC_NO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}{1,12}[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*第?\s*\d+\s*号")
        .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});
static HEADING1: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[一二三四五六七八九十]{1,3}、")
        .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});
static HEADING2: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^（[一二三四五六七八九十]{1,3}）")
        .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{1,2})\s*[.．、]\s*").unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([^，。；：、,.;:（）()《》“”\s\d]{1,15})：(.+)$")
        .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});
static ATTACHMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^附\s*件\s*[：:]?\s*(.*)$").unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});
static PAGE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–\s]*\d+[-—–\s]*|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)$")
        .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
});

/// Marks that end a sentence or a clause a paragraph may end with.
const CLOSING_MARKS: &[char] = &['。', '；', '！', '？', '：', '”', '…', '.', '!', '?', ';'];

/// Whether a line is punctuation-free and short: a title, 落款 or heading.
fn is_title_like(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    n > 0 && n <= max && !s.contains(['。', '，', '；', '：', ',', ';', ':'])
}

/// Parses a date as notices write it: `2014-05-07`, `2014年5月7日`, `2014.5.7`,
/// `2014/5/7`, `二○○七年六月三十日`.
pub(crate) fn parse_date(s: &str) -> Option<Date> {
    static ARABIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})\s*[-年./／]\s*(\d{1,2})\s*[-月./／]\s*(\d{1,2})\s*日?$")
            .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
    });
    static HAN: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^([〇○零O０一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
            .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
    });
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(c) = ARABIC.captures(&s) {
        let y: i16 = c[1].parse().ok()?;
        let m: i8 = c[2].parse().ok()?;
        let d: i8 = c[3].parse().ok()?;
        return Date::new(y, m, d).ok();
    }
    let c = HAN.captures(&s)?;
    let digit = |ch: char| -> Option<i32> {
        Some(match ch {
            '〇' | '○' | '零' | 'O' | '０' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut year = 0i32;
    for ch in c[1].chars() {
        year = year * 10 + digit(ch)?;
    }
    let small = |t: &str| -> Option<i32> {
        let chars: Vec<char> = t.chars().collect();
        match chars.as_slice() {
            ['十'] => Some(10),
            ['十', u] => Some(10 + digit(*u)?),
            [t, '十'] => Some(digit(*t)? * 10),
            [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
            [u] => digit(*u),
            _ => None,
        }
    };
    let m = small(&c[2])?;
    let d = small(&c[3])?;
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

/// The metadata found, each with its line.
#[derive(Debug, Default)]
struct Meta {
    fields: BTreeMap<Field, (String, usize)>,
    /// Lines that hold it, left out of the body.
    lines: BTreeSet<usize>,
    /// The metadata table's index in the document's tables.
    table: Option<usize>,
}

/// Reads the first table with two or more metadata labels.
fn meta_from_tables(tables: &[Table], found: &mut Vec<Found>) -> Meta {
    let mut meta = Meta::default();
    let Some((index, table)) = tables.iter().enumerate().find(|(_, t)| {
        let cells = t.header.iter().chain(t.rows.iter().flat_map(|r| &r.cells));
        cells.filter(|c| label_of(&c.text).is_some()).count() >= 2
    }) else {
        return meta;
    };
    meta.table = Some(index);
    meta.lines.extend(table.lines.0..=table.lines.1);
    let cells: Vec<&super::tables::Cell> = table
        .header
        .iter()
        .chain(table.rows.iter().flat_map(|r| &r.cells))
        .collect();
    let mut i = 0;
    while i < cells.len() {
        let cell = cells[i];
        if let Some(field) = label_of(&cell.text) {
            let value = cells
                .get(i + 1)
                .filter(|v| label_of(&v.text).is_none() && v.line == cell.line);
            match value {
                Some(v) => {
                    if !v.text.trim().is_empty() {
                        meta.fields.entry(field).or_insert((tidy(&v.text), v.line));
                    }
                    i += 2;
                }
                None => i += 1,
            }
            continue;
        }
        if !cell.text.trim().is_empty() {
            let shown = &cell.text;
            found.push(Found {
                line: cell.line,
                what: text!(
                    "metadata cell `{shown}` follows no label it could be the value of: left out",
                    "元数据单元格“{shown}”前面没有可对应的标签：已略去"
                ),
            });
        }
        i += 1;
    }
    meta
}

/// Reads `label：value` lines; a line may hold several (`索引号：… 发布机构：…`), and a
/// label may be letter-spaced (`标    题：`).
fn meta_from_lines(lines: &[&str], meta: &mut Meta) {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        let alternatives: Vec<String> = LABELS
            .iter()
            .flat_map(|(_, names)| names.iter())
            .map(|name| {
                name.chars()
                    .map(|c| regex::escape(&c.to_string()))
                    .collect::<Vec<_>>()
                    .join(r"[\s\u{3000}]*")
            })
            .collect();
        Regex::new(&format!(
            r"(?:{})[\s\u{{3000}}]*[：:]",
            alternatives.join("|")
        ))
        .unwrap_or_else(|e| unreachable!("valid regex: {e}"))
    });
    for (i, line) in lines.iter().enumerate() {
        let line = line.trim();
        let found: Vec<regex::Match<'_>> = LABEL.find_iter(line).collect();
        if found.first().is_none_or(|m| m.start() != 0) {
            continue;
        }
        meta.lines.insert(i + 1);
        for (k, m) in found.iter().enumerate() {
            let end = found.get(k + 1).map_or(line.len(), |next| next.start());
            let Some(field) = label_of(m.as_str()) else {
                continue;
            };
            let value = tidy(&line[m.end()..end]);
            if !value.is_empty() {
                meta.fields.entry(field).or_insert((value, i + 1));
            }
        }
    }
}

/// A line of the body before it is classified.
#[derive(Debug, Clone)]
enum Item<'t> {
    Line { text: String, line: usize },
    Table(&'t Table),
}

/// Reads a notice out of a document's text and tables. `Err` holds what stops it.
pub(crate) fn read_notice(
    text: &str,
    tables: &[Table],
    registry: &Registry,
    found: &mut Vec<Found>,
) -> Result<ImportedNotice, Vec<Found>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut meta = meta_from_tables(tables, found);
    if meta.table.is_none() {
        meta_from_lines(&lines, &mut meta);
    }
    let take = |meta: &Meta, f: Field| meta.fields.get(&f).cloned();

    // The body's items: lines outside the metadata, other tables at their place.
    let mut items: Vec<Item<'_>> = Vec::new();
    let mut table_at: BTreeMap<usize, &Table> = BTreeMap::new();
    for (i, t) in tables.iter().enumerate() {
        if Some(i) != meta.table {
            table_at.insert(t.lines.0, t);
        }
    }
    let mut n = 1;
    while n <= lines.len() {
        if let Some(t) = table_at.get(&n) {
            for note in &t.notes {
                found.push(Found {
                    line: note.line,
                    what: note.what.clone(),
                });
            }
            items.push(Item::Table(t));
            n = t.lines.1.max(n) + 1;
            continue;
        }
        let raw = lines[n - 1];
        if !meta.lines.contains(&n) && !raw.trim().is_empty() && !PAGE_MARK.is_match(raw.trim()) {
            items.push(Item::Line {
                text: tidy(raw),
                line: n,
            });
        }
        n += 1;
    }

    // Title: the metadata's, else the first heading-like line.
    let squash = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    let title = match take(&meta, Field::Title) {
        Some(t) => Some(t),
        None => {
            let line_texts = items.iter().filter_map(|i| match i {
                Item::Line { text, line } => Some((text.clone(), *line)),
                Item::Table(_) => None,
            });
            let candidates: Vec<(String, usize)> = line_texts
                .take(12)
                .filter(|(t, _)| {
                    is_title_like(t, 80)
                        && !t.ends_with("文件")
                        && !DOC_NO.is_match(t)
                        && parse_date(t).is_none()
                })
                .collect();
            let preferred = candidates
                .iter()
                .find(|(t, _)| t.contains("关于") || t.contains("關於") || genre_of(t).is_some())
                .or(candidates.first())
                .cloned();
            if let Some((t, line)) = &preferred {
                found.push(Found {
                    line: *line,
                    what: text!(
                        "title `{t}`: the first heading-like line (no metadata table gives one)",
                        "标题“{t}”：取自第一个标题样式的行（没有元数据表给出标题）"
                    ),
                });
            }
            preferred
        }
    };
    let Some((title, title_line)) = title else {
        return Err(vec![Found {
            line: 1,
            what: text!(
                "no title found: add a 标题 row to the metadata table or a title line",
                "未找到标题：请在元数据表中加“标题”一行，或加一行标题"
            ),
        }]);
    };

    // Leave out the lines up to the title line (the 红头, the 文号).
    let title_key = squash(&title);
    let title_at = items
        .iter()
        .take(12)
        .position(|i| matches!(i, Item::Line { text, .. } if squash(text) == title_key));
    let mut before: Vec<(String, usize)> = Vec::new();
    if let Some(k) = title_at {
        for item in items.drain(..=k) {
            if let Item::Line { text, line } = item
                && squash(&text) != title_key
            {
                before.push((text, line));
            }
        }
    }
    for (t, line) in &before {
        found.push(Found {
            line: *line,
            what: text!(
                "`{t}` before the title left out of the body",
                "标题前的“{t}”未写入正文"
            ),
        });
    }

    // 文号.
    let doc_no = match take(&meta, Field::DocNo) {
        Some((d, _)) => Some(d),
        None => {
            let early = items.iter().take(6).filter_map(|i| match i {
                Item::Line { text, line }
                    if DOC_NO.is_match(text) && text.chars().count() <= 30 =>
                {
                    Some((text.clone(), *line))
                }
                _ => None,
            });
            let from = before
                .iter()
                .cloned()
                .chain(early)
                .find_map(|(t, line)| DOC_NO.find(&t).map(|m| (m.as_str().to_string(), line)));
            from.map(|(d, line)| {
                let d = normalise_doc_no(&d);
                found.push(Found {
                    line,
                    what: text!("文号 `{d}` found in the text", "文号“{d}”取自正文前的文字"),
                });
                d
            })
        }
    };

    // A 文号 line of its own just under the title is the heading's, not the body's.
    let doc_no_line = items.iter().take(3).position(|i| {
        matches!(i, Item::Line { text, .. }
            if DOC_NO.find(text).is_some_and(|m| m.start() == 0 && m.end() == text.len()))
    });
    if let Some(k) = doc_no_line
        && let Item::Line { text, line } = items.remove(k)
    {
        found.push(Found {
            line,
            what: text!(
                "`{text}` under the title left out of the body",
                "标题下的“{text}”未写入正文"
            ),
        });
    }

    let mut blocks = classify(items, found);

    // 发文日期: the metadata's, else the 落款's date.
    let closing = blocks.iter().find_map(|b| match b {
        Block::Closing {
            signer,
            date,
            line,
            date_line,
        } => Some((signer.clone(), date.clone(), *line, *date_line)),
        _ => None,
    });
    let date = match take(&meta, Field::Date) {
        Some((d, line)) => match parse_date(&d) {
            Some(date) => Some(date),
            None => {
                return Err(vec![Found {
                    line,
                    what: text!(
                        "发文日期 `{d}` is not a date (2014-05-07 or 2014年5月7日)",
                        "发文日期“{d}”不是日期（应为 2014-05-07 或 2014年5月7日）"
                    ),
                }]);
            }
        },
        None => closing.as_ref().and_then(|(_, d, _, line)| {
            let date = parse_date(d)?;
            found.push(Found {
                line: *line,
                what: text!(
                    "发文日期 {date}: the date under the 落款",
                    "发文日期 {date}：取自落款下的日期"
                ),
            });
            Some(date)
        }),
    };
    let Some(date) = date else {
        return Err(vec![Found {
            line: 1,
            what: text!(
                "no 发文日期 found: add a 发文日期 row to the metadata table or the date under the 落款 (2014年5月7日)",
                "未找到发文日期：请在元数据表中加“发文日期”一行，或在落款下写日期（2014年5月7日）"
            ),
        }]);
    };

    // 发布机构: the metadata's, else the 落款, else the title before 关于.
    let (issuer_text, issuer_line, issuer_guessed) = match take(&meta, Field::Issuer) {
        Some((i, line)) => (Some(i), line, false),
        None => match &closing {
            Some((signer, _, line, _)) => (Some(signer.clone()), *line, true),
            None => match title
                .split_once("关于")
                .or_else(|| title.split_once("關於"))
                .or_else(|| title.split_once("關于"))
            {
                Some((before, _)) if !before.is_empty() => {
                    (Some(before.to_string()), title_line, true)
                }
                _ => (None, 1, false),
            },
        },
    };
    let Some(issuer_text) = issuer_text else {
        return Err(vec![Found {
            line: 1,
            what: text!(
                "no 发布机构 found: add a 发布机构 row to the metadata table or a 落款",
                "未找到发布机构：请在元数据表中加“发布机构”一行，或加落款"
            ),
        }]);
    };
    if issuer_guessed {
        found.push(Found {
            line: issuer_line,
            what: text!(
                "发布机构 `{issuer_text}`: from the 落款 or the title",
                "发布机构“{issuer_text}”：取自落款或标题"
            ),
        });
    }
    let issuers = resolve_units(registry, &issuer_text, issuer_line, found);
    if issuers.is_empty() {
        return Err(vec![Found {
            line: issuer_line,
            what: text!(
                "no unit in 发布机构 `{issuer_text}`",
                "发布机构“{issuer_text}”中没有单位"
            ),
        }]);
    }

    let genre = {
        let g = genre_of(&title);
        if let Some(g) = &g {
            found.push(Found {
                line: title_line,
                what: text!(
                    "genre {g}: the last word of the title",
                    "体裁“{g}”：取自标题末尾"
                ),
            });
        }
        g
    };
    let validity = match take(&meta, Field::Validity) {
        Some((v, line)) => match validity_of(&v) {
            Some(v) => v,
            None => {
                found.push(Found {
                    line,
                    what: text!(
                        "时效 `{v}` not understood: written as effective",
                        "无法识别时效“{v}”：按“有效”写入"
                    ),
                });
                Validity::Effective
            }
        },
        None => Validity::Effective,
    };
    let keywords = take(&meta, Field::Keywords)
        .map(|(k, _)| {
            k.split(['、', '，', ',', '；', ';', ' ', '\u{3000}'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let published = take(&meta, Field::Published).and_then(|(d, _)| parse_date(&d));
    if let Some((_, line)) = take(&meta, Field::Download) {
        found.push(Found {
            line,
            what: text!(
                "文件下载 is not imported: add the file under content/attachments/ and list it in `attachments:`",
                "文件下载未导入：请把文件放到 content/attachments/ 下，并在 attachments: 中列出"
            ),
        });
    }
    // A closing block without a date line next to it never happens; keep the order.
    blocks.retain(|b| !matches!(b, Block::Para { text, .. } if text.is_empty()));
    let markdown = blocks
        .iter()
        .map(Block::markdown)
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(ImportedNotice {
        index_no: take(&meta, Field::IndexNo).map(|(v, _)| v.replace(char::is_whitespace, "")),
        title,
        issuers,
        doc_no,
        date,
        published,
        genre,
        topic: take(&meta, Field::Topic).map(|(t, _)| t),
        keywords,
        summary: take(&meta, Field::Summary).map(|(s, _)| s),
        validity,
        markdown: format!("{markdown}\n"),
        blocks,
        issuer_line,
        title_line,
        index_no_line: take(&meta, Field::IndexNo).map_or(issuer_line, |(_, line)| line),
    })
}

/// `〔2022〕` brackets, whatever the text used.
fn normalise_doc_no(d: &str) -> String {
    d.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '[' | '［' | '(' | '（' | '【' => '〔',
            ']' | '］' | ')' | '）' | '】' => '〕',
            _ => c,
        })
        .collect()
}

/// The genre a title ends with (`…的通知` → 通知).
fn genre_of(title: &str) -> Option<String> {
    const GENRES: &[&str] = &[
        "通知", "通告", "公告", "意见", "办法", "决定", "批复", "规定", "方案", "报告", "纪要",
        "规划", "细则", "通报", "请示", "函",
    ];
    GENRES
        .iter()
        .find(|g| title.ends_with(*g))
        .map(|g| g.to_string())
}

/// 有效, 失效, 废止 … → [`Validity`].
fn validity_of(v: &str) -> Option<Validity> {
    let v: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    let v = match v.as_str() {
        "廢止" => "废止",
        "已修訂" | "已修改" | "修改" | "已修订" => "已修改",
        other => other,
    };
    <Validity as strum::VariantArray>::VARIANTS
        .iter()
        .copied()
        .find(|x| x.label() == v || x.key() == v)
}

/// Matches a list of unit names; unknown names stay [`UnitRef::Unknown`].
pub(crate) fn resolve_units(
    registry: &Registry,
    names: &str,
    line: usize,
    found: &mut Vec<Found>,
) -> Vec<UnitRef> {
    let prefixes = BTreeMap::new();
    resolve_units_with(registry, names, line, &prefixes, found)
}

/// [`resolve_units`], ambiguous names going the way of `prefixes` (id prefix → count).
pub(crate) fn resolve_units_with(
    registry: &Registry,
    names: &str,
    line: usize,
    prefixes: &BTreeMap<String, usize>,
    found: &mut Vec<Found>,
) -> Vec<UnitRef> {
    let mut out = Vec::new();
    for r in registry.resolve_list(names) {
        if let Some(what) = r.guess.clone() {
            found.push(Found { line, what });
        }
        let chosen = match r.ids.as_slice() {
            [] => UnitRef::Unknown {
                name: r.written.clone(),
                line,
                suggestions: r.suggestions.clone(),
            },
            [id] => UnitRef::Known(id.clone()),
            ids => {
                let Some(id) = disambiguate(ids, prefixes) else {
                    continue;
                };
                let name = &r.written;
                let all = ids
                    .iter()
                    .map(UnitId::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                found.push(Found {
                    line,
                    what: text!(
                        "`{name}` is the name of {all}: chose {id}",
                        "“{name}”是 {all} 共用的名称：选 {id}"
                    ),
                });
                UnitRef::Known(id)
            }
        };
        if !out.contains(&chosen) {
            out.push(chosen);
        }
    }
    out
}

/// Turns the body's lines into blocks: headings, paragraphs (joined where a page break
/// split them), 附件 lists, the 落款, the enclosure and tables.
fn classify(items: Vec<Item<'_>>, found: &mut Vec<Found>) -> Vec<Block> {
    // Join a paragraph a page break split: a long line without a closing mark, then a
    // line that starts no structure of its own.
    let mut joined: Vec<Item<'_>> = Vec::new();
    for item in items {
        if let (Some(Item::Line { text: prev, line }), Item::Line { text, line: next }) =
            (joined.last_mut(), &item)
        {
            let open = prev.chars().count() >= 30 && !prev.ends_with(CLOSING_MARKS);
            if open && !starts_structure(text) {
                let (a, b) = (*line, *next);
                found.push(Found {
                    line: b,
                    what: text!(
                        "line {b} joined to the paragraph of line {a}: it ends without a full stop",
                        "第 {b} 行接在第 {a} 行的段落后：该段末尾没有句号"
                    ),
                });
                prev.push_str(text);
                *prev = tidy(prev);
                continue;
            }
        }
        joined.push(item);
    }

    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    let mut closed = false;
    while i < joined.len() {
        let (text, line) = match &joined[i] {
            Item::Table(t) => {
                blocks.push(Block::Table {
                    markdown: gfm(t),
                    line: t.lines.0,
                });
                i += 1;
                continue;
            }
            Item::Line { text, line } => (text.clone(), *line),
        };
        let next_text = |k: usize| match joined.get(k) {
            Some(Item::Line { text, .. }) => Some(text.as_str()),
            _ => None,
        };
        let line_of = |k: usize| match joined.get(k) {
            Some(Item::Line { line, .. }) => *line,
            _ => 0,
        };
        // The 落款: a short line with a date line under it.
        if is_title_like(&text, 30)
            && !HEADING1.is_match(&text)
            && parse_date(&text).is_none()
            && let Some(date) = next_text(i + 1).filter(|d| parse_date(d).is_some())
        {
            blocks.push(Block::Closing {
                signer: text.clone(),
                date: date.to_string(),
                line,
                date_line: line_of(i + 1),
            });
            i += 2;
            if !closed && i < joined.len() {
                closed = true;
                let title = next_text(i)
                    .filter(|t| is_title_like(t, 40) && !starts_structure(t))
                    .map(str::to_string);
                if title.is_some() {
                    i += 1;
                }
                blocks.push(Block::Enclosure { title, line });
            }
            continue;
        }
        if let Some(c) = ATTACHMENT.captures(&text) {
            let rest = c.get(1).map_or("", |m| m.as_str()).trim().to_string();
            let mut items: Vec<String> = Vec::new();
            let first_numbered = NUMBERED.find(&rest).map(|m| rest[m.end()..].to_string());
            if rest.is_empty() || first_numbered.is_some() {
                items.extend(first_numbered);
                let mut k = i + 1;
                while let Some(t) = next_text(k) {
                    let Some(m) = NUMBERED.find(t) else { break };
                    items.push(t[m.end()..].to_string());
                    k += 1;
                }
                if !items.is_empty() {
                    blocks.push(Block::Attachments { items, line });
                    i = k;
                    continue;
                }
            }
            blocks.push(Block::Para {
                text,
                lead: None,
                line,
            });
            i += 1;
            continue;
        }
        if HEADING1.is_match(&text) && is_heading(&text, 40) {
            blocks.push(Block::Heading {
                level: 2,
                text,
                line,
            });
        } else if HEADING2.is_match(&text) && is_heading(&text, 20) {
            blocks.push(Block::Heading {
                level: 3,
                text,
                line,
            });
        } else {
            let lead = LEAD
                .captures(&text)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str().to_string())
                .filter(|l| !HEADING1.is_match(l) && !HEADING2.is_match(l));
            blocks.push(Block::Para { text, lead, line });
        }
        i += 1;
    }
    blocks
}

/// A heading line: short, and no full stop or comma in it.
fn is_heading(text: &str, max: usize) -> bool {
    text.chars().count() <= max && !text.contains(['。', '，', '；', ',', ';'])
}

/// Whether a line starts a structure of its own (so it is never joined to the line
/// above): a heading, a numbered item, 附件, a date, a lead-in.
fn starts_structure(text: &str) -> bool {
    HEADING1.is_match(text)
        || HEADING2.is_match(text)
        || NUMBERED.is_match(text)
        || ATTACHMENT.is_match(text)
        || parse_date(text).is_some()
        || LEAD.is_match(text)
}

/// A table as GFM: the header row, the delimiter row, the rows; `|` escaped, a cell's
/// lines joined by `<br>`.
fn gfm(table: &Table) -> String {
    let cell = |t: &str| -> String {
        t.lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("<br>")
            .replace('|', "\\|")
    };
    let width = table
        .rows
        .iter()
        .map(|r| r.cells.len())
        .chain([table.header.len()])
        .max()
        .unwrap_or(0);
    let row = |cells: Vec<String>| -> String {
        let mut cells = cells;
        cells.resize(width, String::new());
        format!("| {} |", cells.join(" | "))
    };
    let mut out = vec![
        row(table.header.iter().map(|c| cell(&c.text)).collect()),
        format!("|{}", "---|".repeat(width)),
    ];
    for r in &table.rows {
        out.push(row(r
            .cells
            .iter()
            .map(|c| {
                if c.continued {
                    String::new()
                } else {
                    cell(&c.text)
                }
            })
            .collect()));
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::unit::UnitId;

    fn registry() -> Registry {
        let mut r = Registry::default();
        for (id, names) in [
            ("lyg-gov", &["连云港市人民政府", "市政府"][..]),
            (
                "lyg-gov-office",
                &["连云港市人民政府办公室", "市政府办公室"][..],
            ),
        ] {
            r.add(
                super::super::units::Known {
                    id: UnitId::parse(id).unwrap(),
                    name: names[0].to_string(),
                },
                &names.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            );
        }
        r
    }

    fn read(text: &str) -> (Result<ImportedNotice, Vec<Found>>, Vec<Found>) {
        let tables = super::super::tables::find_tables(text);
        let mut found = Vec::new();
        let r = read_notice(text, &tables, &registry(), &mut found);
        (r, found)
    }

    #[test]
    fn dates_as_notices_write_them() {
        let d = |y, m, d| Date::new(y, m, d).unwrap();
        assert_eq!(parse_date("2014年5月7日"), Some(d(2014, 5, 7)));
        assert_eq!(parse_date("2014-05-07"), Some(d(2014, 5, 7)));
        assert_eq!(parse_date("二○○七年六月三十日"), Some(d(2007, 6, 30)));
        assert_eq!(
            parse_date("二〇二二年十二月二十一日"),
            Some(d(2022, 12, 21))
        );
        assert_eq!(parse_date("2014年13月7日"), None);
        assert_eq!(parse_date("2014年5月"), None);
    }

    #[test]
    fn label_value_lines_fill_the_front_matter() {
        let text = "索 引 号：k12498411/2014-00099\n发布机构：连云港市人民政府\n发文日期：2014年6月1日\n标    题：关于某事的通知\n文    号：连政发〔2014〕9号\n主题词：知识产权、专利\n时    效：失效\n关于某事的通知\n各有关单位：\n现通知如下。\n";
        let (n, found) = read(text);
        let n = n.unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(n.index_no.as_deref(), Some("k12498411/2014-00099"));
        assert_eq!(n.title, "关于某事的通知");
        assert_eq!(n.doc_no.as_deref(), Some("连政发〔2014〕9号"));
        assert_eq!(n.date, Date::new(2014, 6, 1).unwrap());
        assert_eq!(n.keywords, ["知识产权", "专利"]);
        assert_eq!(n.validity, Validity::Expired);
        assert_eq!(
            n.issuers,
            [UnitRef::Known(UnitId::parse("lyg-gov").unwrap())]
        );
        assert_eq!(n.markdown, "各有关单位：\n\n现通知如下。\n");
        // Only the genre is a guess: every field came from a label.
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn headings_lead_ins_closing_and_enclosure() {
        let text = "关于印发某制度的通知\n各有关单位：\n现印发给你们。\n连云港市人民政府办公室\n2014年5月7日\n某制度\n一、组成人员\n组长：市政府分管副市长\n（一）工作原则\n（一）联席会议原则上每年召开1次。\n";
        let (n, _) = read(text);
        let n = n.unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(
            n.markdown,
            "各有关单位：\n\n现印发给你们。\n\n连云港市人民政府办公室\\\n2014年5月7日\n\n---\n\n**某制度**\n\n## 一、组成人员\n\n**组长**：市政府分管副市长\n\n### （一）工作原则\n\n（一）联席会议原则上每年召开1次。\n"
        );
        assert_eq!(
            n.issuers,
            [UnitRef::Known(UnitId::parse("lyg-gov-office").unwrap())]
        );
    }

    #[test]
    fn a_split_paragraph_is_joined_and_says_so() {
        let text = "关于某事的通知\n开展知识产权宣传教育和人才培养，加强知识产权行政执法工作，会\n\n同有关部门组织知识产权大型宣传活动。\n连云港市人民政府\n2014年5月7日\n";
        let (n, found) = read(text);
        let n = n.unwrap_or_else(|p| panic!("{p:?}"));
        assert!(
            n.markdown.starts_with(
                "开展知识产权宣传教育和人才培养，加强知识产权行政执法工作，会同有关部门"
            ),
            "{}",
            n.markdown
        );
        assert!(
            found
                .iter()
                .any(|f| f.line == 4 && f.what.en().contains("joined"))
        );
    }

    #[test]
    fn a_two_column_table_and_a_cell_with_no_label() {
        let text = "| 索引号 | k12498411/2014-00070 |\n| 发布机构 | 连云港市人民政府 |\n| 发文日期 | 2014年5月8日 |\n| 标题 | 关于某事的通知 |\n| 孤立的值 | |\n关于某事的通知\n正文。\n";
        let (n, found) = read(text);
        let n = n.unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(n.index_no.as_deref(), Some("k12498411/2014-00070"));
        assert_eq!(n.date, Date::new(2014, 5, 8).unwrap());
        assert_eq!(n.markdown, "正文。\n");
        assert!(
            found
                .iter()
                .any(|f| f.line == 5 && f.what.en().contains("孤立的值")),
            "{found:?}"
        );
    }

    #[test]
    fn no_date_stops_with_a_message() {
        let (n, _) = read("关于某事的通知\n连云港市人民政府\n");
        let problems = n.err().unwrap();
        assert!(problems[0].what.en().contains("no 发文日期"));
    }

    proptest::proptest! {
        /// Any mix of headings, lead-ins, 附件, dates, pipes and labels reads without a
        /// panic, and the same text gives the same notice and guesses.
        #[test]
        fn any_text_reads_without_panic(lines in proptest::collection::vec(
            proptest::string::string_regex("[一二（）、：:|附件1.2 关于通知年月日索引号标题发布机构2014○十市政府。\\n]{0,14}").unwrap(), 0..20)) {
            let text = lines.join("\n");
            let (a, fa) = read(&text);
            let (b, fb) = read(&text);
            proptest::prop_assert_eq!(a.map(|n| n.markdown).ok(), b.map(|n| n.markdown).ok());
            proptest::prop_assert_eq!(fa, fb);
        }
    }
}
