//! Incremental equals clean: `gongkai serve`'s rebuild engine, after each edit of a
//! random sequence, leaves exactly the tree a clean `gongkai build` of the same content
//! writes, byte for byte.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use gongkai::BuildOptions;
use gongkai::engine::Engine;

/// Every file under `dir`, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).expect("under dir");
            files.insert(
                relative.to_string_lossy().replace('\\', "/"),
                fs::read(entry.path()).expect("read"),
            );
        }
    }
    files
}

/// Asserts two trees are equal, naming the first difference.
fn assert_same_tree(step: &str, incremental: &Path, clean: &Path) {
    let (a, b) = (tree(incremental), tree(clean));
    let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "{step}: files only in the incremental output {only_a:?}, only in the clean one {only_b:?}"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{step}: {path} differs from a clean build:\n--- incremental\n{}\n--- clean\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[path])
        );
    }
}

/// A copy of the example site (content and themes) in a temporary folder.
fn example_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["content", "themes"] {
        let from = source.join(top);
        if !from.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("walk");
            let relative = entry.path().strip_prefix(source).expect("under source");
            let to = dir.path().join(relative);
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to).expect("mkdir");
            } else {
                fs::copy(entry.path(), &to).expect("copy");
            }
        }
    }
    dir
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One edit a publisher makes.
#[derive(Debug, Clone, Copy)]
enum Edit {
    Title,
    Body,
    AddNotice,
    DeleteNotice,
    MoveNotice,
    RedateNotice,
    RenameUnit,
    PlanUpdate,
    SiteTitle,
    BadThenFix,
    Theme,
    /// 主题分类: a new first-level topic, or back.
    Topic,
    /// 文种: another genre, or back.
    Genre,
    /// `interprets:` on an added notice, or off.
    Interprets,
    /// A page's `column:`, off or on.
    PageColumn,
    /// An application of the register: only the annual report counts it.
    Application,
    /// A figure of the annual report's year file.
    YearFile,
    /// A fenced code block in a notice, or out: `assets/highlight.<hash>.css` comes and
    /// goes with it.
    Code,
}

const EDITS: [Edit; 18] = [
    Edit::Title,
    Edit::Body,
    Edit::AddNotice,
    Edit::DeleteNotice,
    Edit::MoveNotice,
    Edit::RedateNotice,
    Edit::RenameUnit,
    Edit::PlanUpdate,
    Edit::SiteTitle,
    Edit::BadThenFix,
    Edit::Theme,
    Edit::Topic,
    Edit::Genre,
    Edit::Interprets,
    Edit::PageColumn,
    Edit::Application,
    Edit::YearFile,
    Edit::Code,
];

struct Site {
    dir: tempfile::TempDir,
    added: Vec<PathBuf>,
    counter: usize,
}

impl Site {
    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// `one` unless the file at `relative` has that line already, then `other`.
    fn toggled<'a>(&self, relative: &str, one: &'a str, other: &'a str) -> &'a str {
        let text = fs::read_to_string(self.path(relative)).expect("read");
        if text.lines().any(|l| l == one) {
            other
        } else {
            one
        }
    }

    fn replace_line(&self, relative: &str, prefix: &str, line: &str) -> PathBuf {
        let path = self.path(relative);
        let text = fs::read_to_string(&path).expect("read");
        let mut done = false;
        let edited: Vec<String> = text
            .lines()
            .map(|l| {
                if !done && l.starts_with(prefix) {
                    done = true;
                    line.to_string()
                } else {
                    l.to_string()
                }
            })
            .collect();
        assert!(done, "{relative} has no line starting with {prefix:?}");
        fs::write(&path, edited.join("\n") + "\n").expect("write");
        path
    }

    fn notice_text(&self, n: usize, issuer: &str, date: &str) -> String {
        format!(
            "---\nindex_no: 696915012/2024-{n:05}\ntitle: 关于第{n}次测试的通知\nissuer: {issuer}\ndate: {date}\nsummary: 第{n}次测试。\nvalidity: effective\n---\n第{n}次测试的正文，见[联席会议规则](notice:k12498411/2014-00065)。\n"
        )
    }

