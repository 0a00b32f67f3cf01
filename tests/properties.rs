//! Property tests of the search's invariants (docs/fuzzing.md, "Property tests"):
//!
//! - folding traditional → simplified is idempotent, and the browser's twin
//!   (`gongkai-search.js`, run in Node) folds and tokenizes every text exactly as Rust does;
//! - every substring of two or more characters of an indexed title is found: on the Rust
//!   side (the client's query terms are all index terms of the title) and end to end (the
//!   real client in Node, searching the real index of a generated site);
//! - a 索引号 that is accepted gives a safe folder name, and two notices never share one
//!   (the site is refused instead).
//!
//! The Node tests need `node` on the PATH. Without it they are skipped with a message,
//! except where `GONGKAI_REQUIRE_BROWSER=1` (CI) or `CI` is set: there they fail.

mod common;

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use gongkai::search::fold::{T2S_PAIRS, fold, fold_char};
use gongkai::search::tokenize::{Unit, code_term, index_terms, is_han, is_mark, query_terms, runs};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Generators

/// Every character of the traditional → simplified table, both sides.
fn table_chars() -> Vec<char> {
    T2S_PAIRS.trim_end().chars().collect()
}

/// Simplified Chinese of the example site's notices.
const COMMON_HAN: &str =
    "知识产权联席会议工作制度通知市政府办公室关于印发连云港科技局年号文件成员单位领导小组示范城市";

/// Characters a title of a notice may hold: mostly Han (simplified and traditional, CJK
/// extension A/B, compatibility ideographs), ASCII and full-width letters and digits, and
/// the separators of real titles (spaces, CJK punctuation, brackets).
fn title_char() -> impl Strategy<Value = char> {
    let table = table_chars();
    let common: Vec<char> = COMMON_HAN.chars().collect();
    prop_oneof![
        6 => proptest::sample::select(common),
        4 => proptest::sample::select(table),
        1 => proptest::sample::select(vec!['㐀', '䶵', '𠀀', '𠀁', '𪚥', '豈', '鶴', '薴', '苧', '苎']),
        3 => proptest::sample::select(
            "abcxyzABCXYZ0123456789".chars().collect::<Vec<_>>()
        ),
        1 => (0xFF01u32..=0xFF5E).prop_map(|c| char::from_u32(c).unwrap_or('Ａ')),
        2 => proptest::sample::select(vec![
            ' ', '\u{3000}', '，', '。', '、', '（', '）', '〔', '〕', '[', ']', '-', '/', '·', '：',
            '《', '》', '"', '\'', '&', '<',
        ]),
    ]
}

/// Any text: title characters and any Unicode scalar value at all.
fn any_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![4 => title_char(), 1 => any::<char>()], 0..24)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A notice title: at least two characters once trimmed, as the notice parser keeps it.
fn title() -> impl Strategy<Value = String> {
    proptest::collection::vec(title_char(), 2..20)
        .prop_map(|chars| chars.into_iter().collect::<String>().trim().to_string())
        .prop_filter("two characters at least", |t| t.chars().count() >= 2)
}

// ---------------------------------------------------------------------------------------
// Folding

proptest! {
    #![proptest_config(Config { cases: 512, ..Config::default() })]

    /// Folding twice is folding once: the client folds a query that may already be folded
    /// (the search page folds the whole query, then each word again), and the index folds
    /// each text once.
    #[test]
    fn fold_is_idempotent(text in any_text()) {
        let once = fold(&text);
        prop_assert_eq!(fold(&once), once.clone());
        prop_assert_eq!(once.chars().count(), text.chars().count());
    }
}

/// The same for every character the table knows, exhaustively (3,751 pairs).
#[test]
fn every_table_character_folds_to_a_fixed_point() {
    let chained: Vec<String> = table_chars()
        .into_iter()
        .filter(|&c| fold_char(fold_char(c)) != fold_char(c))
        .map(|c| format!("{c} → {} → {}", fold_char(c), fold_char(fold_char(c))))
        .collect();
    assert!(chained.is_empty(), "fold is not idempotent: {chained:?}");
}

// ---------------------------------------------------------------------------------------
// The client's twin, in Node

