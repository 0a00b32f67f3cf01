//! `gongkai check --inspection`: the items of the 政府网站与政务新媒体检查指标
//! (国办秘函〔2019〕19号) that the site's own data can decide, checked as of a date.
//!
//! The inspection judges a site the way a 检查 does on the day of the check: a home page
//! or a column that has not been updated, an empty column, a 行政规范性文件 without its
//! 政策解读, last year's 年度报告 missing, or the identity a government site must show.
//! None of this is wrong content, so a normal `check` or `build` never says it; under
//! `--inspection` every finding is an error, because a 单项否决 item fails the inspection
//! whatever else the site does well (docs/diagnostics.md, docs/portal.md).

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::SITE_FILE;
use crate::content::page::PageColumn;
use crate::diagnostics::{Code, Diagnostic, Diagnostics};
use crate::site::Site;
use crate::source::{Position, SourceFile};
use crate::text;

/// 首页不更新: no update of the home page within 2 weeks is a 单项否决 (called 网站不更新
/// in the 2017 index).
pub const HOME_MAX_AGE_DAYS: u32 = 14;
/// 动态、要闻类栏目: updated at least every 2 weeks.
pub const NEWS_MAX_AGE_DAYS: u32 = 14;
/// 通知公告、政策文件类栏目: updated at least every 6 months (180 days).
pub const NOTICES_MAX_AGE_DAYS: u32 = 180;
/// The annual report is due by 31 January of the next year (条例 第四十九条).
const REPORT_DUE: (i8, i8) = (1, 31);
/// 网站标识码 is 10 characters (政府网站发展指引, 国办发〔2017〕47号).
const SITE_CODE_LEN: usize = 10;

/// site.yaml `columns:` as written: the freshness limit of each dated column.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "栏目更新要求",
    description = "gongkai check --inspection 的栏目更新期限"
)]
pub(crate) struct RawColumns {
    #[schemars(
        with = "Option<RawColumn>",
        title = "工作动态",
        description = "工作动态（动态、要闻类栏目），默认 14 天"
    )]
    news: Option<Spanned<RawColumn>>,
    #[schemars(
        with = "Option<RawColumn>",
        title = "通知公告、政策文件",
        description = "通知公告、政策文件类栏目（文件），默认 180 天"
    )]
    notices: Option<Spanned<RawColumn>>,
}

/// One column's limit as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawColumn {
    #[schemars(
        with = "i64",
        title = "最长未更新天数",
        description = "最新一条信息距基准日期的最长天数（正整数）"
    )]
    max_age_days: Spanned<i64>,
}

/// site.yaml `inspection:` as written.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "检查设置", description = "gongkai check --inspection 的设置")]
pub(crate) struct RawInspection {
    #[schemars(
        with = "Option<i64>",
        title = "政策解读期限",
        description = "行政规范性文件的政策解读须在其发布后多少天内发布；默认 0（同日发布）"
    )]
    interpretation_within_days: Option<Spanned<i64>>,
}

/// A limit in days and where site.yaml sets it (none: the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Days.
    pub days: u32,
    /// The value in site.yaml, for the finding to point at.
    pub at: Option<Position>,
}

impl Limit {
    const fn default_of(days: u32) -> Limit {
        Limit { days, at: None }
    }
}

/// The validated `columns:` and `inspection:` of site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// 工作动态.
    pub news: Limit,
    /// 通知公告、政策文件 (the notices).
    pub notices: Limit,
    /// Days after a normative notice by which its 政策解读 must be published.
    pub interpretation_within_days: Limit,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            news: Limit::default_of(NEWS_MAX_AGE_DAYS),
            notices: Limit::default_of(NOTICES_MAX_AGE_DAYS),
            interpretation_within_days: Limit::default_of(0),
        }
    }
}

