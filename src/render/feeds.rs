//! The Atom feeds (`feed.xml`, `news/feed.xml`, `units/<id>/feed.xml`,
//! `progress/<id>/feed.xml`) and the sitemap (`sitemap.xml`, split into `sitemap-<n>.xml`
//! under a sitemap index past [`SITEMAP_LIMIT`] URLs). All need absolute URLs, so they are
//! made only when site.yaml has a `base_url`.

use crate::catalog::GroupKind;
use jiff::civil::Date;

use super::{OutputFile, PageId, Renderer};
use crate::diagnostics::Diagnostic;
use crate::enums::Label;
use crate::site::{PlanIx, Site, UnitIx};
use crate::urls;

use super::data::escape_xml;

/// Entries in a feed: the newest ones, enough for any reader polling daily.
pub const FEED_ENTRIES: usize = 50;

/// URLs in one sitemap file: the limit of the sitemap protocol.
pub const SITEMAP_LIMIT: usize = 50_000;

/// One Atom feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// `feed.xml`: the newest notices of the site.
    Site,
    /// `news/feed.xml`: the newest 工作动态.
    News,
    /// `units/<id>/feed.xml`: the newest notices a unit issued.
    Unit(UnitIx),
    /// `progress/<id>/feed.xml`: a plan's newest progress updates.
    Plan(PlanIx),
}

impl Feed {
    /// Its path in the output (and URL relative to the site root).
    pub fn path(self, site: &Site) -> String {
        match self {
            Feed::Site => urls::FEED.to_string(),
            Feed::News => urls::feed_in(urls::NEWS),
            Feed::Unit(u) => urls::feed_in(&urls::unit(site.units[u].id.as_str())),
            Feed::Plan(p) => urls::feed_in(&urls::plan(site.plans[p].id.as_str())),
        }
    }
}

/// The feeds of `site` (none without `base_url`): the site's, the news', one per unit
/// that issued notices, one per plan.
pub(super) fn list_files(site: &Site, ids: &mut Vec<PageId>) {
    if site.config.base_url.is_none() {
        return;
    }
    ids.push(PageId::Feed(Feed::Site));
    ids.push(PageId::Feed(Feed::News));
    ids.extend(
        (0..site.units.len())
            .filter(|&u| !site.unit_links[u].notices.is_empty())
            .map(|u| PageId::Feed(Feed::Unit(u))),
    );
    ids.extend((0..site.plans.len()).map(|p| PageId::Feed(Feed::Plan(p))));
    // The pages listed so far are every page the sitemap names.
    let parts = ids
        .iter()
        .filter(|&&id| in_sitemap(id))
        .count()
        .div_ceil(SITEMAP_LIMIT);
    if parts > 1 {
        ids.extend((1..=parts).map(PageId::SitemapPart));
    }
}

/// The feed of `site` a page shows in its head and as 订阅, relative to the site root:
/// only with `base_url`.
pub fn feed_link(
    config: &crate::config::SiteConfig,
    path: impl FnOnce() -> String,
) -> Option<String> {
    config.base_url.as_ref().map(|_| path())
}

fn missing_base() -> Diagnostic {
    Diagnostic::at_path(
        crate::diagnostics::Code::MissingField,
        std::path::Path::new(crate::config::SITE_FILE),
        crate::text!("a feed needs `base_url`", "订阅源需要 `base_url`"),
    )
}

/// Renders one feed. Each shows items from all over the site (and their dates), so it
/// reads the site whole.
pub(super) fn render_feed(r: &Renderer, feed: Feed) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let site = reads.whole();
    let base = site.config.base_url.as_deref().ok_or_else(missing_base)?;
    let bytes = atom(site, base, feed);
    r.file(reads, feed.path(site), bytes)
}

/// Renders `sitemap.xml` (the urlset, or the index past [`SITEMAP_LIMIT`] URLs).
pub(super) fn render_sitemap(r: &Renderer) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let site = reads.crawl();
    let base = site.config.base_url.as_deref().ok_or_else(missing_base)?;
    let all = sitemap_urls(site, &super::pages(site));
    let mut files = sitemap_files(site, base, &all, SITEMAP_LIMIT);
    let (path, bytes) = files.swap_remove(0);
    r.file(reads, path, bytes)
}

