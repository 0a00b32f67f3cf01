//! What each page reads, recorded as it reads it, and what each thing read looked like.
//!
//! A page family never touches the [`Site`] directly: it reads through a [`Reads`], whose
//! every accessor records an [`ItemKey`]. The keys a page ends with are therefore all it
//! showed, by construction, and `gongkai serve` re-renders a page only when one of them
//! now has a different [`fingerprint`].
//!
//! Two grains of key separate what a page shows of an item: the item whole
//! ([`ItemKey::Notice`]: its page, its file, its links) and the line a list shows of it
//! ([`ItemKey::NoticeLine`]: title, date, 文号 …). Editing a notice's body changes the first
//! only, so the lists that name it are left alone. Keys name items by their ids, never by
//! their position in the site, so adding one notice does not change every key.

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;

use rustc_hash::{FxHashMap, FxHasher};
use serde::Serialize;

use crate::catalog::{Group, GroupKind, GroupSlug};
use crate::config::SiteConfig;
use crate::content::body::{Body, BodyId};
use crate::content::notice::{IndexNo, Notice};
use crate::content::page::{News, Page};
use crate::content::plan::{Plan, PlanId};
use crate::content::unit::{Unit, UnitId};
use crate::content::year_report::{ReportYear, YearReport};
use crate::duties::report::Tables;
use crate::links::LinkContext;
use crate::site::{
    BodyIx, BodyLinks, EffectiveValidity, NoticeIx, NoticeLinks, PlanIx, PlanLinks, Site, UnitIx,
    UnitLinks,
};
use crate::time::AsOf;

/// Something a page reads. Item keys carry the item's id; list keys stand for the
/// membership and order of a whole kind.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum ItemKey {
    /// site.yaml, the theme and the *as of* date: every page reads them.
    Site,
    /// One notice whole: its file, its resolved links and its 时效.
    Notice(IndexNo),
    /// What a list line shows of a notice (`views::notice_item`).
    NoticeLine(IndexNo),
    /// Which notices there are, in order, with their dates.
    Notices,
    /// One unit whole, with the notices, bodies and tasks it is linked to.
    Unit(UnitId),
    /// What a reference shows of a unit (`views::unit_ref`) and its kind.
    UnitName(UnitId),
    /// Which units there are.
    Units,
    /// One coordinating body whole.
    Body(BodyId),
    /// What a reference shows of a body (`bodies::body_ref`).
    BodyName(BodyId),
    /// Which bodies there are.
    Bodies,
    /// One progress plan whole, with its progress as of the build.
    Plan(PlanId),
    /// Which plans there are.
    Plans,
    /// One free page whole.
    Page(String),
    /// Which free pages there are, with their titles (the footer lists them all).
    Pages,
    /// Which free pages stand for a 信息公开 column (`column:`): apart from [`Self::Pages`],
    /// which every page reads, so that a column edit re-renders only the pages naming it.
    PageColumns,
    /// One news item whole.
    News(String),
    /// What a list line shows of a news item.
    NewsLine(String),
    /// Which news items there are.
    NewsList,
    /// Which notices are in one 公开目录 group (a topic or a genre), in order, with their
    /// dates (and, for a topic, every level of it): the membership of its list pages.
    Group(GroupKind, GroupSlug),
    /// Which groups of a kind there are, with their names and sizes.
    Groups(GroupKind),
    /// Which notices a unit issued, in order, with their dates (its catalog list).
    Issued(UnitId),
    /// Which notices are 政策解读, in order, with their dates and what each interprets.
    Interpretations,
    /// One annual report whole: its year file and the tables computed for it (from the
    /// notices' 文件类别 and dates and from the 依申请公开 register, which no other page reads).
    Report(ReportYear),
    /// Which annual reports there are, with their 发布日期.
    Reports,
    /// The whole site: files that show everything (open data).
    Whole,
    /// What the sitemap shows: which pages there are and when each last changed (every
    /// notice's 索引号, dates and issuers, the units, bodies with their founding notice,
    /// plans, pages and news), not what they say: a title edit leaves it alone.
    Crawl,
    /// Where a link written in a Markdown file leads.
    Link {
        /// The file the link is written in, relative to the site root.
        from: PathBuf,
        /// The destination as written.
        dest: String,
    },
}

/// The reader a page is built through: the site, and the keys of what was read.
///
/// Each page gets its own (pages render in parallel, each on one thread).
pub struct Reads<'a> {
    site: &'a Site,
    read: RefCell<Vec<ItemKey>>,
}