    /// Applies `edit`; returns the paths it touched (what a watcher would report).
    fn apply(&mut self, edit: Edit, engine: &mut Engine, out: &Path) -> Vec<PathBuf> {
        self.counter += 1;
        let n = self.counter;
        let notice = "content/notices/2008/gz-world-ip-day-2008.md";
        match edit {
            Edit::Title => vec![self.replace_line(
                notice,
                "title:",
                &format!("title: 关于开展世界知识产权日宣传活动的通知（第{n}稿）"),
            )],
            Edit::Body => {
                let path = self.path(notice);
                let mut text = fs::read_to_string(&path).expect("read");
                text.push_str(&format!("\n补充说明第{n}条：请各单位按时报送。\n"));
                fs::write(&path, text).expect("write");
                vec![path]
            }
            Edit::AddNotice => {
                let path = self.path(&format!("content/notices/2024/added-{n}.md"));
                fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                let date = format!("2024-{:02}-15", 1 + n % 12);
                fs::write(&path, self.notice_text(n, "gz-zscqj", &date)).expect("write");
                self.added.push(path.clone());
                vec![path]
            }
            Edit::DeleteNotice => match self.added.pop() {
                Some(path) => {
                    fs::remove_file(&path).expect("remove");
                    vec![path]
                }
                None => self.apply(Edit::AddNotice, engine, out),
            },
            Edit::MoveNotice => match self.added.pop() {
                Some(path) => {
                    let to = self.path(&format!("content/notices/moved-{n}.md"));
                    fs::rename(&path, &to).expect("rename");
                    self.added.push(to.clone());
                    vec![path, to]
                }
                None => self.apply(Edit::AddNotice, engine, out),
            },
            Edit::RedateNotice => match self.added.last() {
                Some(path) => {
                    let relative = path
                        .strip_prefix(self.dir.path())
                        .expect("inside")
                        .to_string_lossy()
                        .into_owned();
                    vec![self.replace_line(
                        &relative,
                        "date:",
                        &format!("date: 20{:02}-03-01", 10 + n % 12),
                    )]
                }
                None => self.apply(Edit::AddNotice, engine, out),
            },
            Edit::RenameUnit => vec![self.replace_line(
                "content/units/gz-zscqj.yaml",
                "name:",
                &format!("name: 广州市知识产权局（第{n}次更名）"),
            )],
            Edit::PlanUpdate => {
                let path = self.path("content/progress/gz-2007-ip-demo-city.yaml");
                let text = fs::read_to_string(&path).expect("read");
                let marker = "        updates:\n";
                let at = text.find(marker).expect("a task with updates") + marker.len();
                // Each goes first in the list, so all share one date (updates are oldest
                // first, and a later date put first would be an error after two of them).
                let update = format!(
                    "          - date: 2007-06-01\n            status: in_progress\n            percent: {}\n            by: gz-ip-office\n            note: 第{n}次进展报告。\n",
                    n % 40
                );
                fs::write(&path, format!("{}{update}{}", &text[..at], &text[at..])).expect("write");
                vec![path]
            }
            Edit::SiteTitle => vec![self.replace_line(
                "content/site.yaml",
                "title:",
                &format!("title: 知识产权联席会议信息公开（{n}）"),
            )],
            Edit::BadThenFix => {
                let path = self.path(&format!("content/notices/2024/bad-{n}.md"));
                fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                fs::write(&path, self.notice_text(n, "no-such-unit", "2024-06-01")).expect("write");
                let before = tree(out);
                let errors = engine
                    .rebuild(std::slice::from_ref(&path))
                    .expect_err("an unknown issuer fails the rebuild");
                assert!(
                    errors.to_string().contains("no-such-unit"),
                    "the error names the unknown unit: {errors}"
                );
                assert!(
                    tree(out) == before,
                    "a failed rebuild leaves the output as it was"
                );
                fs::write(&path, self.notice_text(n, "gz-bqj", "2024-06-01")).expect("write");
                self.added.push(path.clone());
                vec![path]
            }
            // Each flips the value the notice has now, so every one changes something
            // whatever came before it.
            Edit::Topic => {
                let line = self.toggled(
                    notice,
                    "topic: 综合政务/其他",
                    "topic: 科技、教育/知识产权/宣传",
                );
                vec![self.replace_line(notice, "topic:", line)]
            }
            Edit::Genre => {
                let line = self.toggled(notice, "genre: 公告", "genre: 通知");
                vec![self.replace_line(notice, "genre:", line)]
            }
            Edit::Interprets => match self.added.last() {
                Some(path) => {
                    let text = fs::read_to_string(path).expect("read");
                    let line = "interprets: [k12498411/2014-00065]\n";
                    let text = if text.contains(line) {
                        text.replace(line, "")
                    } else {
                        text.replacen("validity:", &format!("{line}validity:"), 1)
                    };
                    fs::write(path, text).expect("write");
                    vec![path.clone()]
                }
                None => self.apply(Edit::AddNotice, engine, out),
            },
            Edit::PageColumn => {
                let path = self.path("content/pages/rules.md");
                let text = fs::read_to_string(&path).expect("read");
                let line = "column: rules\n";
                let text = if text.contains(line) {
                    text.replace(line, "")
                } else {
                    text.replacen("order:", &format!("{line}order:"), 1)
                };
                fs::write(&path, text).expect("write");
                vec![path]
            }
            Edit::Theme => {
                let path = self.path("themes/default/templates/404.html");
                fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                let template = format!(
                    "{{% extends \"base.html\" %}}{{% block content %}}<h1>页面未找到（{n}）</h1>{{% endblock content %}}"
                );
                fs::write(&path, template).expect("write");
                vec![path]
            }
            // Received 2024-12-05, due 2025-01-03: two working days left as of 2024-12-31,
            // a `deadline-near` warning; 2024's report counts it (本年新收, 结转下年度).
            Edit::Application => {
                let path = self.path(&format!("content/applications/added-{n}.yaml"));
                fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                let channel = ["online", "letter", "fax"][n % 3];
                let text =
                    format!("received: 2024-12-05\napplicant: business\nchannel: {channel}\n");
                fs::write(&path, text).expect("write");
                vec![path]
            }
            // The annual report's year file: checked (its 表三 must balance), shown in 表二.
            Edit::YearFile => vec![self.replace_line(
                "content/reports/2024.yaml",
                "permits:",
                &format!("permits: {}", 30 + n),
            )],
            Edit::Code => {
                let path = self.path(notice);
                let text = fs::read_to_string(&path).expect("read");
                let text = match text.find(CODE) {
                    Some(_) => text.replace(CODE, ""),
                    None => text + CODE,
                };
                fs::write(&path, text).expect("write");
                vec![path]
            }
        }
    }
}

