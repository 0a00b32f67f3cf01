//! What search indexes: one document per notice, news item, plan task, body and unit,
//! with the text of each field and the values filters need.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;

use crate::content::markdown::plain_text;
use crate::enums::{Key, Label};
use crate::site::Site;
use crate::urls;

/// Field bits of a posting (docs/search.md).
pub mod field {
    /// Title (标题, unit or body name, task content).
    pub const TITLE: u8 = 1;
    /// 文号 and 索引号.
    pub const CODE: u8 = 2;
    /// Issuer names, keywords, topic, summary, unit names.
    pub const META: u8 = 4;
    /// Body text.
    pub const BODY: u8 = 8;
}

/// What a search result is; the declaration order is the order documents are numbered
/// within a date, and the order of the manifest's `kinds`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    strum::IntoStaticStr,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum SearchKind {
    #[strum(message = "文件")]
    Notice,
    /// A notice that is the 政策解读 of others (`interprets:`): its own kind, so that the
    /// kind filter finds exactly them at no cost to the index.
    #[strum(message = "政策解读")]
    Interpretation,
    #[strum(message = "工作动态")]
    News,
    /// A task of a plan.
    #[strum(message = "工作任务")]
    Task,
    #[strum(message = "议事协调机构")]
    Body,
    #[strum(message = "机构")]
    Unit,
}

impl Key for SearchKind {}
impl Label for SearchKind {}

/// A document to index, before it has its number.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchDoc {
    /// What it is.
    pub kind: SearchKind,
    /// Sort date (newest first); undated documents come last.
    pub date: Option<Date>,
    /// Text of each field, with its bit.
    pub fields: Vec<(u8, Arc<str>)>,
    /// Exact codes (文号, 索引号).
    pub codes: Vec<String>,
    /// Filter values: issuer ids (with labels), validity, genre, topic.
    pub issuers: Vec<(String, String)>,
    /// 时效 key and label, notices only.
    pub validity: Option<(&'static str, &'static str)>,
    /// 文种.
    pub genre: Option<String>,
    /// 主题分类 (first level).
    pub topic: Option<String>,
    /// What the result list shows.
    pub fragment: Fragment,
}

/// The display fragment of a result (`search/f/<n>.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fragment {
    /// Root-relative folder URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// What it is (its key).
    pub kind: SearchKind,
    /// Kind label.
    pub kind_label: &'static str,
    /// `YYYY-MM-DD`, if dated.
    pub date: Option<String>,
    /// Issuer names (notices) or the plan / parent (others).
    pub issuer: Option<String>,
    /// 时效 key.
    pub validity: Option<&'static str>,
    /// 时效 label.
    pub validity_label: Option<&'static str>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 索引号.
    pub index_no: Option<String>,
    /// Summary and body, plain, for the snippet.
    pub text: FragmentText,
}

/// The text of a fragment: the first [`FRAGMENT_TEXT`] characters of a summary (if any),
/// a line break and the body. It shares the body with the document's body field rather
/// than holding a copy of its first thousand characters (most of a notice's body): the
/// clip is made when the fragment is written.
#[derive(Debug, Clone)]
pub struct FragmentText {
    head: Option<String>,
    body: Arc<str>,
}

impl FragmentText {
    /// The first characters of `body`.
    pub fn of(body: Arc<str>) -> Self {
        FragmentText { head: None, body }
    }

    /// The first characters of `head`, a line break and `body`.
    pub fn two(head: &str, body: Arc<str>) -> Self {
        FragmentText {
            head: Some(head.to_string()),
            body,
        }
    }

    /// The text the fragment file holds.
    pub fn text(&self) -> String {
        match &self.head {
            Some(head) => clip_two(head, &self.body),
            None => clip(&self.body),
        }
    }
}

impl PartialEq for FragmentText {
    fn eq(&self, other: &Self) -> bool {
        (self.head == other.head && Arc::ptr_eq(&self.body, &other.body))
            || self.text() == other.text()
    }
}

impl Serialize for FragmentText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text())
    }
}

/// Characters of text a fragment carries for snippets.
const FRAGMENT_TEXT: usize = 1000;