impl<'a> Reads<'a> {
    /// A reader of `site` that has read nothing yet.
    pub fn new(site: &'a Site) -> Self {
        Reads {
            site,
            read: RefCell::new(Vec::new()),
        }
    }

    /// Records that the page shows `key`.
    fn record(&self, key: ItemKey) {
        self.read.borrow_mut().push(key);
    }

    /// The keys read, sorted, each once.
    pub fn into_sources(self) -> Vec<ItemKey> {
        let mut keys = self.read.into_inner();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Reads `key` and computes from the site what a view shows of it. Only the view
    /// builders call this, with the narrow key their view stands for, so that the
    /// fingerprint of that key ([`fingerprint`]) is computed by the same function.
    pub(crate) fn narrow<T>(&self, key: ItemKey, view: impl FnOnce(&'a Site) -> T) -> T {
        self.record(key);
        view(self.site)
    }

    /// The 索引号 of notice `ix`, for a view builder about to [`narrow`](Self::narrow) to it.
    pub(crate) fn notice_id(&self, ix: NoticeIx) -> &'a IndexNo {
        &self.site.notices[ix].index_no.value
    }

    /// The issuers of notice `ix`: part of its line ([`ItemKey::NoticeLine`]).
    pub(crate) fn notice_issuers(&self, ix: NoticeIx) -> &'a [UnitIx] {
        &self.site.notice_links[ix].issuers
    }