/// The code block of [`Edit::Code`] (the example site has none of its own).
const CODE: &str = "\n```yaml\n报送: 每月\n```\n";

fn options(root: &Path, out: Option<PathBuf>) -> BuildOptions {
    let mut options = BuildOptions::new(root);
    options.out = out;
    options.as_of = "2024-12-31".parse().ok();
    options.force = true;
    options
}

#[test]
fn every_rebuild_equals_a_clean_build() {
    let mut site = Site {
        dir: example_copy(),
        added: Vec::new(),
        counter: 0,
    };
    let root = site.dir.path().to_path_buf();
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().join("serve");
    let mut engine = Engine::new(options(&root, None), out.clone());
    engine.rebuild(&[]).expect("the example site builds");
    let clean_out = work.path().join("clean");
    let check = |step: &str| {
        gongkai::build(&options(&root, Some(clean_out.clone())))
            .unwrap_or_else(|e| panic!("{step}: a clean build must pass:\n{e}"));
        assert_same_tree(step, &out, &clean_out);
    };
    check("first build");
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    // Every kind of edit once, in a shuffled order, then random ones.
    let mut plan: Vec<Edit> = EDITS.to_vec();
    for i in (1..plan.len()).rev() {
        plan.swap(i, random.below(i + 1));
    }
    plan.extend((0..8).map(|_| EDITS[random.below(EDITS.len())]));
    for (i, edit) in plan.into_iter().enumerate() {
        let touched = site.apply(edit, &mut engine, &out);
        let step = format!("step {i} ({edit:?})");
        let outcome = engine
            .rebuild(&touched)
            .unwrap_or_else(|e| panic!("{step}: the rebuild must pass:\n{e}"));
        // Moving a file changes no page (URLs follow the 索引号); every other edit shows.
        let unseen = matches!(edit, Edit::MoveNotice);
        assert!(
            unseen || !outcome.written.is_empty() || !outcome.removed.is_empty(),
            "{step}: an edit changes some file"
        );
        // An application (never published) and a year file change the report of 2024
        // and nothing else: its page and its tables.
        if matches!(edit, Edit::Application | Edit::YearFile) {
            let mut written: Vec<&str> = outcome.written.iter().map(|p| p.as_str()).collect();
            written.sort();
            assert_eq!(
                written,
                [
                    "reports/2024/index.html",
                    "reports/2024/report-2024.csv",
                    "reports/2024/report-2024.json"
                ],
                "{step}"
            );
        }
        // The highlighting stylesheet comes with the first code block and goes with the
        // last (the example site has none of its own).
        if matches!(edit, Edit::Code) {
            let highlight =
                |paths: &[String]| paths.iter().any(|p| p.starts_with("assets/highlight."));
            assert!(
                highlight(&outcome.written) || highlight(&outcome.removed),
                "{step}: highlight.<hash>.css written or removed: {outcome:?}"
            );
        }
        // The engine says what `check` says.
        let (_, checked) = gongkai::check(&options(&root, None))
            .unwrap_or_else(|e| panic!("{step}: check must pass:\n{e}"));
        assert_eq!(outcome.warnings.to_string(), checked.to_string(), "{step}");
        check(&step);
    }
}

