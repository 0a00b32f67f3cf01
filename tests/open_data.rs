//! Open data as a harvester and a spreadsheet user meet it: the JSON files validate against
//! the committed schemas of `schemas/open-data/`, the CSV twins round-trip through a CSV
//! parser (BOM, RFC 4180 quoting, Chinese headers), and `/data/` lists every file with
//! its real size and is linked from every page's footer.

mod common;

use std::fs;
use std::path::Path;

use common::{TestSite, built_example_site, read_page};
use scraper::Selector;
use serde_json::Value;

const FILES: [&str; 4] = ["notices", "units", "bodies", "progress"];

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schemas/open-data")
        .join(format!("{name}.schema.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn json(out: &Path, name: &str) -> Value {
    let text = fs::read_to_string(out.join(format!("data/{name}.json"))).expect("read");
    serde_json::from_str(&text).expect("JSON")
}

fn errors(name: &str, instance: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema(name))
        .unwrap_or_else(|e| panic!("{name}: the schema does not compile: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// Reads a CSV the way a spreadsheet program does: BOM first, then RFC 4180 records.
fn csv_rows(out: &Path, name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(out.join(format!("data/{name}.csv"))).expect("read");
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "{name}.csv starts with the UTF-8 BOM"
    );
    let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("a CSV record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[test]
fn the_json_files_validate_against_the_documented_schemas() {
    let out = built_example_site();
    for name in FILES {
        let file = json(out, name);
        assert_eq!(file["version"], "1.0", "{name}");
        assert_eq!(file["license"], "CC-BY-4.0", "{name}: site.yaml's license");
        assert!(file["as_of"].is_string(), "{name}");
        let errors = errors(name, &file);
        assert!(errors.is_empty(), "data/{name}.json: {errors:#?}");
    }
    // The schemas can fail: a record missing a field, or a field of the wrong type.
    let mut notices = json(out, "notices");
    notices["notices"][0]
        .as_object_mut()
        .expect("a record")
        .remove("title");
    assert!(!errors("notices", &notices).is_empty());
    let mut progress = json(out, "progress");
    progress["plans"][0]["categories"][0]["tasks"][0]["percent"] = Value::from("half");
    assert!(!errors("progress", &progress).is_empty());
}

#[test]
fn the_csv_files_round_trip_and_match_the_json() {
    let out = built_example_site();
    let (header, rows) = csv_rows(out, "notices");
    assert_eq!(header[0], "索引号");
    assert_eq!(header[1], "标题");
    let notices = json(out, "notices");
    let records = notices["notices"].as_array().expect("notices");
    assert_eq!(rows.len(), records.len(), "one row per notice");
    for (row, record) in rows.iter().zip(records) {
        assert_eq!(row.len(), header.len());
        assert_eq!(row[0], record["index_no"].as_str().expect("index_no"));
        assert_eq!(row[1], record["title"].as_str().expect("title"));
        assert_eq!(row[header.len() - 1], record["url"].as_str().expect("url"));
    }

    let (header, rows) = csv_rows(out, "tasks");
    for column in [
        "类号",
        "项目分类",
        "工作内容",
        "负责单位",
        "参与单位",
        "工作进度",
        "完成时限",
    ] {
        assert!(header.iter().any(|h| h == column), "tasks.csv has {column}");
    }
    let progress = json(out, "progress");
    let mut leaves = 0;
    let mut contents = Vec::new();
    for plan in progress["plans"].as_array().expect("plans") {
        for category in plan["categories"].as_array().expect("categories") {
            for task in category["tasks"].as_array().expect("tasks") {
                leaves += 1 + task["targets"].as_array().expect("targets").len();
                contents.push(task["content"].as_str().expect("content").to_string());
            }
        }
    }
    assert!(leaves > 10);
    assert_eq!(rows.len(), leaves, "one row per task and per target");
    let content = header.iter().position(|h| h == "工作内容").expect("column");
    let mut seen: Vec<String> = rows.iter().map(|r| r[content].clone()).collect();
    seen.dedup();
    assert_eq!(seen, contents);
}

#[test]
fn csv_quoting_survives_commas_quotes_and_line_breaks() {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &format!("{}license: 开放许可，署名\n", common::SITE_YAML),
    );
    site.notice(
        "2024/q",
        "index_no: k12498411/2024-00001\ntitle: 关于\"引号\",逗号的通知\nissuer: [lyg-gov, lyg-kjj]\ndate: 2024-03-01\nsummary: \"第一行，\\n第二行, \\\"引\\\"\"\n",
        "正文。\n",
    );
    site.build("2024-12-31").expect("builds");
    let (header, rows) = csv_rows(&site.out(), "notices");
    assert_eq!(rows.len(), 1);
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(rows[0][col("标题")], "关于\"引号\",逗号的通知");
    assert_eq!(rows[0][col("摘要")], "第一行，\n第二行, \"引\"");
    assert_eq!(rows[0][col("发布机构标识")], "lyg-gov；lyg-kjj");
    let notices = json(&site.out(), "notices");
    assert_eq!(notices["license"], "开放许可，署名");
    assert!(errors("notices", &notices).is_empty());
}

#[test]
fn the_data_page_lists_every_file_with_its_size_and_is_in_the_footer() {
    let out = built_example_site();
    let page = read_page(out, "data/");
    let sections = Selector::parse("section.data-file").expect("selector");
    let link = Selector::parse("h2 a").expect("selector");
    let size = Selector::parse("data").expect("selector");
    let field = Selector::parse("td code").expect("selector");
    let mut listed = Vec::new();
    for section in page.select(&sections) {
        let href = section
            .select(&link)
            .next()
            .and_then(|a| a.value().attr("href"))
            .expect("a link to the file");
        let bytes = fs::metadata(out.join("data").join(href))
            .unwrap_or_else(|e| panic!("{href}: {e}"))
            .len();
        let shown = section
            .select(&size)
            .next()
            .and_then(|d| d.value().attr("value"))
            .expect("a size");
        assert_eq!(
            shown,
            bytes.to_string(),
            "{href}: the size shown is the file's"
        );
        let fields: Vec<String> = section.select(&field).map(|c| c.inner_html()).collect();
        assert!(fields.len() > 5, "{href} lists its fields: {fields:?}");
        listed.push(href.to_string());
    }
    for file in [
        "notices.json",
        "notices.csv",
        "units.json",
        "bodies.json",
        "progress.json",
        "tasks.csv",
    ] {
        assert!(listed.iter().any(|l| l == file), "/data/ lists {file}");
    }
    let text = page.root_element().text().collect::<String>();
    assert!(text.contains("CC-BY-4.0"), "the licence is shown");

    let home = read_page(out, "");
    let footer = Selector::parse("footer a").expect("selector");
    let hrefs: Vec<&str> = home
        .select(&footer)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(hrefs.contains(&"data/index.html"), "{hrefs:?}");
    assert!(hrefs.contains(&"feed.xml"), "订阅 in the footer: {hrefs:?}");
    let notice = read_page(out, "notices/");
    assert!(
        notice
            .select(&footer)
            .any(|a| a.value().attr("href") == Some("../data/index.html"))
    );
}