    /// Unit `ix`, for a view builder about to [`narrow`](Self::narrow) to its name.
    pub(crate) fn unit_name(&self, ix: UnitIx) -> &'a Unit {
        &self.site.units[ix]
    }

    /// Body `bx`, for a view builder about to [`narrow`](Self::narrow) to its name.
    pub(crate) fn body_name(&self, bx: BodyIx) -> &'a Body {
        &self.site.bodies[bx]
    }

    /// News item `ix`, for a view builder about to [`narrow`](Self::narrow) to its line.
    pub(crate) fn news_line(&self, ix: usize) -> &'a News {
        &self.site.news[ix]
    }

    /// The site as the sitemap sees it ([`ItemKey::Crawl`]), with site.yaml.
    pub fn crawl(&self) -> &'a Site {
        self.record(ItemKey::Site);
        self.record(ItemKey::Crawl);
        self.site
    }

    /// The whole site, for files that show all of it (open data, feeds).
    pub fn whole(&self) -> &'a Site {
        self.record(ItemKey::Whole);
        self.site
    }

    /// site.yaml.
    pub fn config(&self) -> &'a SiteConfig {
        self.record(ItemKey::Site);
        &self.site.config
    }

    /// The day the build judges 时效 and deadlines on.
    pub fn as_of(&self) -> &'a AsOf {
        self.record(ItemKey::Site);
        &self.site.as_of
    }

    /// How many notices there are (and in which order: indexes are newest first).
    pub fn notice_count(&self) -> usize {
        self.record(ItemKey::Notices);
        self.site.notices.len()
    }

    /// Notice `ix` whole.
    pub fn notice(&self, ix: NoticeIx) -> (&'a Notice, &'a NoticeLinks) {
        let notice = &self.site.notices[ix];
        self.record(ItemKey::Notice(notice.index_no.value.clone()));
        (notice, &self.site.notice_links[ix])
    }

    /// 时效 of notice `ix` as of the build.
    pub fn validity(&self, ix: NoticeIx) -> EffectiveValidity {
        self.notice(ix);
        self.site.validity(ix)
    }

    /// The year of each notice, newest first: for lists by year.
    pub fn notice_years(&self) -> impl Iterator<Item = i16> + 'a {
        self.record(ItemKey::Notices);
        self.site.notices.iter().map(|n| n.date.year())
    }

    /// The 公开目录 groups of `kind` (names and sizes, not members).
    pub fn groups(&self, kind: GroupKind) -> &'a [Group] {
        self.record(ItemKey::Groups(kind));
        self.site.catalog.groups(kind)
    }

    /// Group `i` of `kind` with its members ([`ItemKey::Group`]).
    pub fn group(&self, kind: GroupKind, i: usize) -> &'a Group {
        let group = &self.site.catalog.groups(kind)[i];
        self.record(ItemKey::Group(kind, group.slug.clone()));
        group
    }

    /// Every level of the 主题分类 of notice `ix`: part of the membership of its topic
    /// group, which a page listing it has read ([`Self::group`]).
    pub(crate) fn group_topic(&self, ix: NoticeIx) -> &'a [String] {
        &self.site.notices[ix].topic
    }

    /// The notices unit `u` issued, newest first ([`ItemKey::Issued`]).
    pub fn issued(&self, u: UnitIx) -> &'a [NoticeIx] {
        self.record(ItemKey::Issued(self.site.units[u].id.clone()));
        &self.site.unit_links[u].notices
    }

    /// The notices that are 政策解读, newest first, each with the notices it interprets
    /// ([`ItemKey::Interpretations`]).
    pub fn interpretations(&self) -> impl Iterator<Item = (NoticeIx, &'a [NoticeIx])> + 'a {
        self.record(ItemKey::Interpretations);
        let site = self.site;
        site.catalog
            .interpretations
            .iter()
            .map(move |&ix| (ix, site.notice_links[ix].interprets.as_slice()))
    }

    /// How many notices are 政策解读 ([`ItemKey::Interpretations`]).
    pub fn interpretation_count(&self) -> usize {
        self.record(ItemKey::Interpretations);
        self.site.catalog.interpretations.len()
    }

    /// The annual reports' year files, in year order ([`ItemKey::Reports`]): which there are.
    pub fn reports(&self) -> &'a [std::sync::Arc<YearReport>] {
        self.record(ItemKey::Reports);
        &self.site.reports
    }

    /// Annual report `ix` whole, with its tables ([`ItemKey::Report`]).
    pub fn report(&self, ix: usize) -> (&'a YearReport, Tables) {
        let report = &self.site.reports[ix];
        self.record(ItemKey::Report(report.year));
        (report, Tables::compute(self.site, report).0)
    }

    /// How many units there are (in id order).
    pub fn unit_count(&self) -> usize {
        self.record(ItemKey::Units);
        self.site.units.len()
    }

    /// Unit `ix` whole.
    pub fn unit(&self, ix: UnitIx) -> (&'a Unit, &'a UnitLinks) {
        let unit = &self.site.units[ix];
        self.record(ItemKey::Unit(unit.id.clone()));
        (unit, &self.site.unit_links[ix])
    }

    /// How many bodies there are (in id order).
    pub fn body_count(&self) -> usize {
        self.record(ItemKey::Bodies);
        self.site.bodies.len()
    }

    /// Body `bx` whole.
    pub fn body(&self, bx: BodyIx) -> (&'a Body, &'a BodyLinks) {
        let body = &self.site.bodies[bx];
        self.record(ItemKey::Body(body.id.clone()));
        (body, &self.site.body_links[bx])
    }

    /// How many plans there are (in id order).
    pub fn plan_count(&self) -> usize {
        self.record(ItemKey::Plans);
        self.site.plans.len()
    }

    /// Plan `px` whole, with its progress.
    pub fn plan(&self, px: PlanIx) -> (&'a Plan, &'a PlanLinks) {
        let plan = &self.site.plans[px];
        self.record(ItemKey::Plan(plan.id.clone()));
        (plan, &self.site.plan_links[px])
    }

    /// The free pages, in footer order, with their titles.
    pub fn pages(&self) -> &'a [std::sync::Arc<Page>] {
        self.record(ItemKey::Pages);
        &self.site.pages
    }

    /// The free pages with the 信息公开 column each stands for, if any.
    pub fn page_columns(&self) -> &'a [std::sync::Arc<Page>] {
        self.record(ItemKey::Pages);
        self.record(ItemKey::PageColumns);
        &self.site.pages
    }

    /// Free page `ix` whole.
    pub fn page(&self, ix: usize) -> &'a Page {
        let page = &self.site.pages[ix];
        self.record(ItemKey::Page(page.slug.clone()));
        page
    }

    /// How many news items there are (newest first).
    pub fn news_count(&self) -> usize {
        self.record(ItemKey::NewsList);
        self.site.news.len()
    }

    /// News item `ix` whole.
    pub fn news(&self, ix: usize) -> &'a News {
        let news = &self.site.news[ix];
        self.record(ItemKey::News(news.slug.clone()));
        news
    }

    /// Renders Markdown written in `from`, for a page whose root prefix is `root`,
    /// recording where each internal link it writes leads.
    pub fn markdown(
        &self,
        text: &str,
        from: &std::path::Path,
        root: &str,
    ) -> super::markdown::Rendered {
        let links = LinkContext::new(&self.site.links, from, root);
        let settings = self.site.config.markdown();
        self.record(ItemKey::Site);
        let rendered = super::markdown::render(text, &settings, &links);
        for dest in links.resolved() {
            self.record(ItemKey::Link {
                from: from.to_path_buf(),
                dest,
            });
        }
        rendered
    }
}