/// Renders `sitemap-<n>.xml`, part `n` (1-based) of a split sitemap.
pub(super) fn render_sitemap_part(r: &Renderer, n: usize) -> Result<OutputFile, Diagnostic> {
    let reads = r.reads();
    let site = reads.crawl();
    let base = site.config.base_url.as_deref().ok_or_else(missing_base)?;
    let all = sitemap_urls(site, &super::pages(site));
    let start = (n.saturating_sub(1)) * SITEMAP_LIMIT;
    let part = all
        .get(start..(start + SITEMAP_LIMIT).min(all.len()))
        .unwrap_or(&[]);
    r.file(reads, urls::sitemap_part(n), urlset(base, part))
}

/// The sitemap files for `urls`: `sitemap.xml` alone, or past `limit` URLs
/// `sitemap.xml` as the index of `sitemap-1.xml` … of `limit` URLs each.
fn sitemap_files(
    site: &Site,
    base: &str,
    all: &[SitemapUrl],
    limit: usize,
) -> Vec<(String, Vec<u8>)> {
    if all.len() <= limit {
        return vec![(urls::SITEMAP.to_string(), urlset(base, all))];
    }
    let parts: Vec<&[SitemapUrl]> = all.chunks(limit.max(1)).collect();
    let mut files = vec![(
        urls::SITEMAP.to_string(),
        sitemap_index(site, base, parts.len()),
    )];
    files.extend(
        parts
            .iter()
            .enumerate()
            .map(|(i, part)| (urls::sitemap_part(i + 1), urlset(base, part))),
    );
    files
}

struct Entry {
    title: String,
    id: String,
    link: String,
    updated: Date,
    summary: Option<String>,
}

fn notice_entry(site: &Site, base: &str, ix: usize) -> Entry {
    let n = &site.notices[ix];
    let link = format!("{base}{}", urls::notice(&n.index_no.value));
    Entry {
        title: n.title.clone(),
        id: link.clone(),
        link,
        updated: n.published,
        summary: n.summary.clone(),
    }
}

/// One feed as Atom (RFC 4287).
fn atom(site: &Site, base: &str, feed: Feed) -> Vec<u8> {
    let title = &site.config.title;
    let (feed_title, alternate, entries): (String, String, Vec<Entry>) = match feed {
        Feed::Site => (
            title.clone(),
            String::new(),
            (0..site.notices.len().min(FEED_ENTRIES))
                .map(|ix| notice_entry(site, base, ix))
                .collect(),
        ),
        Feed::Unit(u) => (
            format!("{} - {title}", site.units[u].name),
            urls::unit(site.units[u].id.as_str()),
            site.unit_links[u]
                .notices
                .iter()
                .take(FEED_ENTRIES)
                .map(|&ix| notice_entry(site, base, ix))
                .collect(),
        ),
        Feed::News => (
            format!("工作动态 - {title}"),
            urls::NEWS.to_string(),
            site.news
                .iter()
                .take(FEED_ENTRIES)
                .map(|n| {
                    let link = format!("{base}{}", urls::news(&n.slug));
                    Entry {
                        title: n.title.clone(),
                        id: link.clone(),
                        link,
                        updated: n.date,
                        summary: n.source.as_ref().map(|s| format!("来源：{s}")),
                    }
                })
                .collect(),
        ),
        Feed::Plan(p) => (
            format!("{} - 工作进度 - {title}", site.plans[p].title),
            urls::plan(site.plans[p].id.as_str()),
            plan_entries(site, base, p),
        ),
    };
    let updated = entries
        .iter()
        .map(|e| e.updated)
        .max()
        .unwrap_or(site.as_of.date);
    let self_url = format!("{base}{}", feed.path(site));
    let alternate = format!("{base}{alternate}");
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n  <id>{}</id>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <updated>{}T00:00:00Z</updated>\n",
        escape_xml(&site.config.language),
        escape_xml(&feed_title),
        escape_xml(&self_url),
        escape_xml(&alternate),
        escape_xml(&self_url),
        updated
    );
    // RFC 4287 wants an author on the feed or on every entry.
    let author = site
        .config
        .owner
        .clone()
        .unwrap_or_else(|| site.config.title.clone());
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape_xml(&author)
    ));
    for e in entries {
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}T00:00:00Z</updated>\n",
            escape_xml(&e.title),
            escape_xml(&e.id),
            escape_xml(&e.link),
            e.updated
        ));
        if let Some(summary) = &e.summary {
            xml.push_str(&format!("    <summary>{}</summary>\n", escape_xml(summary)));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml.into_bytes()
}