/// The driver run in Node: one JSON request a line on stdin, one JSON answer a line on
/// stdout. `tokenize` gives the client's fold, runs, index terms, query terms and code
/// term of each text; `search` runs queries against a built index and gives every query
/// whose expected URL is not among its results.
const DRIVER: &str = r#"
import { createInterface } from "node:readline";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
const client = await import(pathToFileURL(process.env.GONGKAI_CLIENT).href);
async function diskFetch(url) {
  try {
    return new Response(await readFile(fileURLToPath(new URL(url))), { status: 200 });
  } catch {
    return new Response("not found", { status: 404 });
  }
}
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const request = JSON.parse(line);
  let answer;
  if (request.op === "tokenize") {
    answer = request.texts.map((text) => ({
      fold: client.fold(text, request.pairs),
      runs: client.tokenize(text, request.pairs),
      index: client.indexTerms(text, request.pairs),
      query: client.queryTerms(text, request.pairs),
      code: client.codeTerm(text, request.pairs),
    }));
  } else {
    const search = client.createSearch({ base: request.base, fetch: diskFetch });
    answer = [];
    for (const [query, url] of request.queries) {
      const { results } = await search.search(query, { limit: 10000, facets: false });
      if (!results.some((r) => r.url === url)) answer.push([query, url, results.map((r) => r.url)]);
    }
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
}
"#;

/// A running Node with the driver loaded.
struct Node {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Node {
    /// Starts Node, or `None` (after saying so) when it is missing outside CI.
    fn start() -> Option<Node> {
        let required = std::env::var("GONGKAI_REQUIRE_BROWSER").as_deref() == Ok("1")
            || std::env::var_os("CI").is_some();
        let client = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/default/static/search/gongkai-search.js");
        let spawned = Command::new("node")
            .args(["--input-type=module", "-e", DRIVER])
            .env("GONGKAI_CLIENT", client)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        match spawned {
            Ok(mut child) => {
                let stdin = child.stdin.take().expect("node stdin");
                let stdout = BufReader::new(child.stdout.take().expect("node stdout"));
                Some(Node {
                    child,
                    stdin,
                    stdout,
                })
            }
            Err(e) if !required => {
                eprintln!(
                    "SKIPPED: cannot run node ({e}); the JS twin is not compared. \
                     Set GONGKAI_REQUIRE_BROWSER=1 to make this a failure (CI does)."
                );
                None
            }
            Err(e) => panic!("node is required (GONGKAI_REQUIRE_BROWSER=1 or CI): {e}"),
        }
    }