/// Validates `columns:` and `inspection:`: ages must be positive, the interpretation's
/// days not negative; each wrong number is an `out-of-range` error at its value.
pub(crate) fn settings(
    file: &SourceFile,
    columns: Option<RawColumns>,
    inspection: Option<RawInspection>,
    errors: &mut Vec<Diagnostic>,
) -> Settings {
    let mut settings = Settings::default();
    if let Some(columns) = columns {
        for (raw, limit, name) in [
            (columns.news, &mut settings.news, "news"),
            (columns.notices, &mut settings.notices, "notices"),
        ] {
            let Some(raw) = raw else { continue };
            let days = &raw.value.max_age_days;
            if let Some(n) = checked_days(file, days, 1, name, errors) {
                *limit = Limit {
                    days: n,
                    at: Some(Position::of(days)),
                };
            }
        }
    }
    if let Some(days) = inspection.and_then(|i| i.interpretation_within_days)
        && let Some(n) = checked_days(file, &days, 0, "interpretation_within_days", errors)
    {
        settings.interpretation_within_days = Limit {
            days: n,
            at: Some(Position::of(&days)),
        };
    }
    settings
}

/// `value` as a number of days of at least `min`, or an `out-of-range` error.
fn checked_days(
    file: &SourceFile,
    value: &Spanned<i64>,
    min: u32,
    name: &str,
    errors: &mut Vec<Diagnostic>,
) -> Option<u32> {
    match u32::try_from(value.value) {
        Ok(n) if n >= min && n <= 36_600 => Some(n),
        _ => {
            errors.push(Diagnostic::error(
                Code::OutOfRange,
                file,
                Position::of(value),
                text!(
                    "{name} is {n}: it must be a whole number of days from {min} to 36600",
                    "{name} 为 {n}：须为 {min} 到 36600 之间的天数",
                    n = value.value
                ),
            ));
            None
        }
    }
}

/// Days from `from` to `to` (negative when `from` is later).
pub(crate) fn days_between(from: Date, to: Date) -> i64 {
    // jiff's day span between two civil dates is exact and cannot overflow for the
    // dates a Date holds; 0 is only a fallback that never fires.
    from.until((jiff::Unit::Day, to))
        .map_or(0, |span| i64::from(span.get_days()))
}

/// Whether an item dated `newest` is older than `max_days` as of `as_of`.
pub(crate) fn is_stale(newest: Date, as_of: Date, max_days: u32) -> bool {
    days_between(newest, as_of) > i64::from(max_days)
}

/// The year whose annual report must exist as of `as_of`: last year's, once 31 January
/// has passed; none in January.
pub(crate) fn report_year_due(as_of: Date) -> Option<i16> {
    let due = Date::new(as_of.year(), REPORT_DUE.0, REPORT_DUE.1).ok()?;
    (as_of > due).then(|| as_of.year() - 1)
}

/// Whether the annual report of `year` is there: its year file was loaded (and so is
/// valid: the inspection runs after the shared validation).
fn report_present(site: &Site, year: i16) -> bool {
    site.reports.iter().any(|r| r.year.get() == year)
}

/// `content/reports/<year>.yaml`, relative to the site root.
fn report_path(year: i16) -> PathBuf {
    PathBuf::from(format!("content/reports/{year}.yaml"))
}

/// Every finding of the inspection of `site` as of its *as of* date, sorted.
pub fn inspect(site: &Site) -> Diagnostics {
    let as_of = site.as_of.date;
    let settings = &site.config.inspection;
    // site.yaml again, for findings to show their line (it was valid a moment ago; if
    // it cannot be read now, findings fall back to the whole file).
    let site_file = SourceFile::read(&site.root, Path::new(SITE_FILE)).ok();
    let at_site = |code: Code, position: Option<Position>, message| match (&site_file, position) {
        (Some(file), Some(position)) => Diagnostic::error(code, file, position, message),
        _ => Diagnostic::at_path(code, Path::new(SITE_FILE), message),
    };
    let mut found = Vec::new();
    home(site, as_of, &at_site, &mut found);
    columns(site, as_of, settings, &at_site, &mut found);
    interpretations(site, settings, &mut found);
    annual_report(site, as_of, &mut found);
    identity(site, site_file.as_ref(), &at_site, &mut found);
    let mut diagnostics = Diagnostics::new();
    for d in found {
        diagnostics.push(d);
    }
    diagnostics.sort();
    diagnostics
}