/// What `key` looks like in `site`, as a hash: equal fingerprints in two builds mean every
/// page that read `key` shows the same of it. `None` when the item is gone. [`ItemKey::Site`]
/// is the caller's: it covers files outside the site model (the theme).
pub fn fingerprint(site: &Site, index: &Ids<'_>, key: &ItemKey) -> Option<u64> {
    let mut h = FxHasher::default();
    match key {
        ItemKey::Site => {
            // What the site model holds of it; the engine adds the theme's files.
            format!("{:?}", site.config).hash(&mut h);
            site.as_of.date.hash(&mut h);
        }
        ItemKey::Notice(id) => {
            return Some(site.notice_fingerprint(*index.notices.get(id.as_str())?));
        }
        ItemKey::NoticeLine(id) => {
            // The line (`views::notice_item`) shows front-matter fields and the 时效 as
            // of the build: the front matter's hash stands for the first, so a body edit
            // leaves the lists alone without serialising 100,000 lines per rebuild.
            let ix = *index.notices.get(id.as_str())?;
            site.notices[ix].front_hash.hash(&mut h);
            site.validity(ix).hash(&mut h);
        }
        ItemKey::Notices => {
            for n in &site.notices {
                (&n.index_no.value, n.date).hash(&mut h);
            }
        }
        ItemKey::Unit(id) => {
            let ix = *index.units.get(id.as_str())?;
            let unit = &site.units[ix];
            unit.file.content_hash().hash(&mut h);
            let links = &site.unit_links[ix];
            links.parent.map(|p| &site.units[p].id).hash(&mut h);
            for &c in &links.children {
                site.units[c].id.hash(&mut h);
            }
            for &n in &links.notices {
                site.notices[n].index_no.value.hash(&mut h);
            }
            for m in &links.bodies {
                site.bodies[m.body].id.hash(&mut h);
                format!("{:?}", m.roles).hash(&mut h);
            }
            for t in &links.tasks {
                (&site.plans[t.plan].id, t.task, t.target, t.leads).hash(&mut h);
            }
        }
        ItemKey::UnitName(id) => {
            let ix = *index.units.get(id.as_str())?;
            hash_view(&mut h, &super::views::unit_ref(&Reads::new(site), ix));
            site.units[ix].kind.hash(&mut h);
        }
        ItemKey::Units => site.units.iter().for_each(|u| u.id.hash(&mut h)),
        ItemKey::Body(id) => {
            let bx = *index.bodies.get(id.as_str())?;
            let body = &site.bodies[bx];
            body.file.content_hash().hash(&mut h);
            let links = &site.body_links[bx];
            links
                .established_by
                .map(|n| &site.notices[n].index_no.value)
                .hash(&mut h);
            links.office.map(|u| &site.units[u].id).hash(&mut h);
            for u in &links.leaders {
                u.map(|u| &site.units[u].id).hash(&mut h);
            }
            for &u in &links.members {
                site.units[u].id.hash(&mut h);
            }
        }
        ItemKey::BodyName(id) => {
            let bx = *index.bodies.get(id.as_str())?;
            hash_view(&mut h, &super::bodies::body_ref(&Reads::new(site), bx));
        }
        ItemKey::Bodies => site.bodies.iter().for_each(|b| b.id.hash(&mut h)),
        ItemKey::Plan(id) => {
            let px = *index.plans.get(id.as_str())?;
            let plan = &site.plans[px];
            plan.file.content_hash().hash(&mut h);
            // Progress is computed as of the build, and units are named by id.
            let links = &site.plan_links[px];
            links
                .source
                .map(|n| &site.notices[n].index_no.value)
                .hash(&mut h);
            links.body.map(|b| &site.bodies[b].id).hash(&mut h);
            format!(
                "{:?}{:?}",
                links.categories.iter().collect::<Vec<_>>(),
                links.total
            )
            .hash(&mut h);
            for t in &links.tasks {
                let units = |list: &[UnitIx]| -> Vec<&str> {
                    list.iter().map(|&u| site.units[u].id.as_str()).collect()
                };
                (t.category, units(&t.lead), units(&t.partners)).hash(&mut h);
                format!("{:?}", t.progress).hash(&mut h);
                for u in &t.update_by {
                    u.map(|u| &site.units[u].id).hash(&mut h);
                }
                for target in &t.targets {
                    (units(&target.lead), units(&target.partners)).hash(&mut h);
                    format!("{:?}", target.progress).hash(&mut h);
                    for u in &target.update_by {
                        u.map(|u| &site.units[u].id).hash(&mut h);
                    }
                }
            }
        }
        ItemKey::Plans => site.plans.iter().for_each(|p| p.id.hash(&mut h)),
        ItemKey::Page(slug) => {
            let page = site.pages.iter().find(|p| &p.slug == slug)?;
            page.file.content_hash().hash(&mut h);
        }
        ItemKey::Pages => {
            for p in &site.pages {
                (&p.slug, &p.title, &p.summary, p.order).hash(&mut h);
            }
        }
        ItemKey::PageColumns => {
            for p in &site.pages {
                (&p.slug, p.column.as_ref().map(|c| c.value)).hash(&mut h);
            }
        }
        ItemKey::News(slug) => {
            let ix = *index.news.get(slug.as_str())?;
            let news = &site.news[ix];
            news.file.content_hash().hash(&mut h);
        }
        ItemKey::NewsLine(slug) => {
            let ix = *index.news.get(slug.as_str())?;
            hash_view(&mut h, &super::pages::news_item(&Reads::new(site), ix));
        }
        ItemKey::NewsList => {
            for n in &site.news {
                (&n.slug, n.date).hash(&mut h);
            }
        }
        ItemKey::Group(kind, slug) => {
            let group = &site.catalog.groups(*kind)[site.catalog.find(*kind, slug)?];
            for &ix in &group.notices {
                let n = &site.notices[ix];
                (&n.index_no.value, n.date).hash(&mut h);
                if *kind == GroupKind::Topic {
                    n.topic.hash(&mut h);
                }
            }
        }
        ItemKey::Groups(kind) => {
            for g in site.catalog.groups(*kind) {
                (&g.name, &g.slug, g.notices.len()).hash(&mut h);
            }
        }
        ItemKey::Issued(id) => {
            let ix = *index.units.get(id.as_str())?;
            for &n in &site.unit_links[ix].notices {
                (&site.notices[n].index_no.value, site.notices[n].date).hash(&mut h);
            }
        }
        ItemKey::Interpretations => {
            for &ix in &site.catalog.interpretations {
                (&site.notices[ix].index_no.value, site.notices[ix].date).hash(&mut h);
                for &t in &site.notice_links[ix].interprets {
                    site.notices[t].index_no.value.hash(&mut h);
                }
            }
        }
        ItemKey::Report(year) => {
            let report = site.reports.iter().find(|r| r.year == *year)?;
            report.file.content_hash().hash(&mut h);
            // The tables read the notices and the register: their cells stand for both.
            format!("{:?}", Tables::compute(site, report).0).hash(&mut h);
        }
        ItemKey::Reports => {
            for r in &site.reports {
                (r.year, r.published.as_ref().map(|d| d.value)).hash(&mut h);
            }
        }
        ItemKey::Crawl => {
            site.as_of.date.hash(&mut h);
            fingerprint(site, index, &ItemKey::Reports).hash(&mut h);
            for (n, links) in site.notices.iter().zip(&site.notice_links) {
                (&n.index_no.value, n.date, n.published).hash(&mut h);
                for &u in &links.issuers {
                    site.units[u].id.hash(&mut h);
                }
            }
            site.units.iter().for_each(|u| u.id.hash(&mut h));
            for (b, links) in site.bodies.iter().zip(&site.body_links) {
                b.id.hash(&mut h);
                links
                    .established_by
                    .map(|n| site.notices[n].published)
                    .hash(&mut h);
            }
            for p in &site.plans {
                fingerprint(site, index, &ItemKey::Plan(p.id.clone())).hash(&mut h);
            }
            site.pages.iter().for_each(|p| p.slug.hash(&mut h));
            // The catalog's pages and their dates follow from which notices each holds.
            for kind in [GroupKind::Topic, GroupKind::Genre] {
                for g in site.catalog.groups(kind) {
                    (&g.slug, &g.notices).hash(&mut h);
                }
            }
            site.catalog.interpretations.hash(&mut h);
            site.news
                .iter()
                .for_each(|n| (&n.slug, n.date).hash(&mut h));
        }
        ItemKey::Whole => {
            return Some(fingerprint_whole(site, |key| fingerprint(site, index, key)));
        }
        ItemKey::Link { from, dest } => {
            let links = LinkContext::new(&site.links, from, "");
            links.rewrite(dest).hash(&mut h);
        }
    }
    Some(h.finish())
}