#[test]
fn a_title_edit_renders_only_the_pages_that_show_the_title() {
    let site = Site {
        dir: example_copy(),
        added: Vec::new(),
        counter: 0,
    };
    let root = site.dir.path().to_path_buf();
    let work = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::new(options(&root, None), work.path().join("serve"));
    let first = engine.rebuild(&[]).expect("builds");
    let path = site.replace_line(
        "content/notices/2008/gz-world-ip-day-2008.md",
        "title:",
        "title: 世界知识产权日宣传活动的通知（改）",
    );
    let outcome = engine.rebuild(&[path]).expect("rebuilds");
    assert!(
        outcome.rendered * 5 < first.rendered,
        "{} of {} pages rendered again",
        outcome.rendered,
        first.rendered
    );
    let pages: Vec<&str> = outcome
        .written
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    for expected in [
        "notices/696915012-2008-00011/index.html",
        "notices/index.html",
        "notices/2008/index.html",
        "units/gz-zscqj/index.html",
        "notices/007482947-2007-00025/index.html",
        // The catalog's lists that hold it: its topic, its genre, its issuer.
        "catalog/topic/t460ac637/index.html",
        "catalog/genre/gfe845d75/index.html",
        "catalog/issuer/gz-zscqj/index.html",
    ] {
        assert!(
            pages.contains(&expected),
            "{expected} not rewritten: {pages:?}"
        );
    }
    for untouched in [
        "units/index.html",
        "bodies/index.html",
        // The catalog's lists that do not hold it, and the pages that only count.
        "catalog/topic/t2da8be1a/index.html",
        "catalog/genre/g5397501f/index.html",
        "catalog/issuer/lyg-gov/index.html",
        "catalog/index.html",
        "disclosure/index.html",
        "interpretations/index.html",
    ] {
        assert!(
            !pages.contains(&untouched),
            "{untouched} does not show the title but was rewritten: {pages:?}"
        );
    }
    // A body edit leaves the lists alone: they show the title, not the text.
    let file = root.join("content/notices/2008/gz-world-ip-day-2008.md");
    let mut text = fs::read_to_string(&file).expect("read");
    text.push_str("\n补充一段正文。\n");
    fs::write(&file, text).expect("write");
    let outcome = engine.rebuild(&[file]).expect("rebuilds");
    let pages: Vec<&str> = outcome
        .written
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(pages, ["notices/696915012-2008-00011/index.html"]);
}