/// How a finding about site.yaml is made: at a position when there is one.
type AtSite<'a> = dyn Fn(Code, Option<Position>, crate::diagnostics::Text) -> Diagnostic + 'a;

/// The newest date the home page shows: its notices (发布日期), news and the progress
/// updates of its plans.
fn home_newest(site: &Site) -> Option<Date> {
    let notices = site.notices.iter().map(|n| n.published);
    let news = site.news.iter().map(|n| n.date);
    let updates = site.plans.iter().flat_map(|p| {
        p.categories
            .iter()
            .flat_map(|c| &c.tasks)
            .flat_map(|t| {
                t.updates
                    .iter()
                    .chain(t.targets.iter().flat_map(|g| &g.updates))
            })
            .map(|u| u.date.value)
    });
    notices.chain(news).chain(updates).max()
}

/// 首页不更新: the home page's newest item older than 2 weeks (or nothing on it at all).
fn home(site: &Site, as_of: Date, at_site: &AtSite, found: &mut Vec<Diagnostic>) {
    let message = match home_newest(site) {
        Some(newest) if is_stale(newest, as_of, HOME_MAX_AGE_DAYS) => text!(
            "the home page was last updated on {newest}, {days} days before {as_of} (more than {HOME_MAX_AGE_DAYS})",
            "首页最近一次更新是 {newest}，距 {as_of} 已 {days} 天（超过 {HOME_MAX_AGE_DAYS} 天）",
            days = days_between(newest, as_of)
        ),
        Some(_) => return,
        None => text!(
            "the home page shows no dated item: no notice, news or progress update",
            "首页没有任何带日期的信息：没有文件、工作动态或进度更新"
        ),
    };
    found.push(
        at_site(Code::StaleHome, None, message).with_help(text!(
            "publish a notice, a news item or a progress update: 首页不更新 (no update of the home page within 2 weeks) fails the inspection",
            "发布文件、工作动态或进度更新：首页 2 周内无更新属于单项否决（首页不更新）"
        )),
    );
}

/// A dated column the site makes: its name, newest date, and limit.
struct Column {
    key: &'static str,
    name: &'static str,
    newest: Option<Date>,
    limit: Limit,
}

/// 栏目不更新 and 空白栏目 of the dated columns (工作动态, 通知公告/政策文件), and 空白栏目
/// of 政策解读.
fn columns(
    site: &Site,
    as_of: Date,
    settings: &Settings,
    at_site: &AtSite,
    found: &mut Vec<Diagnostic>,
) {
    let dated = [
        Column {
            key: "news",
            name: "工作动态",
            newest: site.news.iter().map(|n| n.date).max(),
            limit: settings.news,
        },
        Column {
            key: "notices",
            name: "通知公告、政策文件",
            newest: site.notices.iter().map(|n| n.published).max(),
            limit: settings.notices,
        },
    ];
    for column in dated {
        match column.newest {
            None => found.push(empty_column(at_site, column.name)),
            Some(newest) if is_stale(newest, as_of, column.limit.days) => {
                found.push(stale_column(at_site, &column, newest, as_of));
            }
            Some(_) => {}
        }
    }
    if !site.notices.is_empty() && site.notices.iter().all(|n| n.interprets.is_empty()) {
        found.push(empty_column(at_site, "政策解读"));
    }
}

/// 栏目不更新, pointing at the column's `max_age_days:` when site.yaml sets it.
fn stale_column(at_site: &AtSite, column: &Column, newest: Date, as_of: Date) -> Diagnostic {
    let (key, name, limit) = (column.key, column.name, column.limit.days);
    at_site(
        Code::StaleColumn,
        column.limit.at,
        text!(
            "column {name} ({key}) was last updated on {newest}, {days} days before {as_of} (its limit is {limit})",
            "栏目“{name}”（{key}）最近一次更新是 {newest}，距 {as_of} 已 {days} 天（期限 {limit} 天）",
            days = days_between(newest, as_of)
        ),
    )
    .with_help(text!(
        "publish in it, or set `columns: {{{key}: {{max_age_days: N}}}}` in content/site.yaml if its inspection allows longer",
        "在该栏目发布信息；如检查要求允许更长期限，可在 content/site.yaml 中设置 `columns: {{{key}: {{max_age_days: N}}}}`"
    ))
}