/// A plan's progress updates, newest first (by date, then task order).
fn plan_entries(site: &Site, base: &str, p: PlanIx) -> Vec<Entry> {
    let plan = &site.plans[p];
    let link = format!("{base}{}", urls::plan(plan.id.as_str()));
    let mut entries = Vec::new();
    for (tx, task) in plan.tasks().enumerate() {
        let number = &task.number.value;
        let mut push = |what: &str, key: String, u: &crate::content::plan::Update| {
            let percent = u.percent.map(|p| format!(" {p}%")).unwrap_or_default();
            entries.push(Entry {
                title: format!("{number} {what}：{}{percent}", u.status.label()),
                id: format!("{link}#{key}"),
                link: link.clone(),
                updated: u.date.value,
                summary: u.note.clone(),
            });
        };
        for (ux, u) in task.updates.iter().enumerate() {
            push(&task.content, format!("update-{tx}-{ux}"), u);
        }
        for (gx, target) in task.targets.iter().enumerate() {
            for (ux, u) in target.updates.iter().enumerate() {
                push(&target.text, format!("update-{tx}-{gx}-{ux}"), u);
            }
        }
    }
    // Stable: same date keeps the plan's order.
    entries.sort_by_key(|e| std::cmp::Reverse(e.updated));
    entries.truncate(FEED_ENTRIES);
    entries
}

/// Whether the sitemap names page `id`: every HTML page but `404.html`.
fn in_sitemap(id: PageId) -> bool {
    !matches!(
        id,
        PageId::NotFound
            | PageId::Robots
            | PageId::Feed(_)
            | PageId::SitemapPart(_)
            | PageId::Asset(_)
            | PageId::ReportTables(..)
    ) && !matches!(id, PageId::Data(f) if f != super::data::DataFile::Index)
}

/// A sitemap URL: its path from the site root and its last change, when known.
type SitemapUrl = (String, Option<Date>);

/// Every page of the site a crawler should visit, with `lastmod` on every content page:
/// the date of the notice or news item, of a unit's newest notice, of a plan's newest
/// update (else its source notice), of a body's founding notice; a list's newest item;
/// an annual report's 发布日期; for a page without a date of its own (a free page, a unit
/// without notices, a report without 发布日期), the site's
/// newest notice or news item. Only `search/` has none.
fn sitemap_urls(site: &Site, ids: &[PageId]) -> Vec<SitemapUrl> {
    let newest_notice = site.notices.iter().map(|n| n.published).max();
    let newest_news = site.news.iter().map(|n| n.date).max();
    // What a page without a date of its own (a unit's or a body's YAML, a free page)
    // last changed with: the site's newest item.
    let site_date = newest_notice.max(newest_news).unwrap_or(site.as_of.date);
    // The newest notice of each year, and each plan's date, computed once: there are
    // thousands of list pages in a big site.
    let mut newest_in_year: rustc_hash::FxHashMap<i16, Date> = Default::default();
    for n in &site.notices {
        let newest = newest_in_year.entry(n.date.year()).or_insert(n.published);
        *newest = (*newest).max(n.published);
    }
    let plan_dates: Vec<Option<Date>> = (0..site.plans.len()).map(|p| plan_date(site, p)).collect();
    // Likewise the catalog's lists (a group or an issuer may have thousands of pages).
    let dates_of = |kind: GroupKind| -> Vec<Option<Date>> {
        site.catalog
            .groups(kind)
            .iter()
            .map(|g| newest_of(site, &g.notices, site_date))
            .collect()
    };
    let (topic_dates, genre_dates) = (dates_of(GroupKind::Topic), dates_of(GroupKind::Genre));
    let issuer_dates: Vec<Option<Date>> = site
        .unit_links
        .iter()
        .map(|l| newest_of(site, &l.notices, site_date))
        .collect();
    let report_dates: Vec<Option<Date>> = site
        .reports
        .iter()
        .map(|r| r.published.as_ref().map(|d| d.value))
        .collect();
    let interpretations_date = newest_of(site, &site.catalog.interpretations, site_date);
    let mut out: Vec<SitemapUrl> = Vec::with_capacity(ids.len());
    for &id in ids.iter().filter(|&&id| in_sitemap(id)) {
        let lastmod = match id {
            PageId::Home => newest_notice.max(newest_news),
            PageId::Notice(ix) => Some(site.notices[ix].published),
            PageId::NoticeList { year: None, .. } => newest_notice,
            PageId::NoticeList { year: Some(y), .. } => newest_in_year.get(&y).copied(),
            PageId::Disclosure | PageId::Catalog => Some(site_date),
            PageId::Reports => report_dates
                .iter()
                .flatten()
                .max()
                .copied()
                .or(Some(site_date)),
            PageId::Report(ix) => report_dates[ix].or(Some(site_date)),
            PageId::GroupList { kind, group, .. } => match kind {
                GroupKind::Topic => topic_dates[group],
                GroupKind::Genre => genre_dates[group],
            },
            PageId::IssuerList { unit, .. } => issuer_dates[unit],
            PageId::Interpretations { .. } => interpretations_date,
            PageId::Units => newest_notice,
            PageId::Unit(u) => site.unit_links[u]
                .notices
                .iter()
                .map(|&n| site.notices[n].published)
                .max()
                .or(Some(site_date)),
            PageId::Bodies => site
                .body_links
                .iter()
                .filter_map(|l| l.established_by.map(|n| site.notices[n].published))
                .max(),
            PageId::Body(b) => site.body_links[b]
                .established_by
                .map(|n| site.notices[n].published)
                .or(Some(site_date)),
            PageId::Plans => plan_dates.iter().flatten().max().copied(),
            PageId::Plan(p) | PageId::PlanUnit(p, _) => plan_dates[p],
            PageId::NewsList => newest_news,
            PageId::News(ix) => Some(site.news[ix].date),
            PageId::Page(_) => Some(site_date),
            PageId::Search => None,
            PageId::Data(_) => Some(site.as_of.date),
            PageId::Sitemap => Some(site_date),
            PageId::NotFound
            | PageId::Robots
            | PageId::Feed(_)
            | PageId::SitemapPart(_)
            | PageId::ReportTables(..)
            | PageId::Asset(_) => {
                continue;
            }
        };
        let path = id.path(site);
        let folder = path.strip_suffix("index.html").unwrap_or(&path).to_string();
        out.push((folder, lastmod));
    }
    out
}