fn clip(text: &str) -> String {
    text[..char_end(text, FRAGMENT_TEXT)].to_string()
}

/// `clip` of `first`, a line break and `second`, without copying all of `second`.
fn clip_two(first: &str, second: &str) -> String {
    let count = first.chars().count();
    if count >= FRAGMENT_TEXT {
        return clip(first);
    }
    let rest = &second[..char_end(second, FRAGMENT_TEXT - count - 1)];
    let mut out = String::with_capacity(first.len() + 1 + rest.len());
    out.push_str(first);
    out.push('\n');
    out.push_str(rest);
    out
}

/// The byte offset after the first `n` characters of `text` (its length if shorter).
/// Counts the bytes that start a character, 64 at a time while the `n`-th is further on
/// (this runs for every document on every build).
fn char_end(text: &str, n: usize) -> usize {
    if text.len() <= n {
        return text.len();
    }
    let starts = |b: &u8| (*b as i8) >= -0x40;
    let bytes = text.as_bytes();
    let (mut seen, mut at) = (0, 0);
    for chunk in bytes.chunks(64) {
        let count = chunk.iter().filter(|b| starts(b)).count();
        if seen + count > n {
            break;
        }
        seen += count;
        at += chunk.len();
    }
    for (i, b) in bytes[at..].iter().enumerate() {
        if starts(b) {
            if seen == n {
                return at + i;
            }
            seen += 1;
        }
    }
    text.len()
}

/// Every document of the site, in no particular order.
pub fn collect(site: &Site) -> Vec<Arc<SearchDoc>> {
    collect_with(site, &|markdown| Arc::from(plain_text(markdown)), None)
}

/// The documents of notices from the last build, by the key each was made under
/// ([`notice_doc_key`], which stands for everything the document shows): a notice's
/// document is made again only when its key changed. Notices are nearly all of a big
/// site's documents.
pub(crate) type KeptNotices = FxHashMap<u64, Arc<SearchDoc>>;

/// What a notice's document is made of: the notice as the site knows it
/// ([`Site::notice_fingerprint`]) and the names its issuers are found under.
fn notice_doc_key(site: &Site, ix: usize) -> u64 {
    let mut h = FxHasher::default();
    site.notice_fingerprint(ix).hash(&mut h);
    for &u in &site.notice_links[ix].issuers {
        let unit = &site.units[u];
        (&unit.id, &unit.name, &unit.short_name, &unit.aliases).hash(&mut h);
    }
    h.finish()
}

/// Markdown → plain text: [`plain_text`], or a cache of it (the incremental index keeps
/// one, since parsing every body is most of collecting the documents).
pub(crate) type PlainText<'a> = &'a (dyn Fn(&str) -> Arc<str> + Sync);

/// [`collect`], with `plain_text` giving the plain text of each Markdown text, and the
/// notices' documents taken from `kept` where their key is unchanged (`kept` then holds
/// this build's).
pub(crate) fn collect_with(
    site: &Site,
    plain_text: PlainText<'_>,
    kept: Option<&mut KeptNotices>,
) -> Vec<Arc<SearchDoc>> {
    // Notices are nearly all of a big site and each needs its Markdown parsed: in parallel.
    let known = kept.as_deref();
    let notices: Vec<(u64, Arc<SearchDoc>)> = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| {
            let Some(known) = known else {
                return (0, Arc::new(notice_doc(site, ix, plain_text)));
            };
            let key = notice_doc_key(site, ix);
            match known.get(&key) {
                Some(doc) => (key, Arc::clone(doc)),
                None => (key, Arc::new(notice_doc(site, ix, plain_text))),
            }
        })
        .collect();
    let mut docs: Vec<Arc<SearchDoc>> = notices.iter().map(|(_, d)| Arc::clone(d)).collect();
    if let Some(kept) = kept {
        kept.clear();
        kept.extend(notices);
    }
    let mut others = Vec::new();
    collect_others(site, plain_text, &mut others);
    docs.extend(others.into_iter().map(Arc::new));
    docs
}