/// 空白栏目: a column page the site makes with nothing in it.
fn empty_column(at_site: &AtSite, name: &str) -> Diagnostic {
    at_site(
        Code::EmptyColumn,
        None,
        text!(
            "column {name} lists nothing: the site makes its page, but it is empty",
            "栏目“{name}”没有任何内容：站点生成了该栏目页面，但它是空白栏目"
        ),
    )
    .with_help(text!(
        "publish in it: an empty column (空白栏目) counts against the inspection",
        "在该栏目发布信息：空白栏目是检查指标的扣分或否决项"
    ))
}

/// Each 行政规范性文件 needs a 政策解读 published within the configured days of it.
fn interpretations(site: &Site, settings: &Settings, found: &mut Vec<Diagnostic>) {
    use crate::content::notice::Category;
    use crate::site::EffectiveValidity;
    let within = settings.interpretation_within_days.days;
    for (ix, notice) in site.notices.iter().enumerate() {
        // An inspection samples the documents in force: one repealed or expired as of
        // the date is no longer interpreted (the example's 2010 rules, replaced in 2014).
        let in_force = !matches!(
            site.validity(ix),
            EffectiveValidity::Repealed | EffectiveValidity::Expired
        );
        if notice.category() != Category::Normative || !in_force {
            continue;
        }
        let links = site.notice_links.get(ix);
        let in_time = links.is_some_and(|l| {
            l.interpreted_by.iter().any(|&i| {
                site.notices
                    .get(i)
                    .is_some_and(|by| !is_stale(notice.published, by.published, within))
            })
        });
        if in_time {
            continue;
        }
        let index_no = notice.index_no.value.as_str();
        found.push(
            Diagnostic::error(
                Code::MissingInterpretation,
                &notice.file,
                key_position(&notice.file.text, "category").unwrap_or(notice.index_no.position),
                text!(
                    "normative notice {index_no} has no 政策解读 published within {within} day(s) of it ({published})",
                    "行政规范性文件 {index_no} 没有在其发布后 {within} 天内（{published}）发布的政策解读",
                    published = notice.published
                ),
            )
            .with_help(text!(
                "publish its 政策解读 with it: a notice with `interprets: [{index_no}]`",
                "与文件同步发布政策解读：一篇写有 `interprets: [{index_no}]` 的文件"
            )),
        );
    }
}

/// Last year's 政府信息公开工作年度报告, due by 31 January.
fn annual_report(site: &Site, as_of: Date, found: &mut Vec<Diagnostic>) {
    let Some(year) = report_year_due(as_of) else {
        return;
    };
    if report_present(site, year) {
        return;
    }
    found.push(
        Diagnostic::at_path(
            Code::MissingAnnualReport,
            &report_path(year),
            text!(
                "the annual report of {year} is missing: it was due by 31 January {next}",
                "缺少 {year} 年度政府信息公开工作年度报告：应于 {next} 年 1 月 31 日前发布",
                next = year + 1
            ),
        )
        .with_help(text!(
            "add content/reports/{year}.yaml (条例 第四十九条)",
            "添加 content/reports/{year}.yaml（条例 第四十九条）"
        )),
    );
}