/// The fingerprint of [`ItemKey::Whole`]: that of every item whole and every list, each
/// from `known` (the caller may have most of them already) but the notices', which are
/// [`Site::notice_fingerprint`].
pub fn fingerprint_whole(site: &Site, known: impl Fn(&ItemKey) -> Option<u64>) -> u64 {
    use rayon::prelude::*;
    let mut h = FxHasher::default();
    let lists = [
        ItemKey::Site,
        ItemKey::Notices,
        ItemKey::Units,
        ItemKey::Bodies,
        ItemKey::Plans,
        ItemKey::Pages,
        ItemKey::NewsList,
    ];
    for key in &lists {
        known(key).hash(&mut h);
    }
    // Notices are nearly all of a site: theirs come straight from the site, in parallel,
    // with no key made for each.
    let notices: Vec<u64> = (0..site.notices.len())
        .into_par_iter()
        .map(|ix| site.notice_fingerprint(ix))
        .collect();
    notices.hash(&mut h);
    let others = site
        .units
        .iter()
        .map(|u| ItemKey::Unit(u.id.clone()))
        .chain(site.bodies.iter().map(|b| ItemKey::Body(b.id.clone())))
        .chain(site.plans.iter().map(|p| ItemKey::Plan(p.id.clone())))
        .chain(site.pages.iter().map(|p| ItemKey::Page(p.slug.clone())))
        .chain(site.news.iter().map(|n| ItemKey::News(n.slug.clone())));
    for key in others {
        known(&key).hash(&mut h);
    }
    h.finish()
}