/// The documents of news, plan tasks, bodies and units.
fn collect_others(site: &Site, plain_text: PlainText<'_>, docs: &mut Vec<SearchDoc>) {
    for news in &site.news {
        let body = plain_text(news.body());
        docs.push(SearchDoc {
            kind: SearchKind::News,
            date: Some(news.date),
            fields: vec![
                (field::TITLE, news.title.as_str().into()),
                (
                    field::META,
                    news.source.as_deref().unwrap_or_default().into(),
                ),
                (field::BODY, body.clone()),
            ],
            codes: Vec::new(),
            issuers: Vec::new(),
            validity: None,
            genre: None,
            topic: None,
            fragment: Fragment {
                url: urls::news(&news.slug),
                title: news.title.clone(),
                kind: SearchKind::News,
                kind_label: SearchKind::News.label(),
                date: Some(news.date.to_string()),
                issuer: news.source.clone(),
                validity: None,
                validity_label: None,
                doc_no: None,
                index_no: None,
                text: FragmentText::of(body.clone()),
            },
        });
    }
    for (px, plan) in site.plans.iter().enumerate() {
        let links = &site.plan_links[px];
        let date = plan.period.map(|(start, _)| start);
        for (task, task_links) in plan.tasks().zip(&links.tasks) {
            let names = |units: &[usize]| {
                units
                    .iter()
                    .map(|&u| {
                        let unit = &site.units[u];
                        format!("{} {}", unit.name, unit.display_short())
                    })
                    .collect::<Vec<_>>()
            };
            let mut meta = vec![
                plan.title.clone(),
                plan.categories[task_links.category].name.clone(),
            ];
            meta.extend(names(&task_links.lead));
            meta.extend(names(&task_links.partners));
            let mut body: Vec<String> = task.targets.iter().map(|t| t.text.clone()).collect();
            body.extend(task.updates.iter().filter_map(|u| u.note.clone()));
            for t in &task.targets {
                body.extend(t.updates.iter().filter_map(|u| u.note.clone()));
            }
            let status = task_links.progress.status;
            let title = format!("{}（第{}项）", clip_title(&task.content), task.number.value);
            docs.push(SearchDoc {
                kind: SearchKind::Task,
                date,
                fields: vec![
                    (field::TITLE, task.content.as_str().into()),
                    (field::META, meta.join("\n").into()),
                    (field::BODY, body.join("\n").into()),
                ],
                codes: Vec::new(),
                issuers: Vec::new(),
                validity: None,
                genre: None,
                topic: None,
                fragment: Fragment {
                    url: urls::plan(plan.id.as_str()),
                    title,
                    kind: SearchKind::Task,
                    kind_label: SearchKind::Task.label(),
                    date: date.map(|d| d.to_string()),
                    issuer: Some(plan.title.clone()),
                    validity: Some(status.key()),
                    validity_label: Some(status.label()),
                    doc_no: None,
                    index_no: None,
                    text: FragmentText::of(format!("{}\n{}", task.content, body.join("\n")).into()),
                },
            });
        }
    }
    for (bx, b) in site.bodies.iter().enumerate() {
        let links = &site.body_links[bx];
        let members: Vec<String> = links
            .members
            .iter()
            .map(|&u| site.units[u].name.clone())
            .collect();
        let mut body: Vec<Arc<str>> = b
            .members
            .iter()
            .filter_map(|m| m.duties.as_deref().map(plain_text))
            .collect();
        body.extend(b.rules.as_deref().map(plain_text));
        docs.push(SearchDoc {
            kind: SearchKind::Body,
            date: None,
            fields: vec![
                (field::TITLE, b.name.as_str().into()),
                (
                    field::META,
                    format!("{}\n{}", b.kind.label(), members.join("\n")).into(),
                ),
                (field::BODY, body.join("\n").into()),
            ],
            codes: Vec::new(),
            issuers: Vec::new(),
            validity: None,
            genre: None,
            topic: None,
            fragment: Fragment {
                url: urls::body(b.id.as_str()),
                title: b.name.clone(),
                kind: SearchKind::Body,
                kind_label: SearchKind::Body.label(),
                date: None,
                issuer: Some(b.kind.label().to_string()),
                validity: None,
                validity_label: None,
                doc_no: None,
                index_no: None,
                text: FragmentText::of(format!("成员单位：{}", members.join("、")).into()),
            },
        });
    }
    for (ux, u) in site.units.iter().enumerate() {
        let parent = site.unit_links[ux]
            .parent
            .map(|p| site.units[p].name.clone());
        let mut meta = vec![u.display_short().to_string(), u.kind.label().to_string()];
        meta.extend(u.aliases.iter().cloned());
        meta.extend(parent.clone());
        docs.push(SearchDoc {
            kind: SearchKind::Unit,
            date: None,
            fields: vec![
                (field::TITLE, u.name.as_str().into()),
                (field::META, meta.join("\n").into()),
            ],
            codes: Vec::new(),
            issuers: Vec::new(),
            validity: None,
            genre: None,
            topic: None,
            fragment: Fragment {
                url: urls::unit(u.id.as_str()),
                title: u.name.clone(),
                kind: SearchKind::Unit,
                kind_label: SearchKind::Unit.label(),
                date: None,
                issuer: parent,
                validity: None,
                validity_label: None,
                doc_no: None,
                index_no: None,
                text: FragmentText::of(meta.join("，").into()),
            },
        });
    }
}