    fn ask(&mut self, request: &Value) -> Value {
        writeln!(self.stdin, "{request}").expect("write to node");
        self.stdin.flush().expect("flush node");
        let mut line = String::new();
        self.stdout.read_line(&mut line).expect("read from node");
        assert!(!line.is_empty(), "node exited: see its stderr above");
        serde_json::from_str(&line).expect("node answers JSON")
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `test` on `cases` generated values, handing each the one Node process.
fn run_with_node<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(&mut Node, S::Value) -> Result<(), TestCaseError>,
) where
    S::Value: std::fmt::Debug,
{
    let Some(node) = Node::start() else {
        return;
    };
    let node = RefCell::new(node);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    if let Err(e) = runner.run(&strategy, |value| test(&mut node.borrow_mut(), value)) {
        panic!("{e}");
    }
}

fn unit_text(unit: &Unit) -> String {
    match unit {
        Unit::Han(c) => c.to_string(),
        Unit::Word(w) => w.clone(),
    }
}

/// What the client's `codeTerm` gives: the index's code term, when it has 4 characters
/// or more and a digit (shorter codes are not looked up as codes).
fn client_code_term(text: &str) -> Option<String> {
    code_term(text)
        .filter(|term| term.chars().count() > 4 && term.chars().any(|c| c.is_ascii_digit()))
}

/// The browser folds and tokenizes every text as the index does: fold, runs, index
/// terms, query terms and the code term, compared on batches of generated texts.
#[test]
fn the_client_tokenizer_is_the_twin_of_rust() {
    run_with_node(
        24,
        proptest::collection::vec(any_text(), 1..48),
        |node, texts| {
            let answer = node.ask(&json!({ "op": "tokenize", "texts": texts, "pairs": T2S_PAIRS }));
            for (text, js) in texts.iter().zip(answer.as_array().expect("array")) {
                let runs: Vec<Vec<String>> = runs(text)
                    .iter()
                    .map(|run| run.iter().map(unit_text).collect())
                    .collect();
                let mut index = Vec::new();
                index_terms(text, |t| index.push(t.text()));
                let rust = json!({
                    "fold": fold(text),
                    "runs": runs,
                    "index": index,
                    "query": query_terms(text),
                    "code": client_code_term(text),
                });
                prop_assert_eq!(&rust, js, "text {:?}", text);
            }
            Ok(())
        },
    );
}

// ---------------------------------------------------------------------------------------
// Every substring of a title is found

/// The substrings of `title` (as character ranges) that search promises to find: two
/// characters or more, holding at least one unit (a Han character or a letter or digit),
/// and not starting inside a word. A word is indexed by its prefixes, so a query may end
/// inside a word only where that word stands alone in its run of the query (`k1249` of
/// `k12498411`); a pair with a cut word (`知ab` of `知abc`) is not a term of the title.
fn findable_substrings(title: &str) -> Vec<String> {
    let chars: Vec<char> = title.chars().collect();
    let folded: Vec<char> = chars.iter().map(|&c| fold_char(c)).collect();
    let word = |i: usize| folded[i].is_ascii_alphanumeric();
    // `at_boundary(i)`: position i (between characters i-1 and i) does not cut a word.
    let at_boundary = |i: usize| i == 0 || i == chars.len() || !(word(i - 1) && word(i));
    let mut out = Vec::new();
    for start in 0..chars.len() {
        if !at_boundary(start) {
            continue;
        }
        for end in start + 2..=chars.len() {
            let text: String = chars[start..end].iter().collect();
            let query_runs = runs(&text);
            let Some(last_run) = query_runs.last() else {
                continue; // separators only
            };
            // 文号 brackets are units of a run but no term alone: a substring of brackets
            // and separators only is no query.
            if query_runs
                .iter()
                .flatten()
                .all(|u| matches!(u, Unit::Han(c) if is_mark(*c)))
            {
                continue;
            }
            let ends_alone_in_word = matches!(last_run.as_slice(), [Unit::Word(_)]);
            if at_boundary(end) || ends_alone_in_word {
                out.push(text);
            }
        }
    }
    out
}

/// The terms the client looks up for a query: each whitespace-separated word's query
/// terms (the page splits on whitespace first; whitespace is a separator anyway).
fn client_query_terms(query: &str) -> Vec<String> {
    fold(query)
        .split_whitespace()
        .flat_map(query_terms)
        .collect()
}

proptest! {
    #![proptest_config(Config { cases: 256, ..Config::default() })]

    /// Every query term of every findable substring of a title is one of the title's
    /// index terms (the index indexes the title field with exactly `index_terms`).
    #[test]
    fn every_title_substring_has_all_its_terms_indexed(title in title()) {
        let mut indexed = HashSet::new();
        index_terms(&title, |t| {
            indexed.insert(t.text());
        });
        for query in findable_substrings(&title) {
            let terms = client_query_terms(&query);
            prop_assert!(!terms.is_empty(), "{:?} of {:?} has no terms", query, title);
            for term in terms {
                prop_assert!(
                    indexed.contains(&term),
                    "term {:?} of substring {:?} of title {:?} is not indexed",
                    term, query, title
                );
            }
        }
    }
}

/// End to end: a generated site of a few notices is checked, its real search index is
/// built and written, and the real client, in Node, must find each notice by a sample of
/// the findable substrings of its title (up to 16 a title, always the first and last).
#[test]
fn the_client_finds_every_title_substring_in_a_built_index() {
    run_with_node(
        12,
        (
            proptest::collection::vec(title(), 1..5),
            any::<proptest::sample::Index>(),
        ),
        |node, (titles, pick)| {
            let site = common::TestSite::new();
            for (i, title) in titles.iter().enumerate() {
                let front = format!(
                    "index_no: k12498411/2014-{:05}\ntitle: {}\nissuer: lyg-kjj\ndate: 2014-05-07\n",
                    i + 1,
                    serde_json::to_string(title).expect("json")
                );
                site.notice(&format!("2014/n{i}"), &front, "正文\n");
            }
            let (checked, _) = gongkai::check(&site.options("2024-12-31"))
                .unwrap_or_else(|e| panic!("generated site must pass check:\n{e}"));
            let (files, _) = gongkai::search::index::build(&checked);
            let out = site.root().join("public");
            for file in &files {
                let path = out.join(&file.path);
                std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
                std::fs::write(path, &file.bytes).expect("write index file");
            }
            let mut queries = Vec::new();
            for (i, title) in titles.iter().enumerate() {
                let url = format!("notices/k12498411-2014-{:05}/", i + 1);
                let all = findable_substrings(title);
                let step = all.len().div_ceil(16).max(1);
                let offset = pick.index(step);
                let mut sample: Vec<&String> = all.iter().skip(offset).step_by(step).collect();
                sample.extend(all.first());
                sample.extend(all.last());
                sample.sort();
                sample.dedup();
                for q in sample {
                    queries.push(json!([q, url]));
                }
            }
            let base = format!("file://{}/", out.display());
            let missing = node.ask(&json!({ "op": "search", "base": base, "queries": queries }));
            prop_assert_eq!(
                missing.as_array().map(Vec::len),
                Some(0),
                "not found (query, url, results): {} in titles {:?}",
                missing,
                titles
            );
            Ok(())
        },
    );
}

/// The generators make what the properties need: Han and words, separators, traditional.
#[test]
fn findable_substrings_follow_the_documented_rule() {
    let found = findable_substrings("知abc 识");
    for q in ["知abc", "知abc ", "abc 识", "知abc 识", " 识", "ab", "abc"] {
        assert!(found.contains(&q.to_string()), "{q:?} must be findable");
    }
    // A pair with a cut word, a query starting inside a word, separators alone.
    for q in ["知a", "知ab", "bc", "c 识", "c ", " "] {
        assert!(!found.contains(&q.to_string()), "{q:?} is not promised");
    }
    assert!(is_han('薴'));
}

// ---------------------------------------------------------------------------------------
// 索引号 → page folder

/// 索引号 as publishers write them and as a careless or hostile one might: a small
/// alphabet (so that two of them often share a folder), slashes, dots, brackets, Han,
/// device names.
fn index_no() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9./_〔〕号-]{1,12}",
        "(con|CON|nul|aux|com1|lpt9)(\\.[a-z]{1,3})?",
        "[kK]1[/-]20(14|15)[/-]0000[1-3]",
        "\\.{1,3}",
    ]
}