/// Hashes a view as its JSON, the form templates receive it in.
fn hash_view(h: &mut FxHasher, view: &impl Serialize) {
    struct Writer<'a>(&'a mut FxHasher);
    impl std::io::Write for Writer<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // A view of plain data always serialises; a failure would only hash less.
    let _ = serde_json::to_writer(Writer(h), view);
}

/// The position of each item by its id in one site, for [`fingerprint`] (the ids are
/// borrowed from the site: at 100,000 notices a copy of each costs a rebuild more than
/// the lookups).
#[derive(Debug, Default)]
pub struct Ids<'a> {
    notices: FxHashMap<&'a str, NoticeIx>,
    units: FxHashMap<&'a str, UnitIx>,
    bodies: FxHashMap<&'a str, BodyIx>,
    plans: FxHashMap<&'a str, PlanIx>,
    news: FxHashMap<&'a str, usize>,
}

impl<'a> Ids<'a> {
    /// Indexes the ids of `site`.
    pub fn of(site: &'a Site) -> Ids<'a> {
        fn positions<'a>(ids: impl Iterator<Item = &'a str>) -> FxHashMap<&'a str, usize> {
            ids.enumerate().map(|(i, id)| (id, i)).collect()
        }
        Ids {
            notices: positions(site.notices.iter().map(|n| n.index_no.value.as_str())),
            units: positions(site.units.iter().map(|u| u.id.as_str())),
            bodies: positions(site.bodies.iter().map(|b| b.id.as_str())),
            plans: positions(site.plans.iter().map(|p| p.id.as_str())),
            news: positions(site.news.iter().map(|n| n.slug.as_str())),
        }
    }
}

/// The fingerprint of [`ItemKey::Site`] for a build: site.yaml and the *as of* date, with
/// the options and theme files that change every page (`drafts`, `theme` from
/// [`fingerprint_theme`]).
pub(crate) fn fingerprint_site(site: &Site, drafts: bool, theme: u64) -> u64 {
    let mut h = FxHasher::default();
    fingerprint(site, &Ids::default(), &ItemKey::Site).hash(&mut h);
    drafts.hash(&mut h);
    theme.hash(&mut h);
    h.finish()
}

/// The theme's files under the site root (`themes/`), names and bytes: a template
/// override changes every page.
pub(crate) fn fingerprint_theme(root: &std::path::Path) -> u64 {
    let mut h = FxHasher::default();
    let themes = root.join("themes");
    if themes.is_dir() {
        for entry in walkdir::WalkDir::new(&themes)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            entry.path().hash(&mut h);
            if entry.file_type().is_file() {
                std::fs::read(entry.path()).ok().hash(&mut h);
            }
        }
    }
    h.finish()
}
