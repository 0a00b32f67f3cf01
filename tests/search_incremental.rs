//! The incremental search index against clean builds: after any sequence of edits, the
//! files a [`SearchIndex`] kept across builds has written (and removed) are exactly the
//! files of a clean build of the same site, and an edit of one title rewrites few files.

mod common;

use std::collections::BTreeMap;

use common::TestSite;
use gongkai::search::{SearchIndex, SearchUpdate};
use proptest::prelude::*;

/// Words the generated texts are made of: shared characters and pairs, so that edits
/// touch postings other documents hold too, and ASCII words for prefix terms.
const WORDS: &[&str] = &[
    "知识产权",
    "联席会议",
    "专利",
    "工作",
    "通知",
    "关于",
    "印发",
    "实施",
    "意见",
    "管理",
    "办法",
    "2014",
    "k12",
    "abc",
    "，",
    "。",
    "\n\n",
    "## 标题",
    "**重点**",
    "聯席會議",
    // 文号 brackets are units: n-grams across them (〔2014〕67号) are terms.
    "〔2014〕",
    "67号",
    "〔",
];

#[derive(Debug, Clone)]
struct Notice {
    /// The number in its 索引号; unique.
    number: u32,
    title: String,
    body: String,
    /// Day of 2014, 1–28 of month 1–12.
    date: (u8, u8),
    /// Index into the units.
    issuer: usize,
    doc_no: Option<u32>,
}

#[derive(Debug, Clone)]
struct News {
    slug: u32,
    title: String,
    body: String,
    date: (u8, u8),
}

/// What the test site holds.
#[derive(Debug, Clone)]
struct Model {
    notices: Vec<Notice>,
    unit_names: [String; 2],
    news: Vec<News>,
    /// The plan's first task, if there is a plan.
    plan_task: Option<String>,
    next: u32,
}

#[derive(Debug, Clone)]
enum Edit {
    Title(usize, String),
    Body(usize, String),
    Add(String, String, (u8, u8)),
    Delete(usize),
    Date(usize, (u8, u8)),
    RenameUnit(usize, String),
    AddNews(String, String, (u8, u8)),
    Plan(Option<String>),
}

/// Sixty Han characters that differ from one notice to the next, so that a site of a
/// few hundred notices has an index of many shards.
fn varied(i: usize) -> String {
    (0..60)
        .filter_map(|k| char::from_u32(0x4E00 + u32::try_from((i * 37 + k * 101) % 3000).ok()?))
        .collect()
}

fn text(max_words: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(WORDS), 1..max_words)
        .prop_map(|w| w.concat())
}

fn date() -> impl Strategy<Value = (u8, u8)> {
    (1u8..=12, 1u8..=28)
}

fn edit() -> impl Strategy<Value = Edit> {
    let ix = any::<usize>();
    prop_oneof![
        3 => (ix, text(8)).prop_map(|(i, t)| Edit::Title(i, t.replace('\n', ""))),
        3 => (ix, text(200)).prop_map(|(i, t)| Edit::Body(i, t)),
        2 => (text(8), text(200), date())
            .prop_map(|(t, b, d)| Edit::Add(t.replace('\n', ""), b, d)),
        1 => ix.prop_map(Edit::Delete),
        2 => (ix, date()).prop_map(|(i, d)| Edit::Date(i, d)),
        1 => (0usize..2, text(4)).prop_map(|(u, n)| Edit::RenameUnit(u, n.replace(['\n', '#', '*', ' '], ""))),
        1 => (text(6), text(60), date())
            .prop_map(|(t, b, d)| Edit::AddNews(t.replace('\n', ""), b, d)),
        1 => proptest::option::of(text(6)).prop_map(|t| Edit::Plan(t.map(|t| t.replace('\n', "")))),
    ]
}