/// `serve` reloads open pages once the pages are written: at that moment the edited
/// notice's page shows the new title while the files for programs (open data, feeds,
/// the search index) still hold the old one; when the rebuild returns they are
/// up to date too, and what the callback saw is part of the outcome.
#[test]
fn pages_are_written_before_the_files_for_programs() {
    let site = Site {
        dir: example_copy(),
        added: Vec::new(),
        counter: 0,
    };
    let root = site.dir.path().to_path_buf();
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().join("serve");
    let mut engine = Engine::new(options(&root, None), out.clone());
    engine.rebuild(&[]).expect("builds");
    let title = "世界知识产权日宣传活动的通知（先写页面）";
    let path = site.replace_line(
        "content/notices/2008/gz-world-ip-day-2008.md",
        "title:",
        &format!("title: {title}"),
    );
    let page = out.join("notices/696915012-2008-00011/index.html");
    let data = out.join("data/notices.json");
    let mut seen = None;
    let outcome = engine
        .rebuild_then(&[path], |so_far| {
            let read = |p: &Path| fs::read_to_string(p).expect("read");
            seen = Some((
                so_far.written.clone(),
                read(&page).contains(title),
                read(&data).contains(title),
            ));
        })
        .expect("rebuilds");
    let (early, page_new, data_new) = seen.expect("pages_ready was called");
    assert!(
        page_new,
        "the notice page was not written before pages_ready"
    );
    assert!(
        !data_new,
        "data/notices.json was written before the pages were announced"
    );
    assert!(
        early.iter().all(|p| p.ends_with(".html")),
        "files for programs among the first: {early:?}"
    );
    assert!(fs::read_to_string(&data).expect("read").contains(title));
    for path in ["data/notices.json", "feed.xml", "search/manifest.json"] {
        assert!(
            outcome.written.iter().any(|p| p == path) && !early.iter().any(|p| p == path),
            "{path} written after the pages: {:?}",
            outcome.written
        );
    }
    assert!(early.iter().all(|p| outcome.written.contains(p)));
}

/// What the watcher names decides how much the load looks at: named Markdown and YAML
/// files alone are read again, with no walk; a named folder, a temporary file or an
/// unnamed change make it walk every folder. Each case must still equal a clean build.
#[test]
fn the_load_trusts_the_watcher_only_with_named_content_files() {
    let site = Site {
        dir: example_copy(),
        added: Vec::new(),
        counter: 0,
    };
    let root = &site.dir;
    let work = tempfile::tempdir().expect("temp dir");
    let out = work.path().join("serve");
    let clean_out = work.path().join("clean");
    let mut engine = Engine::new(options(root.path(), None), out.clone());
    engine.rebuild(&[]).expect("builds");
    let check = |step: &str| {
        gongkai::build(&options(root.path(), Some(clean_out.clone())))
            .unwrap_or_else(|e| panic!("{step}: a clean build must pass:\n{e}"));
        assert_same_tree(step, &out, &clean_out);
    };
    let notices = root.path().join("content/notices");
    // A folder renamed: the watcher names the two folders, not the files in them.
    let (from, to) = (notices.join("2008"), notices.join("archive-2008"));
    fs::rename(&from, &to).expect("rename folder");
    let moved = engine.rebuild(&[from, to.clone()]).expect("rebuilds");
    assert!(moved.removed.is_empty(), "{:?}", moved.removed);
    check("folder renamed");
    // A folder of new notices made, then removed: the watcher names the folder only.
    let extra = notices.join("extra");
    fs::create_dir_all(&extra).expect("mkdir");
    for n in 1..=2 {
        let text = site.notice_text(900 + n, "gz-zscqj", "2024-05-01");
        fs::write(extra.join(format!("extra-{n}.md")), text).expect("write");
    }
    let made = engine
        .rebuild(std::slice::from_ref(&extra))
        .expect("rebuilds");
    assert!(
        made.written.iter().any(|p| p.starts_with("notices/")),
        "{:?}",
        made.written
    );
    check("folder of notices made");
    fs::remove_dir_all(&extra).expect("remove folder");
    let removed = engine
        .rebuild(std::slice::from_ref(&extra))
        .expect("rebuilds");
    assert!(removed.removed.len() >= 2, "{:?}", removed.removed);
    check("folder of notices removed");
    // An editor's temporary file named, the real file written beside it unnamed.
    let real = notices.join("2010/lyg-ip-joint-conference-2010.md");
    let text = fs::read_to_string(&real).expect("read");
    let swap = notices.join("2010/.lyg-ip-joint-conference-2010.md.swp");
    fs::write(&swap, "x").expect("write swap");
    fs::write(&real, text.replace("title:", "title: （修订）")).expect("write");
    engine
        .rebuild(std::slice::from_ref(&swap))
        .expect("rebuilds");
    check("edit beside a temporary file");
    fs::remove_file(&swap).expect("remove swap");
    // Nothing named: every stamp is compared.
    fs::write(&real, text).expect("write back");
    engine.rebuild(&[]).expect("rebuilds");
    check("unnamed edit");
}

