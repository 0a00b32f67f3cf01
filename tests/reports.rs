//! The annual report's tables on a fixture site (tests/fixtures/report-site) whose every
//! cell was counted by hand from its files (the comments below say from which): the typed
//! tables, their CSV and JSON, the whole report's CSV, and `gongkai report`.
//!
//! The expected numbers are literals; nothing here is computed by the code under test.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use gongkai::content::application::Outcome;
use gongkai::content::year_report::ReportYear;
use gongkai::duties::report::{
    ActiveColumn, ActiveRow, CaseColumn, CaseRow, RequestColumn, RequestRow, Tables,
};

fn fixture() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/report-site"
    ))
}

fn year() -> ReportYear {
    ReportYear::parse("2024").expect("year")
}

fn tables() -> Tables {
    let (site, warnings) = gongkai::check(&gongkai::BuildOptions::new(fixture()))
        .unwrap_or_else(|e| panic!("the fixture fails check:\n{e}"));
    assert_eq!(warnings.iter().count(), 0, "{warnings}");
    gongkai::duties::report::for_year(&site, year()).expect("2024 has a year file")
}

/// 表二 by hand. 规章: n1 (2020, in force), n2 (2024-05-10): 制发 1, 废止 0, 现行有效 2.
/// 行政规范性文件: n3 (2024, valid to 2026) 制发; n4 repealed_on 2024-08-15, n5 valid_until
/// 2024-06-30, n7 valid_until 2024-12-31: 废止 3; in force n3 and n8 (2018): 2. n6 has no
/// category. The rest is the year file.
const ACTIVE: [(&str, &str, &str); 12] = [
    ("规章", "本年制发件数", "1"),
    ("规章", "本年废止件数", "0"),
    ("规章", "现行有效件数", "2"),
    ("行政规范性文件", "本年制发件数", "1"),
    ("行政规范性文件", "本年废止件数", "3"),
    ("行政规范性文件", "现行有效件数", "2"),
    ("行政许可", "本年处理决定数量", "7"),
    ("行政处罚", "本年处理决定数量", "2"),
    ("行政强制", "本年处理决定数量", "1"),
    ("行政事业性收费", "本年收费金额（单位：万元）", "0.35"),
    // Two cells the template does not have: empty in the CSV.
    ("行政许可", "本年制发件数", ""),
    ("行政事业性收费", "本年处理决定数量", ""),
];

/// The columns of 表三 as the CSV heads them.
const REQUEST_COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];