impl Model {
    fn new(notices: usize) -> Self {
        let mut model = Model {
            notices: Vec::new(),
            unit_names: ["连云港市人民政府".into(), "连云港市科学技术局".into()],
            news: Vec::new(),
            plan_task: Some("完善联络员制度".into()),
            next: 1,
        };
        for i in 0..notices {
            let n = u32::try_from(i).expect("small");
            model.add(
                format!("关于知识产权工作的通知{i}"),
                format!("正文，专利工作。\n\n{} abc {i}", varied(i)),
                (u8::try_from(i % 12).expect("small") + 1, 10),
            );
            model.notices[i].doc_no = n.is_multiple_of(3).then_some(n + 60);
        }
        model
    }

    fn add(&mut self, title: String, body: String, date: (u8, u8)) {
        self.notices.push(Notice {
            number: self.next,
            title,
            body,
            date,
            issuer: usize::from(self.next.is_multiple_of(2)),
            doc_no: None,
        });
        self.next += 1;
    }

    fn apply(&mut self, edit: &Edit) {
        let len = self.notices.len();
        match edit.clone() {
            Edit::Title(i, t) if len > 0 && !t.is_empty() => self.notices[i % len].title = t,
            Edit::Body(i, b) if len > 0 => self.notices[i % len].body = b,
            Edit::Add(t, b, d) if !t.is_empty() => self.add(t, b, d),
            Edit::Delete(i) if len > 0 => {
                self.notices.remove(i % len);
            }
            Edit::Date(i, d) if len > 0 => self.notices[i % len].date = d,
            Edit::RenameUnit(u, name) if !name.is_empty() => self.unit_names[u] = name,
            Edit::AddNews(t, b, d) if !t.is_empty() => {
                let slug = self.next;
                self.next += 1;
                self.news.push(News {
                    slug,
                    title: t,
                    body: b,
                    date: d,
                });
            }
            Edit::Plan(task) if task.as_ref().is_none_or(|t| !t.is_empty()) => {
                self.plan_task = task;
            }
            _ => {}
        }
    }

    /// Writes the model as the site's content, replacing what was there.
    fn write(&self, site: &TestSite) {
        let content = site.root().join("content");
        for folder in ["notices", "news", "progress"] {
            let _ = std::fs::remove_dir_all(content.join(folder));
        }
        let json = |s: &str| serde_json::to_string(s).expect("json");
        site.write(
            "content/units/lyg-gov.yaml",
            &format!(
                "name: {}\nshort_name: 市政府\nkind: government\n",
                json(&self.unit_names[0])
            ),
        );
        site.write(
            "content/units/lyg-kjj.yaml",
            &format!(
                "name: {}\nshort_name: 市科技局\naliases: [市知识产权局]\nkind: department\nparent: lyg-gov\n",
                json(&self.unit_names[1])
            ),
        );
        for n in &self.notices {
            let mut front = format!(
                "index_no: k12498411/2014-{:05}\ntitle: {}\nissuer: {}\ndate: 2014-{:02}-{:02}\n",
                n.number,
                json(&n.title),
                ["lyg-gov", "lyg-kjj"][n.issuer],
                n.date.0,
                n.date.1
            );
            if let Some(d) = n.doc_no {
                front.push_str(&format!("doc_no: 连政办发〔2014〕{d}号\n"));
            }
            site.notice(&format!("2014/n{}", n.number), &front, &n.body);
        }
        for n in &self.news {
            site.write(
                &format!("content/news/n{}.md", n.slug),
                &format!(
                    "---\ntitle: {}\ndate: 2014-{:02}-{:02}\nsource: 市科技局\n---\n{}",
                    json(&n.title),
                    n.date.0,
                    n.date.1,
                    n.body
                ),
            );
        }
        if let Some(task) = &self.plan_task {
            site.write(
                "content/progress/demo.yaml",
                &format!(
                    "title: 2014年工作分解表\nperiod: {{start: 2014-01-01, end: 2014-12-31}}\ncategories:\n  - number: 一\n    name: 建立健全管理体系\n    tasks:\n      - number: 1\n        content: {}\n        lead: [lyg-kjj]\n        partners: [lyg-gov]\n        deadline: 2014-06\n      - number: 2\n        content: 开展知识产权宣传周活动。\n        lead: [lyg-gov]\n        deadline: 常设\n",
                    json(task)
                ),
            );
        }
    }
}