/// A page's `column:` is shown by the pages that name the 信息公开 columns, not by the
/// footer every page has: taking it off re-renders those and the page itself.
#[test]
fn a_page_column_edit_renders_only_the_pages_naming_the_columns() {
    let site = Site {
        dir: example_copy(),
        added: Vec::new(),
        counter: 0,
    };
    let root = site.dir.path().to_path_buf();
    let work = tempfile::tempdir().expect("temp dir");
    let mut engine = Engine::new(options(&root, None), work.path().join("serve"));
    engine.rebuild(&[]).expect("builds");
    let path = root.join("content/pages/rules.md");
    let text = fs::read_to_string(&path).expect("read");
    fs::write(&path, text.replace("column: rules\n", "")).expect("write");
    let outcome = engine.rebuild(&[path]).expect("rebuilds");
    let mut pages: Vec<&str> = outcome
        .written
        .iter()
        .map(String::as_str)
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort_unstable();
    // The page itself renders again to the same bytes: it does not show its column.
    assert_eq!(
        pages,
        ["disclosure/index.html", "index.html", "sitemap/index.html"]
    );
    // Those, the page itself and the open-data files (which read the whole site): not
    // every page, as a footer key would have made it.
    assert!(outcome.rendered < 40, "{} files rendered", outcome.rendered);
}

// The build cache (`gongkai build` without `--no-cache`): a build after an edit takes the
// unchanged pages from the last output and writes exactly what a clean build writes.

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).expect("stat").ino()
}

#[cfg(unix)]
fn cached(root: &Path, out: &Path) -> BuildOptions {
    let mut options = options(root, Some(out.to_path_buf()));
    options.cache = true;
    options
}

/// A copy of the example site built once with the cache into its `public/`: the copy, the
/// output folder, a folder for the clean build to compare with, and the first report.
#[cfg(unix)]
fn built_with_cache() -> (tempfile::TempDir, PathBuf, PathBuf, gongkai::Report) {
    let site = example_copy();
    let out = site.path().join("public");
    let clean = site.path().join("clean");
    let first = gongkai::build(&cached(site.path(), &out)).expect("first build");
    (site, out, clean, first)
}

/// Renames one notice's title in its file.
fn retitle(root: &Path, file: &str, suffix: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).expect("read notice");
    let text = text.replacen("\ntitle: ", &format!("\ntitle: {suffix}"), 1);
    fs::write(&path, text).expect("write notice");
}

