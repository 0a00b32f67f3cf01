//! Exact matching end to end: a small site is built, and the real client
//! (`search/gongkai-search.js` of the built site, in Node) must return as exact only the
//! documents holding a query's runs contiguously within one field — not one holding the
//! pairs apart, nor one whose phrase only forms across the end of its title and the start
//! of its body — and give those as scattered matches, after the exact ones, when asked.

mod common;

use std::process::Command;

use common::TestSite;
use serde_json::Value;

/// Runs each query with `scattered: true` and gives, per query, `{total, scattered,
/// results: [[url, exact], …]}`.
const SCRIPT: &str = r#"
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
const site = process.env.SITE;
const { createSearch } = await import(pathToFileURL(site + "/search/gongkai-search.js").href);
const fetch = async (url) => {
  try {
    return new Response(await readFile(fileURLToPath(new URL(url))), { status: 200 });
  } catch {
    return new Response("not found", { status: 404 });
  }
};
const out = {};
for (const q of JSON.parse(process.env.QUERIES)) {
  const search = createSearch({ base: pathToFileURL(site + "/").href, fetch });
  const a = await search.search(q, { limit: 100, facets: false, scattered: true });
  const plain = await search.search(q, { limit: 100, facets: false });
  out[q] = {
    total: a.total,
    scattered: a.scattered,
    results: a.results.map((r) => [r.url, r.exact, r.score]),
    plain: plain.results.map((r) => r.url),
  };
}
console.log(JSON.stringify(out));
"#;

fn notice(site: &TestSite, n: u32, title: &str, doc_no: Option<&str>, body: &str) {
    let doc_no = doc_no.map(|d| format!("doc_no: {d}\n")).unwrap_or_default();
    let front = format!(
        "index_no: k12498411/2014-{n:05}\ntitle: {title}\nissuer: lyg-kjj\n{doc_no}date: 2014-05-{:02}\n",
        n + 1
    );
    site.notice(&format!("2014/n{n}"), &front, body);
}

fn url(n: u32) -> String {
    format!("notices/k12498411-2014-{n:05}/")
}

fn search(site: &TestSite, queries: &[&str]) -> Value {
    site.build("2024-12-31")
        .unwrap_or_else(|e| panic!("the test site must build:\n{e}"));
    let output = Command::new("node")
        .args(["--input-type=module", "-e", SCRIPT])
        .env("SITE", site.out())
        .env(
            "QUERIES",
            serde_json::to_string(queries).expect("queries as JSON"),
        )
        .output()
        .expect("node must be installed to test the search client (Node 20+)");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("the script prints JSON")
}

/// `(url, exact)` of every result of `query`, in order.
fn results(answer: &Value, query: &str) -> Vec<(String, bool)> {
    answer[query]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r[0].as_str().unwrap_or_default().to_string(),
                r[1].as_bool().unwrap_or(true),
            )
        })
        .collect()
}

#[test]
fn exact_runs_scattered_pairs_and_field_boundaries() {
    let site = TestSite::new();
    // 1: the phrase in the title, the 文号 in the code field.
    notice(
        &site,
        1,
        "关于加强食品安全监管的通知",
        Some("连政办发〔2014〕11号"),
        "正文。\n",
    );
    // 2: every pair of 食品安全 (食品, 品安, 安全) and of 〔2014〕11号, never the runs.
    notice(
        &site,
        2,
        "关于产品检验的通知",
        Some("连政办发〔2014〕67号"),
        "食品检验和安全生产，产品安置。参照〔2013〕11号文件。\n",
    );
    // 3: 食品 ends the title and 安全 starts the body: the phrase only across fields.
    notice(
        &site,
        3,
        "关于进一步规范食品",
        None,
        "安全工作的通知。产品安置。\n",
    );
    // 4: both in the body, contiguous.
    notice(
        &site,
        4,
        "关于转发文件的通知",
        None,
        "根据连政办发〔2014〕11号文件精神，加强食品安全工作。\n",
    );
    let answer = search(
        &site,
        &[
            "食品安全",
            "〔2014〕11号",
            "品安全",
            "连政办发〔2014〕11号",
            "食品",
        ],
    );

    let phrase = results(&answer, "食品安全");
    assert_eq!(answer["食品安全"]["total"], 2, "{answer}");
    assert_eq!(
        phrase[..2],
        [(url(1), true), (url(4), true)],
        "title match first, then the body match: {answer}"
    );
    let scattered: Vec<&(String, bool)> = phrase[2..].iter().collect();
    assert_eq!(scattered.len(), 2, "{answer}");
    assert!(scattered.iter().all(|(_, exact)| !exact));
    let mut loose: Vec<&str> = scattered.iter().map(|(u, _)| u.as_str()).collect();
    loose.sort();
    assert_eq!(loose, [url(2), url(3)]);
    // Without asking, only the exact ones.
    assert_eq!(
        answer["食品安全"]["plain"],
        serde_json::json!([url(1), url(4)])
    );

    // A 文号 run: only where it stands contiguously (the code field of 1, the body of 4),
    // not 2, whose 文号 holds 〔2014〕 and whose body holds 〕11号.
    let code = results(&answer, "〔2014〕11号");
    assert_eq!(answer["〔2014〕11号"]["total"], 2, "{answer}");
    assert_eq!(code[..2], [(url(1), true), (url(4), true)], "{answer}");
    assert_eq!(code[2..], [(url(2), false)], "{answer}");

    // Across the title's end and the body's start: 品安全 is in no field of 3 (品安 only in
    // its body's 产品安置), so it is no exact match there; 4 holds it in its body.
    let cross = results(&answer, "品安全");
    assert!(cross.contains(&(url(4), true)), "{answer}");
    assert!(!cross.contains(&(url(3), true)), "{answer}");

    // The whole 文号: its notice first, an exact code match.
    let whole = &answer["连政办发〔2014〕11号"]["results"][0];
    assert_eq!(whole[0], serde_json::json!(url(1)));
    assert!(whole[2].as_u64().unwrap_or(0) >= 1000, "{answer}");

    // A two-character query is its own pair: nothing is scattered.
    assert_eq!(answer["食品"]["scattered"], Value::Null, "{answer}");
    assert!(results(&answer, "食品").iter().all(|(_, exact)| *exact));
}