/// The files of `search/` after applying `update` to `files`, checking that it writes
/// only files whose bytes change and removes only files that exist.
fn apply(files: &mut BTreeMap<String, Vec<u8>>, update: SearchUpdate) -> Result<(), String> {
    for path in &update.removed {
        if files.remove(path).is_none() {
            return Err(format!("removed {path}, which was not there"));
        }
    }
    for file in update.written {
        if update.removed.contains(&file.path) {
            return Err(format!("{} both written and removed", file.path));
        }
        if files.get(&file.path) == Some(&file.bytes) {
            return Err(format!("{} written with unchanged bytes", file.path));
        }
        files.insert(file.path, file.bytes);
    }
    Ok(())
}

fn clean(site: &gongkai::site::Site, sizes: Option<(usize, usize)>) -> BTreeMap<String, Vec<u8>> {
    let mut index = match sizes {
        Some((shard, own)) => SearchIndex::with_file_sizes(shard, own),
        None => SearchIndex::new(),
    };
    let mut files = BTreeMap::new();
    apply(&mut files, index.build(site)).expect("a first build only writes");
    files
}

/// The paths whose bytes differ between two sets of files.
fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<&String> = a.keys().chain(b.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| a.get(*p) != b.get(*p))
        .cloned()
        .collect()
}