#[cfg(unix)]
#[test]
fn a_cached_build_rewrites_only_what_changed_and_equals_a_clean_build() {
    let (site, out, clean, first) = built_with_cache();
    let root = site.path();
    assert_eq!(first.reused, 0, "nothing to reuse the first time");
    assert!(root.join(".gongkai-cache/CACHEDIR.TAG").is_file());

    let edited = "notices/k12498411-2014-00078/index.html";
    // 2014-00065 lists 00078 as related (its page shows the title): not that one.
    let untouched = "notices/k12498411-2019-00027/index.html";
    let (edited_before, untouched_before) = (inode(&out.join(edited)), inode(&out.join(untouched)));
    let before: BTreeMap<PathBuf, u64> = walkdir::WalkDir::new(&out)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(&out).expect("under").to_path_buf(),
                inode(e.path()),
            )
        })
        .collect();
    retitle(
        root,
        "content/notices/2014/lyg-ip-liaison-rules.md",
        "修订：",
    );
    let second = gongkai::build(&cached(root, &out)).expect("cached build");
    assert!(
        second.reused > first.output.pages / 2,
        "most pages come from the cache: {} of {}",
        second.reused,
        first.output.pages
    );
    assert_ne!(
        inode(&out.join(edited)),
        edited_before,
        "the edited notice is rendered again"
    );
    assert_eq!(
        inode(&out.join(untouched)),
        untouched_before,
        "an unrelated notice's page is the same file, not rewritten"
    );
    assert!(
        fs::read_to_string(out.join(edited))
            .expect("page")
            .contains("修订："),
        "the new title is on the page"
    );
    gongkai::build(&options(root, Some(clean.clone()))).expect("clean build");
    assert_same_tree("after one edit", &out, &clean);
    let notices: Vec<PathBuf> = fs::read_dir(out.join("notices"))
        .expect("notices")
        .map(|e| e.expect("entry").path().join("index.html"))
        .filter(|p| p.is_file())
        .collect();
    let kept = notices.iter().filter(|p| {
        let relative = p.strip_prefix(&out).expect("under out");
        before.get(relative).is_some_and(|&ino| ino == inode(p))
    });
    assert!(
        kept.count() + 3 >= notices.len(),
        "only the edited notice and the two that link it are rewritten"
    );
}

#[cfg(unix)]
#[test]
fn a_file_changed_in_the_output_by_hand_is_rendered_again_not_kept() {
    let (site, out, clean, _) = built_with_cache();
    let root = site.path();
    let page = out.join("notices/k12498411-2014-00065/index.html");
    // A second later, so the edit is newer than the cache on any file system clock.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    fs::write(&page, "defaced").expect("edit the output");
    gongkai::build(&cached(root, &out)).expect("cached build");
    gongkai::build(&options(root, Some(clean.clone()))).expect("clean build");
    assert_same_tree("after a hand edit of the output", &out, &clean);
}

#[cfg(unix)]
#[test]
fn options_and_other_builds_invalidate_the_cache() {
    let (site, out, clean, _) = built_with_cache();
    let root = site.path();
    // Another option: every page again, with its twins.
    let mut twins = cached(root, &out);
    twins.precompress = true;
    assert_eq!(gongkai::build(&twins).expect("precompressed").reused, 0);
    let mut clean_twins = options(root, Some(clean.clone()));
    clean_twins.precompress = true;
    gongkai::build(&clean_twins).expect("clean precompressed");
    assert_same_tree("precompressed", &out, &clean);
    // The same options again: reused, twins included.
    retitle(
        root,
        "content/notices/2014/lyg-ip-liaison-rules.md",
        "再改：",
    );
    assert!(gongkai::build(&twins).expect("again").reused > 0);
    gongkai::build(&clean_twins).expect("clean again");
    assert_same_tree("precompressed, after an edit", &out, &clean);
    // A build without the cache swaps in a folder the cache does not describe.
    gongkai::build(&options(root, Some(out.clone()))).expect("uncached build");
    assert_eq!(
        gongkai::build(&cached(root, &out)).expect("cached").reused,
        0
    );
}

#[cfg(unix)]
#[test]
fn a_cache_folder_gongkai_did_not_make_is_left_alone() {
    let site = example_copy();
    let root = site.path();
    let theirs = root.join(".gongkai-cache");
    fs::create_dir_all(&theirs).expect("mkdir");
    fs::write(theirs.join("notes.txt"), "mine").expect("write");
    let report = gongkai::build(&cached(root, &root.join("public"))).expect("builds anyway");
    assert!(
        report
            .warnings
            .iter()
            .any(|d| d.to_string().contains("cache")),
        "a warning says the cache was not saved: {:?}",
        report.warnings
    );
    let names: Vec<_> = fs::read_dir(&theirs)
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("notes.txt")]);
}