/// Whether `slug` is a folder name every file system and web server takes as it is.
fn is_safe_folder(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 150
        && slug
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && !slug.starts_with('.')
        && !slug.ends_with('.')
        && !gongkai::content::ids::is_reserved_on_windows(slug)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Whatever is written, a 索引号 that is accepted gives a safe folder name.
    #[test]
    fn an_accepted_index_no_gives_a_safe_folder(text in index_no()) {
        if let Ok(no) = gongkai::content::notice::IndexNo::parse(&text) {
            prop_assert!(is_safe_folder(&no.slug()), "{text:?} → {:?}", no.slug());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Two notices either get two folders (different even ignoring case) or the site is
    /// refused: a notice is never written over another.
    #[test]
    fn two_notices_never_share_a_folder(a in index_no(), b in index_no()) {
        let site = common::TestSite::new();
        site.write("content/site.yaml", "title: 测试站点\n");
        for (name, no) in [("a", &a), ("b", &b)] {
            site.notice(
                &format!("2014/{name}"),
                &format!("index_no: {}\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n",
                    serde_json::to_string(no).expect("json")),
                "",
            );
        }
        if let Ok((checked, _)) = gongkai::check(&site.options("2024-12-31")) {
            let folders: HashSet<String> =
                checked.notices.iter().map(|n| n.index_no.value.slug().to_lowercase()).collect();
            prop_assert_eq!(folders.len(), 2, "{:?} and {:?} share a folder", a, b);
        }
    }
}