/// 表三 by hand, row by row, columns as [`REQUEST_COLUMNS`]:
/// received in 2024: natural_person 2024-001, -002, -007, -009; business -008; research
/// -003; public_interest -004; legal_service -005, -010; other -006. Carried in: 2023-002
/// (business, received 2023-12-18, answered 2024-01-12). Answered in 2024: 2023-002
/// partial; -001 disclosed; -002 unavailable/unclear (after its 补正); -003 withheld/process;
/// -004 not_processed/repeated; -005 withheld/third_party; -006 other/no_correction; -007
/// unavailable/not_held; -008 disclosed. Carried over: -009 (answered 2025-01-10) and -010
/// (open). 2023-001 (answered in 2023) and 2025-001 count nowhere.
const REQUESTS: [(&str, [u64; 7]); 25] = [
    ("一、本年新收政府信息公开申请数量", [4, 1, 1, 1, 2, 1, 10]),
    ("二、上年结转政府信息公开申请数量", [0, 1, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [1, 1, 0, 0, 0, 0, 2]),
    (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        [0, 1, 0, 0, 0, 0, 1],
    ),
    ("1.属于国家秘密", [0, 0, 0, 0, 0, 0, 0]),
    ("2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0, 0]),
    ("3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("4.保护第三方合法权益", [0, 0, 0, 0, 1, 0, 1]),
    ("5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0, 0]),
    ("6.属于四类过程性信息", [0, 0, 1, 0, 0, 0, 1]),
    ("7.属于行政执法案卷", [0, 0, 0, 0, 0, 0, 0]),
    ("8.属于行政查询事项", [0, 0, 0, 0, 0, 0, 0]),
    ("1.本机关不掌握相关政府信息", [1, 0, 0, 0, 0, 0, 1]),
    ("2.没有现成信息需要另行制作", [0, 0, 0, 0, 0, 0, 0]),
    ("3.补正后申请内容仍不明确", [1, 0, 0, 0, 0, 0, 1]),
    ("1.信访举报投诉类申请", [0, 0, 0, 0, 0, 0, 0]),
    ("2.重复申请", [0, 0, 0, 1, 0, 0, 1]),
    ("3.要求提供公开出版物", [0, 0, 0, 0, 0, 0, 0]),
    ("4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0, 0]),
    (
        "5.要求行政机关确认或重新出具已获取信息",
        [0, 0, 0, 0, 0, 0, 0],
    ),
    (
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [0, 0, 0, 0, 0, 1, 1],
    ),
    (
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [0, 0, 0, 0, 0, 0, 0],
    ),
    ("3.其他", [0, 0, 0, 0, 0, 0, 0]),
    ("（七）总计", [3, 2, 1, 1, 1, 1, 9]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 1, 0, 2]),
];

/// 表四 by hand from the year file: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.
const CASES: [(&str, [u64; 5]); 3] = [
    ("行政复议", [1, 1, 0, 1, 3]),
    ("未经复议直接起诉", [0, 0, 1, 0, 1]),
    ("复议后起诉", [1, 0, 0, 0, 1]),
];

const CASE_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

#[test]
fn the_typed_tables_are_the_hand_counts() {
    let t = tables();
    let a = &t.active;
    assert_eq!(
        (a.rules.issued, a.rules.repealed, a.rules.in_force),
        (1, 0, 2)
    );
    assert_eq!(
        (
            a.normative.issued,
            a.normative.repealed,
            a.normative.in_force
        ),
        (1, 3, 2)
    );
    assert_eq!(
        (a.permits, a.penalties, a.coercions, a.fees),
        (7, 2, 1, 0.35)
    );
    assert_eq!(
        a.cell(ActiveRow::Permits, ActiveColumn::Issued),
        None,
        "no such cell in the template"
    );

    use RequestColumn as C;
    use RequestRow as R;
    let columns = [
        C::NaturalPerson,
        C::Business,
        C::Research,
        C::PublicInterest,
        C::LegalService,
        C::Other,
        C::Total,
    ];
    let rows = [
        R::Received,
        R::CarriedIn,
        R::Result(Outcome::Disclosed),
        R::Result(Outcome::Partial),
        R::Result(Outcome::WithheldStateSecret),
        R::Result(Outcome::WithheldLawProhibits),
        R::Result(Outcome::WithheldThreeSafety),
        R::Result(Outcome::WithheldThirdParty),
        R::Result(Outcome::WithheldInternalAffairs),
        R::Result(Outcome::WithheldProcess),
        R::Result(Outcome::WithheldEnforcementFile),
        R::Result(Outcome::WithheldInquiry),
        R::Result(Outcome::UnavailableNotHeld),
        R::Result(Outcome::UnavailableNeedsCreation),
        R::Result(Outcome::UnavailableUnclear),
        R::Result(Outcome::NotProcessedPetition),
        R::Result(Outcome::NotProcessedRepeated),
        R::Result(Outcome::NotProcessedPublication),
        R::Result(Outcome::NotProcessedMassRepeat),
        R::Result(Outcome::NotProcessedConfirm),
        R::Result(Outcome::OtherNoCorrection),
        R::Result(Outcome::OtherNoFee),
        R::Result(Outcome::OtherOther),
        R::ResultsTotal,
        R::CarriedOver,
    ];
    for (row, (label, expected)) in rows.iter().zip(REQUESTS) {
        assert_eq!(row.label(), label);
        let found: Vec<u64> = columns.iter().map(|&c| t.requests.get(*row, c)).collect();
        assert_eq!(found, expected, "{label}");
    }
    assert!(t.requests.balance().is_empty());

    let case_rows = [
        CaseRow::Review,
        CaseRow::SuitDirect,
        CaseRow::SuitAfterReview,
    ];
    let case_columns = [
        CaseColumn::Upheld,
        CaseColumn::Corrected,
        CaseColumn::Other,
        CaseColumn::Pending,
        CaseColumn::Total,
    ];
    for (row, (label, expected)) in case_rows.iter().zip(CASES) {
        let found: Vec<u64> = case_columns.iter().map(|&c| t.cases.get(*row, c)).collect();
        assert_eq!(found, expected, "{label}");
    }
}

/// A CSV as written: UTF-8 with a BOM and CRLF line ends, parsed by the csv crate into
/// (项目, column heading) → cell.
fn read_csv(bytes: &[u8]) -> (Vec<String>, HashMap<(String, String), String>) {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let first_line = body.split_inclusive('\n').next().expect("a line");
    assert!(first_line.ends_with("\r\n"), "CRLF line ends");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("headers")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(headers[..2], ["分组", "项目"]);
    let mut cells = HashMap::new();
    for record in reader.records() {
        let record = record.expect("record");
        for (heading, cell) in headers.iter().zip(record.iter()).skip(2) {
            let key = (record[1].to_string(), heading.clone());
            assert!(cells.insert(key, cell.to_string()).is_none(), "unique rows");
        }
    }
    (headers, cells)
}

#[test]
fn each_table_as_csv() {
    let grids = tables().grids();
    let (_, active) = read_csv(&grids[0].csv().expect("csv"));
    for (row, column, expected) in ACTIVE {
        assert_eq!(
            active[&(row.to_string(), column.to_string())],
            expected,
            "{row} {column}"
        );
    }
    let (headers, requests) = read_csv(&grids[1].csv().expect("csv"));
    assert_eq!(headers[2..], REQUEST_COLUMNS);
    assert_eq!(requests.len(), 25 * 7);
    for (row, values) in REQUESTS {
        for (column, expected) in REQUEST_COLUMNS.iter().zip(values) {
            let key = (row.to_string(), column.to_string());
            assert_eq!(requests[&key], expected.to_string(), "{row} {column}");
        }
    }
    let (headers, cases) = read_csv(&grids[2].csv().expect("csv"));
    assert_eq!(headers[2..], CASE_COLUMNS);
    for (row, values) in CASES {
        for (column, expected) in CASE_COLUMNS.iter().zip(values) {
            let key = (row.to_string(), column.to_string());
            assert_eq!(cases[&key], expected.to_string(), "{row} {column}");
        }
    }
}

#[test]
fn the_groups_of_rows_are_in_the_csv() {
    let grids = tables().grids();
    let text = String::from_utf8(grids[1].csv().expect("csv")).expect("UTF-8");
    assert!(text.contains("\r\n三、本年度办理结果／（三）不予公开,1.属于国家秘密,0,"));
    assert!(text.contains("\r\n,一、本年新收政府信息公开申请数量,4,1,1,1,2,1,10\r\n"));
    let text = String::from_utf8(grids[2].csv().expect("csv")).expect("UTF-8");
    assert!(text.contains("\r\n行政诉讼,复议后起诉,1,0,0,0,1\r\n"));
}

#[test]
fn the_json_has_the_same_cells_by_key() {
    let t = tables();
    let json: serde_json::Value = serde_json::from_slice(&t.json().expect("json")).expect("JSON");
    assert_eq!(json["year"], 2024);
    let tables = json["tables"].as_array().expect("tables");
    let keys: Vec<&str> = tables
        .iter()
        .map(|t| t["table"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(keys, ["active", "requests", "cases"]);
    let row = |table: usize, key: &str| {
        tables[table]["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("row {key}"))
            .clone()
    };
    assert_eq!(
        row(0, "normative_documents")["values"],
        serde_json::json!({"issued": 1, "repealed": 3, "in_force": 2})
    );
    assert_eq!(row(0, "normative_documents")["label"], "行政规范性文件");
    assert_eq!(
        row(0, "fees")["values"],
        serde_json::json!({"fee_amount": 0.35})
    );
    assert_eq!(
        row(0, "permits")["values"],
        serde_json::json!({"decisions": 7})
    );
    let columns: Vec<&str> = tables[1]["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .map(|c| c["label"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(columns, REQUEST_COLUMNS);
    assert_eq!(tables[1]["columns"][1]["group"], "法人或其他组织");
    let expect = |key: &str, values: [u64; 7]| {
        let found = &row(1, key)["values"];
        let names = [
            "natural_person",
            "business",
            "research",
            "public_interest",
            "legal_service",
            "other",
            "total",
        ];
        for (name, value) in names.iter().zip(values) {
            assert_eq!(found[name], value, "{key} {name}");
        }
    };
    expect("received", [4, 1, 1, 1, 2, 1, 10]);
    expect("carried_in", [0, 1, 0, 0, 0, 0, 1]);
    expect("disclosed", [1, 1, 0, 0, 0, 0, 2]);
    expect("partial", [0, 1, 0, 0, 0, 0, 1]);
    expect("withheld/third_party", [0, 0, 0, 0, 1, 0, 1]);
    expect("withheld/process", [0, 0, 1, 0, 0, 0, 1]);
    expect("unavailable/not_held", [1, 0, 0, 0, 0, 0, 1]);
    expect("unavailable/unclear", [1, 0, 0, 0, 0, 0, 1]);
    expect("not_processed/repeated", [0, 0, 0, 1, 0, 0, 1]);
    expect("other/no_correction", [0, 0, 0, 0, 0, 1, 1]);
    expect("withheld/state_secret", [0; 7]);
    expect("results_total", [3, 2, 1, 1, 1, 1, 9]);
    expect("carried_over", [1, 0, 0, 0, 1, 0, 2]);
    assert_eq!(
        row(1, "withheld/state_secret")["groups"],
        serde_json::json!(["三、本年度办理结果", "（三）不予公开"])
    );
    assert_eq!(
        row(2, "review")["values"],
        serde_json::json!({"upheld": 1, "corrected": 1, "other": 0, "pending": 1, "total": 3})
    );
    assert_eq!(
        row(2, "suit_direct")["groups"],
        serde_json::json!(["行政诉讼"])
    );
}

/// The fixture copied into a temporary folder, with a folder to run the command in.
fn copy_fixture() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let work = tempfile::tempdir().expect("temp dir");
    let root = work.path().join("site");
    for entry in walkdir::WalkDir::new(fixture()) {
        let entry = entry.expect("walk");
        let to = root.join(entry.path().strip_prefix(fixture()).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&to).expect("mkdir");
        } else {
            fs::copy(entry.path(), &to).expect("copy");
        }
    }
    let cwd = work.path().join("cwd");
    fs::create_dir_all(&cwd).expect("mkdir");
    (work, root, cwd)
}

fn run(cwd: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .current_dir(cwd)
        .env_remove("CLICOLOR_FORCE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run gongkai");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The whole report's CSV: one record per cell (表格, 分组, 项目, 列, 数值).
fn whole_csv(bytes: &[u8]) -> HashMap<(String, String), String> {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(
        reader
            .headers()
            .expect("headers")
            .iter()
            .collect::<Vec<_>>(),
        ["表格", "分组", "项目", "列", "数值"]
    );
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            ((r[2].to_string(), r[3].to_string()), r[4].to_string())
        })
        .collect()
}

#[test]
fn the_report_command_prints_the_tables_and_writes_the_csv() {
    let (_work, root, cwd) = copy_fixture();
    let root_arg = root.to_str().expect("UTF-8 path");
    let (code, stdout, stderr) = run(&cwd, &["report", "--year", "2024", "--root", root_arg]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.starts_with("二、主动公开政府信息情况\n"), "{stdout}");
    // 表二 as the template prints it: a small table per article, each with its columns.
    assert!(
        stdout.contains("第二十条第（八）项\n                  本年收费金额（单位：万元）\n  行政事业性收费                        0.35\n"),
        "{stdout}"
    );
    assert!(stdout.contains(
        "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\n"
    ));
    assert!(stdout.contains("四、政府信息公开行政复议、行政诉讼情况\n"));
    // Aligned by display width: every row of 表三 ends in the same column.
    let widths: Vec<usize> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("三、收到"))
        .skip(2)
        .take_while(|l| !l.is_empty())
        .filter(|l| l.ends_with(|c: char| c.is_ascii_digit()))
        .map(unicode_width::UnicodeWidthStr::width)
        .collect();
    assert_eq!(widths.len(), 25);
    assert!(widths.windows(2).all(|w| w[0] == w[1]), "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("一、本年新收"))
        .expect("row");
    let numbers: Vec<&str> = line.split_whitespace().skip(1).collect();
    assert_eq!(numbers, ["4", "1", "1", "1", "2", "1", "10"]);
    assert!(stderr.contains("report-2024.csv"), "{stderr}");

    let cells = whole_csv(&fs::read(cwd.join("report-2024.csv")).expect("the CSV"));
    for (row, column, expected) in ACTIVE.iter().filter(|(_, _, v)| !v.is_empty()) {
        assert_eq!(cells[&(row.to_string(), column.to_string())], *expected);
    }
    for (row, values) in REQUESTS {
        for (column, expected) in REQUEST_COLUMNS.iter().zip(values) {
            let column = match *column {
                "自然人" | "总计" => column.to_string(),
                other => format!("法人或其他组织：{other}"),
            };
            assert_eq!(cells[&(row.to_string(), column)], expected.to_string());
        }
    }
    for (row, values) in CASES {
        for (column, expected) in CASE_COLUMNS.iter().zip(values) {
            assert_eq!(
                cells[&(row.to_string(), column.to_string())],
                expected.to_string()
            );
        }
    }
    assert_eq!(cells.len(), 10 + 25 * 7 + 3 * 5);

    // Its own file is replaced; --out writes elsewhere.
    let (code, _, stderr) = run(&cwd, &["report", "--year", "2024", "--root", root_arg]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, _, stderr) = run(
        &cwd,
        &[
            "report", "--year", "2024", "--root", root_arg, "--out", "t2.csv",
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(cwd.join("t2.csv").is_file());
}

#[test]
fn the_report_command_never_replaces_a_file_it_did_not_write() {
    let (_work, root, cwd) = copy_fixture();
    let root_arg = root.to_str().expect("UTF-8 path");
    let theirs = cwd.join("report-2024.csv");
    fs::write(&theirs, "序号,名称\r\n1,手工表格\r\n").expect("write");
    let (code, stdout, stderr) = run(&cwd, &["report", "--year", "2024", "--root", root_arg]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("report-2024.csv"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(
        stdout.contains("三、收到和处理政府信息公开申请情况"),
        "the tables print all the same"
    );
    assert_eq!(
        fs::read_to_string(&theirs).expect("read"),
        "序号,名称\r\n1,手工表格\r\n"
    );
    let (code, _, stderr) = run(
        &cwd,
        &["report", "--year", "2024", "--root", root_arg, "--force"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(gongkai::duties::report::is_report_csv(
        &fs::read(&theirs).expect("read")
    ));
    // Never a folder, even with --force.
    fs::create_dir(cwd.join("dir.csv")).expect("mkdir");
    let (code, _, _) = run(
        &cwd,
        &[
            "report", "--year", "2024", "--root", root_arg, "--out", "dir.csv", "--force",
        ],
    );
    assert_eq!(code, Some(2));
}

#[test]
fn the_report_command_needs_the_year_file_and_valid_content() {
    let (_work, root, cwd) = copy_fixture();
    let root_arg = root.to_str().expect("UTF-8 path");
    let (code, _, stderr) = run(&cwd, &["report", "--year", "2023", "--root", root_arg]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("content/reports/2023.yaml"), "{stderr}");
    assert!(!cwd.join("report-2023.csv").exists());

    let (code, _, stderr) = run(&cwd, &["report", "--year", "24", "--root", root_arg]);
    assert_eq!(code, Some(2), "{stderr}");

    let year_file = root.join("content/reports/2024.yaml");
    let text = fs::read_to_string(&year_file).expect("read");
    fs::write(&year_file, format!("{text}penalites: 2\n")).expect("write");
    let (code, stdout, stderr) = run(&cwd, &["report", "--year", "2024", "--root", root_arg]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("content/reports/2024.yaml:14:1"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown-field"), "{stderr}");
    assert!(stdout.is_empty());
    assert!(!cwd.join("report-2024.csv").exists());
}

#[test]
fn the_report_texts_are_checked_like_every_markdown_text() {
    let (_work, root, _) = copy_fixture();
    let year_file = root.join("content/reports/2024.yaml");
    let text = fs::read_to_string(&year_file).expect("read");
    let nested = ">".repeat(300);
    let text = text.replace(
        "problems: |\n  测试问题。",
        &format!("problems: |\n  {nested} 测试问题。"),
    );
    fs::write(&year_file, text).expect("write");
    let Err(errors) = gongkai::check(&gongkai::BuildOptions::new(&root)) else {
        panic!("too deeply nested: check should fail");
    };
    let d = errors.errors().next().expect("an error");
    assert_eq!(d.path, Path::new("content/reports/2024.yaml"), "{errors}");
    assert!(d.message.en().contains("problems"), "{errors}");
}

// ---------------------------------------------------------------------------------
// The report's page, read as a reader reads a table: along the row and up the column.

/// The fixture built into a temporary folder.
fn built() -> (tempfile::TempDir, PathBuf) {
    let (work, root, cwd) = copy_fixture();
    let out = build(&work, &root, &cwd);
    (work, out)
}

/// Builds the site at `root` into `public/` of `work`, which it returns.
fn build(work: &tempfile::TempDir, root: &Path, cwd: &Path) -> PathBuf {
    let out = work.path().join("public");
    let (code, _, stderr) = run(
        cwd,
        &[
            "build",
            "--root",
            root.to_str().expect("UTF-8"),
            "--out",
            out.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    out
}

/// One slot of a table's visual grid: the cell covering it.
#[derive(Clone)]
struct Slot {
    /// Index of the cell in document order.
    cell: usize,
    heading: bool,
    text: String,
}

/// A table as a reader sees it: every row as wide as the table, a merged cell in every
/// slot it covers; which rows are heading rows (no number in them), and the section
/// (0 for `<thead>`, then 1, 2 … per `<tbody>`) of each row.
struct VisualTable {
    slots: Vec<Vec<Slot>>,
    heading_row: Vec<bool>,
    section: Vec<usize>,
    /// Each cell's `headers` attribute, resolved to the headings' texts (td only).
    headers: HashMap<usize, Vec<String>>,
}

fn text_of(element: scraper::ElementRef<'_>) -> String {
    element.text().collect::<String>().trim().to_string()
}

fn visual(table: scraper::ElementRef<'_>) -> VisualTable {
    let sections: Vec<scraper::ElementRef<'_>> = table
        .child_elements()
        .filter(|e| matches!(e.value().name(), "thead" | "tbody"))
        .collect();
    let mut slots: Vec<Vec<Option<Slot>>> = Vec::new();
    let mut heading_row = Vec::new();
    let mut section_of = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut headers_attr: HashMap<usize, String> = HashMap::new();
    let mut cell_index = 0;
    let mut r = 0;
    let mut bodies = 0;
    for section in &sections {
        let s = if section.value().name() == "thead" {
            0
        } else {
            bodies += 1;
            bodies
        };
        for tr in section.child_elements() {
            while slots.len() <= r {
                slots.push(Vec::new());
            }
            let mut c = 0;
            let mut has_number = false;
            for cell in tr.child_elements() {
                while slots[r].get(c).is_some_and(|x| x.is_some()) {
                    c += 1;
                }
                let heading = cell.value().name() == "th";
                has_number |= !heading && cell.value().attr("class") == Some("num");
                let span = |name| {
                    cell.value()
                        .attr(name)
                        .map_or(1, |v: &str| v.parse::<usize>().expect("a span"))
                };
                let (colspan, rowspan) = (span("colspan"), span("rowspan"));
                let text = text_of(cell);
                if let Some(id) = cell.value().attr("id") {
                    ids.insert(id.to_string(), text.clone());
                }
                if let Some(h) = cell.value().attr("headers") {
                    headers_attr.insert(cell_index, h.to_string());
                }
                for rr in r..r + rowspan {
                    while slots.len() <= rr {
                        slots.push(Vec::new());
                    }
                    for cc in c..c + colspan {
                        if slots[rr].len() <= cc {
                            slots[rr].resize(cc + 1, None);
                        }
                        assert!(
                            slots[rr][cc].is_none(),
                            "two cells cover row {rr} column {cc}"
                        );
                        slots[rr][cc] = Some(Slot {
                            cell: cell_index,
                            heading,
                            text: text.clone(),
                        });
                    }
                }
                c += colspan;
                cell_index += 1;
            }
            heading_row.push(!has_number);
            section_of.push(s);
            r += 1;
        }
    }
    let width = slots[0].len();
    let slots: Vec<Vec<Slot>> = slots
        .into_iter()
        .enumerate()
        .map(|(r, row)| {
            assert_eq!(row.len(), width, "row {r} is as wide as the table");
            row.into_iter()
                .enumerate()
                .map(|(c, s)| s.unwrap_or_else(|| panic!("row {r} column {c} is covered")))
                .collect()
        })
        .collect();
    let headers = headers_attr
        .into_iter()
        .map(|(cell, list)| {
            let texts = list
                .split(' ')
                .map(|id| {
                    ids.get(id)
                        .unwrap_or_else(|| panic!("no heading {id}"))
                        .clone()
                })
                .collect();
            (cell, texts)
        })
        .collect();
    VisualTable {
        slots,
        heading_row,
        section: section_of,
        headers,
    }
}

impl VisualTable {
    /// The headings a reader finds for slot (r, c): to its left in its row, and above it
    /// in its column — in the heading rows of its own `<tbody>` if it has some (表二's
    /// blocks), else in `<thead>`.
    fn headings_of(&self, r: usize, c: usize) -> Vec<String> {
        let own = self.section[r];
        let has_own = (0..r).any(|x| self.section[x] == own && self.heading_row[x]);
        let above = (0..r).filter(|&x| {
            self.heading_row[x]
                && if has_own {
                    self.section[x] == own
                } else {
                    self.section[x] == 0
                }
        });
        let mut out: Vec<String> = Vec::new();
        for x in above {
            let slot = &self.slots[x][c];
            if slot.heading && !out.contains(&slot.text) {
                out.push(slot.text.clone());
            }
        }
        for slot in &self.slots[r][..c] {
            if slot.heading && !out.contains(&slot.text) {
                out.push(slot.text.clone());
            }
        }
        out
    }

    /// The number under every label of `labels`: `None` when no cell has them all, a
    /// panic when two do (the lookup would be ambiguous).
    fn number(&self, labels: &[&str]) -> Option<String> {
        let mut found: Vec<(usize, String)> = Vec::new();
        for (r, row) in self.slots.iter().enumerate() {
            for (c, slot) in row.iter().enumerate() {
                if slot.heading || self.heading_row[r] {
                    continue;
                }
                let headings = self.headings_of(r, c);
                if labels.iter().all(|l| headings.iter().any(|h| h == l))
                    && !found.iter().any(|(cell, _)| *cell == slot.cell)
                {
                    found.push((slot.cell, slot.text.clone()));
                }
            }
        }
        assert!(found.len() <= 1, "{labels:?} names {} cells", found.len());
        found.pop().map(|(_, text)| text)
    }

    /// Every number's `headers` name exactly the headings a reader sees for it.
    fn assert_headers_match_the_layout(&self) {
        for (r, row) in self.slots.iter().enumerate() {
            for (c, slot) in row.iter().enumerate() {
                if slot.heading || self.heading_row[r] {
                    continue;
                }
                let mut seen = self.headings_of(r, c);
                let mut named = self.headers.get(&slot.cell).cloned().unwrap_or_default();
                seen.sort();
                named.sort();
                // A cell spanning columns sees the headings of each: compare its first.
                if c > 0 && row[c - 1].cell == slot.cell {
                    continue;
                }
                assert_eq!(named, seen, "headers of the number at row {r} column {c}");
            }
        }
    }
}

/// The three tables of the report page, in order, with their section headings.
fn report_tables(html: &str) -> Vec<(String, VisualTable)> {
    let page = scraper::Html::parse_document(html);
    let section = scraper::Selector::parse("article.report section").expect("selector");
    let h2 = scraper::Selector::parse("h2").expect("selector");
    let table = scraper::Selector::parse("table").expect("selector");
    page.select(&section)
        .filter_map(|s| {
            let t = s.select(&table).next()?;
            let heading = text_of(s.select(&h2).next().expect("a heading"));
            Some((heading, visual(t)))
        })
        .collect()
}

#[test]
fn the_report_page_has_the_six_sections_and_the_hand_counted_cells() {
    let (_work, out) = built();
    let html = fs::read_to_string(out.join("reports/2024/index.html")).expect("the report page");
    let page = scraper::Html::parse_document(&html);
    let select = |css: &str| {
        let selector = scraper::Selector::parse(css).expect("selector");
        page.select(&selector).map(text_of).collect::<Vec<_>>()
    };
    assert_eq!(select("h1"), ["测试办公室2024年政府信息公开工作年度报告"]);
    assert_eq!(
        select("article.report section > h2"),
        [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ]
    );

    let tables = report_tables(&html);
    let headings: Vec<&str> = tables.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        headings,
        [
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况"
        ]
    );
    for (heading, t) in &tables {
        assert!(!t.slots.is_empty(), "{heading}");
        t.assert_headers_match_the_layout();
    }
    let [(_, active), (_, requests), (_, cases)] = &tables[..] else {
        panic!("three tables");
    };

    // 表二: four columns wide, a block per item of 第二十条.
    assert_eq!(active.slots[0].len(), 4);
    for (row, column, value) in ACTIVE {
        let cell = active.number(&[row, column]);
        if value.is_empty() {
            assert_eq!(cell, None, "表二 has no cell {row} × {column}");
        } else {
            assert_eq!(cell.as_deref(), Some(value), "表二 {row} × {column}");
        }
    }
    assert_eq!(
        active
            .number(&["第二十条第（五）项", "行政许可"])
            .as_deref(),
        Some("7")
    );

    // 表三: ten columns wide (three of row headings), 申请人情况 over the seven columns.
    assert_eq!(requests.slots[0].len(), 10);
    assert_eq!(requests.slots[0][3].text, "申请人情况");
    assert_eq!(requests.slots[0][9].text, "申请人情况", "spans all seven");
    for (row, values) in REQUESTS {
        for (column, value) in REQUEST_COLUMNS.iter().zip(values) {
            assert_eq!(
                requests.number(&[row, column]),
                Some(value.to_string()),
                "表三 {row} × {column}"
            );
        }
    }
    // The merged headings stand where the template has them.
    let withheld = requests.number(&[
        "三、本年度办理结果",
        "（三）不予公开",
        "4.保护第三方合法权益",
        "法人或其他组织",
        "法律服务机构",
    ]);
    assert_eq!(withheld.as_deref(), Some("1"));
    assert_eq!(
        requests.number(&["（三）不予公开", "自然人", "1.本机关不掌握相关政府信息"]),
        None
    );

    // 表四: one row of fifteen numbers.
    assert_eq!(cases.slots[0].len(), 15);
    for (kind, values) in CASES {
        for (column, value) in CASE_COLUMNS.iter().zip(values) {
            assert_eq!(
                cases.number(&[kind, column]),
                Some(value.to_string()),
                "表四 {kind} × {column}"
            );
        }
    }
    assert_eq!(
        cases
            .number(&["行政诉讼", "复议后起诉", "结果维持"])
            .as_deref(),
        Some("1")
    );
}

#[test]
fn the_report_tables_are_published_beside_the_page() {
    let (work, out) = built();
    let csv = fs::read(out.join("reports/2024/report-2024.csv")).expect("the CSV");
    let cells = whole_csv(&csv);
    for (row, values) in REQUESTS {
        for (column, value) in REQUEST_COLUMNS.iter().zip(values) {
            let column = match *column {
                "自然人" | "总计" => column.to_string(),
                other => format!("法人或其他组织：{other}"),
            };
            assert_eq!(
                cells.get(&(row.to_string(), column.clone())),
                Some(&value.to_string()),
                "{row} × {column}"
            );
        }
    }
    // The same bytes as `gongkai report` writes.
    let cwd = work.path().join("cwd");
    let root = work.path().join("site");
    let (code, _, stderr) = run(
        &cwd,
        &[
            "report",
            "--year",
            "2024",
            "--root",
            root.to_str().expect("UTF-8"),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(fs::read(cwd.join("report-2024.csv")).expect("written"), csv);

    let json: serde_json::Value = serde_json::from_slice(
        &fs::read(out.join("reports/2024/report-2024.json")).expect("the JSON"),
    )
    .expect("JSON");
    assert_eq!(json["year"], 2024);
    let requests = &json["tables"][1];
    assert_eq!(requests["table"], "requests");
    let received = requests["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["key"] == "received")
        .expect("received");
    assert_eq!(received["values"]["total"], 10);
    assert_eq!(received["values"]["legal_service"], 2);

    // The column lists the report and links its page and files, which exist.
    let list = fs::read_to_string(out.join("reports/index.html")).expect("the column");
    let page = scraper::Html::parse_document(&list);
    let links = scraper::Selector::parse("main a[href]").expect("selector");
    let hrefs: Vec<String> = page
        .select(&links)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .filter(|h| h.contains("2024/"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../reports/2024/index.html",
            "../reports/2024/report-2024.csv",
            "../reports/2024/report-2024.json"
        ]
    );
    for href in &hrefs {
        assert!(out.join("reports").join(href).is_file(), "{href}");
    }
    assert!(!list.contains("尚未发布年度报告"));
}

#[test]
fn links_in_the_report_texts_lead_to_their_pages_and_unknown_ones_fail() {
    let (work, root, cwd) = copy_fixture();
    let year_file = root.join("content/reports/2024.yaml");
    let text = fs::read_to_string(&year_file).expect("read");
    let linked = text.replace(
        "problems: |\n  测试问题。",
        "problems: |\n  测试问题，见[规章](notice:K1/2024-00002)和[本报告](report:2024)。",
    );
    fs::write(&year_file, &linked).expect("write");
    let out = build(&work, &root, &cwd);
    let html = fs::read_to_string(out.join("reports/2024/index.html")).expect("page");
    let page = scraper::Html::parse_document(&html);
    let links = scraper::Selector::parse("#section-5 + .prose a").expect("selector");
    let hrefs: Vec<&str> = page
        .select(&links)
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../../notices/K1-2024-00002/index.html",
            "../../reports/2024/index.html"
        ]
    );
    for href in hrefs {
        assert!(out.join("reports/2024").join(href).is_file(), "{href}");
    }

    fs::write(&year_file, linked.replace("report:2024", "report:2099")).expect("write");
    let Err(errors) = gongkai::check(&gongkai::BuildOptions::new(&root)) else {
        panic!("a link to a report that does not exist fails check");
    };
    let d = errors.errors().next().expect("an error");
    assert_eq!(d.path, Path::new("content/reports/2024.yaml"), "{errors}");
    assert!(d.message.en().contains("2099"), "{errors}");
}