/// The newest 发布日期 among `notices`, else `otherwise` (an empty list).
fn newest_of(site: &Site, notices: &[crate::site::NoticeIx], otherwise: Date) -> Option<Date> {
    notices
        .iter()
        .map(|&n| site.notices[n].published)
        .max()
        .or(Some(otherwise))
}

/// A plan's last change: its newest update, else its source notice's date.
fn plan_date(site: &Site, p: PlanIx) -> Option<Date> {
    let plan = &site.plans[p];
    plan.tasks()
        .flat_map(|t| {
            t.updates
                .iter()
                .chain(t.targets.iter().flat_map(|g| g.updates.iter()))
        })
        .map(|u| u.date.value)
        .max()
        .or_else(|| site.plan_links[p].source.map(|n| site.notices[n].published))
}

fn urlset(base: &str, urls: &[SitemapUrl]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in urls {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_xml(&format!("{base}{path}")));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    xml.into_bytes()
}

fn sitemap_index(site: &Site, base: &str, parts: usize) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for n in 1..=parts {
        xml.push_str(&format!(
            "  <sitemap><loc>{}</loc><lastmod>{}</lastmod></sitemap>\n",
            escape_xml(&format!("{base}{}", urls::sitemap_part(n))),
            site.as_of.date
        ));
    }
    xml.push_str("</sitemapindex>\n");
    xml.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_past_the_limit_is_an_index_of_parts_holding_every_url() {
        let mut options = crate::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.as_of = "2024-12-31".parse().ok();
        let (site, _) = crate::check(&options).expect("the example site checks");
        let base = "https://ip.example.gov.cn/";
        let all = sitemap_urls(&site, &crate::render::pages(&site));
        assert!(all.len() > 100);
        let one = sitemap_files(&site, base, &all, SITEMAP_LIMIT);
        assert_eq!(one.len(), 1);
        let count = |bytes: &[u8], tag: &str| String::from_utf8_lossy(bytes).matches(tag).count();
        assert_eq!(count(&one[0].1, "<loc>"), all.len());
        let split = sitemap_files(&site, base, &all, 40);
        let parts = all.len().div_ceil(40);
        assert_eq!(split.len(), parts + 1);
        assert_eq!(split[0].0, "sitemap.xml");
        let index = String::from_utf8_lossy(&split[0].1);
        assert!(index.contains("<sitemapindex"));
        assert_eq!(count(&split[0].1, "<sitemap>"), parts);
        assert!(index.contains("<loc>https://ip.example.gov.cn/sitemap-1.xml</loc>"));
        assert_eq!(split[1].0, "sitemap-1.xml");
        let total: usize = split[1..].iter().map(|(_, b)| count(b, "<loc>")).sum();
        assert_eq!(total, all.len(), "the parts hold every URL once");
        assert!(split[1..].iter().all(|(_, b)| count(b, "<loc>") <= 40));
    }
}