/// The search document of notice `ix`.
fn notice_doc(site: &Site, ix: usize, plain_text: PlainText<'_>) -> SearchDoc {
    let n = &site.notices[ix];
    let links = &site.notice_links[ix];
    let mut meta = Vec::new();
    let mut issuers = Vec::new();
    for &u in &links.issuers {
        let unit = &site.units[u];
        meta.push(unit.name.clone());
        meta.extend(unit.short_name.clone());
        meta.extend(unit.aliases.iter().cloned());
        issuers.push((unit.id.to_string(), unit.name.clone()));
    }
    meta.extend(n.keywords.iter().cloned());
    meta.extend(n.topic.iter().cloned());
    meta.extend(n.genre.clone());
    meta.extend(n.summary.clone());
    let body = plain_text(n.body());
    let validity = site.validity(ix);
    let mut codes = vec![n.index_no.value.to_string()];
    codes.extend(n.doc_no.clone());
    let issuer_label = issuers
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let kind = if links.interprets.is_empty() {
        SearchKind::Notice
    } else {
        SearchKind::Interpretation
    };
    SearchDoc {
        kind,
        date: Some(n.date),
        fields: vec![
            (field::TITLE, n.title.as_str().into()),
            (field::CODE, codes.join("\n").into()),
            (field::META, meta.join("\n").into()),
            (field::BODY, body.clone()),
        ],
        codes,
        issuers,
        validity: Some((validity.key(), validity.label())),
        genre: n.genre.clone(),
        topic: n.topic.first().cloned(),
        fragment: Fragment {
            url: urls::notice(&n.index_no.value),
            title: n.title.clone(),
            kind,
            kind_label: kind.label(),
            date: Some(n.date.to_string()),
            issuer: Some(issuer_label),
            validity: Some(validity.key()),
            validity_label: Some(validity.label()),
            doc_no: n.doc_no.clone(),
            index_no: Some(n.index_no.value.to_string()),
            text: match &n.summary {
                Some(s) => FragmentText::two(s, body.clone()),
                None => FragmentText::of(body.clone()),
            },
        },
    }
}

fn clip_title(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() > MAX {
        format!("{}……", text.chars().take(MAX).collect::<String>())
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clips_count_characters() {
        let text: String = "知a识𠀀".repeat(100);
        for n in [0, 1, 2, 3, 63, 64, 65, 200, 399, 400, 401, 1000] {
            let expected: String = text.chars().take(n).collect();
            assert_eq!(&text[..char_end(&text, n)], expected, "{n}");
        }
        assert_eq!(clip_two("概述", "正文"), "概述\n正文");
        let long = "长".repeat(FRAGMENT_TEXT + 5);
        assert_eq!(clip_two(&long, "正文"), clip(&long));
        let body = "字".repeat(FRAGMENT_TEXT);
        let expected: String = format!("概述\n{body}")
            .chars()
            .take(FRAGMENT_TEXT)
            .collect();
        assert_eq!(clip_two("概述", &body), expected);
    }
}