fn check(site: &TestSite) -> gongkai::site::Site {
    match gongkai::check(&site.options("2024-12-31")) {
        Ok((site, _)) => site,
        Err(e) => panic!("the generated site must pass check:\n{e}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The property of docs/search.md's "Incremental index": kept across edits, the
    /// index's output equals a clean build's after every step. Small file sizes make the
    /// small site meet several shards, a changing shard count and postings with files of
    /// their own; the site's own sizes are checked as well.
    #[test]
    fn an_index_kept_across_edits_equals_a_clean_build(
        start in 0usize..8,
        edits in proptest::collection::vec(edit(), 1..10),
        small in any::<bool>(),
    ) {
        let sizes = small.then_some((600, 40));
        let site = TestSite::new();
        let mut model = Model::new(start);
        let mut index = match sizes {
            Some((shard, own)) => SearchIndex::with_file_sizes(shard, own),
            None => SearchIndex::new(),
        };
        let mut files = BTreeMap::new();
        model.write(&site);
        apply(&mut files, index.build(&check(&site))).map_err(TestCaseError::fail)?;
        for (step, edit) in edits.iter().enumerate() {
            model.apply(edit);
            model.write(&site);
            let resolved = check(&site);
            apply(&mut files, index.build(&resolved)).map_err(TestCaseError::fail)?;
            let expected = clean(&resolved, sizes);
            prop_assert!(
                files == expected,
                "after step {} ({:?}) these files differ from a clean build: {:?}",
                step,
                edit,
                differences(&files, &expected)
            );
        }
    }
}

/// An edit of one notice's title, in a site of a few hundred notices, rewrites the shards
/// of the terms it adds or removes, that notice's fragment, and nothing else. (A title
/// of thirty terms written anew touches nearly every one of ten shards; here two
/// characters are added.)
#[test]
fn one_title_edit_rewrites_few_files() {
    let site = TestSite::new();
    let mut model = Model::new(300);
    model.write(&site);
    let mut index = SearchIndex::new();
    let mut files = BTreeMap::new();
    apply(&mut files, index.build(&check(&site))).expect("first build");
    let total = files.len();
    let shards = files.keys().filter(|p| p.starts_with("search/s/")).count();
    assert!(shards > 4, "the test needs several shards, has {shards}");
    let unchanged = index.build(&check(&site));
    assert!(
        unchanged.written.is_empty() && unchanged.removed.is_empty(),
        "nothing changed, nothing written: {:?}",
        unchanged
            .written
            .iter()
            .map(|f| &f.path)
            .collect::<Vec<_>>()
    );
    let title = format!("{}（修订）", model.notices[150].title);
    model.apply(&Edit::Title(150, title));
    model.write(&site);
    let resolved = check(&site);
    let update = index.build(&resolved);
    let written: Vec<&str> = update.written.iter().map(|f| f.path.as_str()).collect();
    assert!(update.removed.is_empty(), "{:?}", update.removed);
    let fragments = written
        .iter()
        .filter(|p| p.starts_with("search/f/"))
        .count();
    let rewritten_shards = written
        .iter()
        .filter(|p| p.starts_with("search/s/"))
        .count();
    assert_eq!(fragments, 1, "{written:?}");
    assert!(
        rewritten_shards >= 1 && rewritten_shards < shards / 2,
        "{rewritten_shards} of {shards} shards: {written:?}"
    );
    // The manifest too, as here, when a new character brings its traditional spelling
    // into the fold map (订 for 訂).
    let others: Vec<&&str> = written
        .iter()
        .filter(|p| !p.starts_with("search/s/") && !p.starts_with("search/f/"))
        .collect();
    assert!(
        others.iter().all(|p| **p == "search/manifest.json"),
        "only shards, one fragment and the manifest, of {total} files: {written:?}"
    );
    apply(&mut files, update).expect("apply");
    assert!(files == clean(&resolved, None), "equals a clean build");
}

/// Not a test but a measurement (docs/search.md, "Incremental index"): on the site at
/// `GONGKAI_BENCH_SITE` (a `gongkai-bench` site), the clean index against the incremental
/// one after one notice's title is edited, alternating, five of each; prints the medians.
///
///     GONGKAI_BENCH_SITE=/dev/shm/gongkai-bench/n10000 \
///       cargo test --release --test search_incremental -- --ignored --nocapture
#[test]
#[ignore = "a measurement: needs GONGKAI_BENCH_SITE and a release build"]
fn measure_one_title_edit() {
    let Some(root) = std::env::var_os("GONGKAI_BENCH_SITE") else {
        eprintln!("GONGKAI_BENCH_SITE is not set");
        return;
    };
    let mut options = gongkai::BuildOptions::new(root);
    options.as_of = "2024-12-31".parse().ok();
    let (mut site, _) = gongkai::check(&options).expect("the bench site checks");
    let k = site.notices.len() / 2;
    let original = site.notices[k].title.clone();
    let mut index = SearchIndex::new();
    let mut files = BTreeMap::new();
    apply(&mut files, index.build(&site)).expect("first build");
    // The second build fills the plain-text cache (the first does not keep one).
    let unchanged = index.build(&site);
    assert!(unchanged.written.is_empty() && unchanged.removed.is_empty());
    let (mut clean_times, mut edit_times, mut written) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..5 {
        let started = std::time::Instant::now();
        let mut fresh = SearchIndex::new();
        let update = fresh.build(&site);
        clean_times.push(started.elapsed());
        drop((fresh, update));
        let title = if round % 2 == 0 {
            format!("{original}（修订）")
        } else {
            original.clone()
        };
        retitle(&mut site.notices[k], title);
        let started = std::time::Instant::now();
        let update = index.build(&site);
        edit_times.push(started.elapsed());
        written.push(update.written.len());
        apply(&mut files, update).expect("apply");
    }
    assert!(files == clean(&site, None), "equals a clean build");
    let median = |times: &mut Vec<std::time::Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    println!(
        "{} documents: clean {:.1?} (median of 5), one title edited {:.1?} (median of 5), files written {:?}; postings kept {:.1} MB packed",
        index.stats().docs,
        median(&mut clean_times),
        median(&mut edit_times),
        written,
        index.postings_bytes() as f64 / 1e6
    );
}

/// Gives a loaded notice another title, in its file too: what an edit of the file would
/// load (the index reuses a notice's document while its file is the same).
fn retitle(notice: &mut std::sync::Arc<gongkai::content::notice::Notice>, title: String) {
    let n = std::sync::Arc::make_mut(notice);
    let text = n.file.text.replacen(&n.title, &title, 1);
    n.body_offset = n.body_offset + title.len() - n.title.len();
    n.file = gongkai::source::SourceFile::new(n.file.path.clone(), text);
    n.title = title;
}