/// 网站标识码, ICP备案号, 公开指南 and contact: what a government site must show.
fn identity(
    site: &Site,
    site_file: Option<&SourceFile>,
    at_site: &AtSite,
    found: &mut Vec<Diagnostic>,
) {
    let config = &site.config;
    let key_at = |key: &str| site_file.and_then(|f| key_position(&f.text, key));
    let blank = |v: &Option<String>| v.as_deref().is_none_or(|v| v.trim().is_empty());
    match config.site_code.as_deref().map(str::trim) {
        None | Some("") => found.push(at_site(
            Code::MissingIdentity,
            None,
            text!(
                "no 网站标识码: site.yaml has no `site_code`",
                "没有网站标识码：site.yaml 中没有 `site_code`"
            ),
        )),
        Some(code) if code.chars().count() != SITE_CODE_LEN => found.push(at_site(
            Code::MissingIdentity,
            key_at("site_code"),
            text!(
                "网站标识码 `{code}` is not {SITE_CODE_LEN} characters",
                "网站标识码 `{code}` 不是 {SITE_CODE_LEN} 位"
            ),
        )),
        Some(_) => {}
    }
    if blank(&config.icp) {
        found.push(at_site(
            Code::MissingIdentity,
            None,
            text!(
                "no ICP备案号: site.yaml has no `icp`",
                "没有 ICP备案号：site.yaml 中没有 `icp`"
            ),
        ));
    }
    let contact = config
        .identity
        .contact
        .as_ref()
        .is_some_and(|c| [&c.address, &c.phone, &c.email].iter().any(|v| !blank(v)));
    if !contact {
        found.push(at_site(
            Code::MissingIdentity,
            key_at("contact"),
            text!(
                "no contact: site.yaml's `contact` gives no address, phone or email",
                "没有联系方式：site.yaml 的 `contact` 没有地址、电话或邮箱"
            ),
        ));
    }
    let guide = site.pages.iter().any(|p| {
        p.column
            .as_ref()
            .is_some_and(|c| c.value == PageColumn::Guide)
    });
    if !guide {
        found.push(
            Diagnostic::at_path(
                Code::MissingIdentity,
                Path::new("content/pages"),
                text!(
                    "no 公开指南: no page has `column: guide`",
                    "没有政府信息公开指南：没有页面写有 `column: guide`"
                ),
            )
            .with_help(text!(
                "add content/pages/guide.md with `column: guide` (条例 第十二条)",
                "添加写有 `column: guide` 的 content/pages/guide.md（条例 第十二条）"
            )),
        );
    }
}

/// Where the top-level (or front matter) key `key:` starts in `text`, if it does.
fn key_position(text: &str, key: &str) -> Option<Position> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some(Position {
            line: i + 1,
            column: 1,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        text.parse().expect("a date")
    }

    #[test]
    fn days_between_counts_calendar_days() {
        assert_eq!(days_between(d("2024-12-17"), d("2024-12-31")), 14);
        assert_eq!(days_between(d("2024-02-28"), d("2024-03-01")), 2);
        assert_eq!(days_between(d("2023-02-28"), d("2023-03-01")), 1);
        assert_eq!(days_between(d("2023-12-31"), d("2024-12-31")), 366);
        assert_eq!(days_between(d("2024-12-31"), d("2024-12-30")), -1);
    }

    #[test]
    fn stale_is_strictly_older_than_the_limit() {
        let as_of = d("2024-12-31");
        assert!(!is_stale(d("2024-12-17"), as_of, 14));
        assert!(is_stale(d("2024-12-16"), as_of, 14));
        assert!(
            !is_stale(d("2025-01-05"), as_of, 14),
            "a later date is not stale"
        );
        // Same day with 0 days allowed.
        assert!(!is_stale(as_of, as_of, 0));
        assert!(is_stale(d("2024-12-30"), as_of, 0));
    }

    #[test]
    fn the_report_is_due_after_31_january() {
        assert_eq!(report_year_due(d("2025-01-31")), None);
        assert_eq!(report_year_due(d("2025-01-01")), None);
        assert_eq!(report_year_due(d("2025-02-01")), Some(2024));
        assert_eq!(report_year_due(d("2024-12-31")), Some(2023));
    }

    #[test]
    fn key_position_finds_the_key_line() {
        let text = "title: x\nsite_code: \"1\"\ncontact:\n  phone: 1\n";
        assert_eq!(
            key_position(text, "site_code"),
            Some(Position { line: 2, column: 1 })
        );
        assert_eq!(key_position(text, "phone"), None, "not at the top level");
        assert_eq!(key_position(text, "site"), None, "the whole key");
    }
}
