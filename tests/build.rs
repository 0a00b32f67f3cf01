//! End-to-end: build small fixture sites and read the pages as a reader would.

mod common;

use common::{TestSite, all_files, broken_links, meta_labels, meta_value, texts};
use scraper::Selector;

const NOTICE: &str = "index_no: k12498411/2014-00065\ntitle: 市政府办公室关于印发连云港市知识产权联席会议工作制度的通知\nissuer: lyg-gov\ndoc_no: 连政办发〔2014〕67号\ndate: 2014-05-07\nkeywords: [知识产权, 联席会议]\nsummary: 为加强对全市知识产权工作的宏观管理。\nvalid_until: 2019-05-06\n";

fn fixture() -> TestSite {
    let site = TestSite::new();
    site.notice(
        "2014/rules",
        NOTICE,
        "各县、区人民政府，\n市各有关单位：\n\n## 一、主要职责\n\n正文。\n",
    );
    site.notice(
        "2010/old",
        "index_no: k12498411/2010-00012\ntitle: 旧工作制度\nissuer: [lyg-gov, lyg-kjj]\ndate: 2010-03-01\nsummary: 旧。\nvalidity: repealed\n",
        "旧。\n",
    );
    site.notice(
        "2014/reading",
        "index_no: k12498411/2014-00066\ntitle: 政策解读\nissuer: lyg-kjj\ndate: 2014-05-08\nsummary: 解读。\nsupersedes: []\nrelated: [k12498411/2014-00065]\n",
        "解读。\n",
    );
    site.write("content/attachments/2014/rules.txt", "工作制度全文");
    site
}

#[test]
fn notice_page_opens_with_the_metadata_block() {
    let site = fixture();
    site.build("2014-12-31").expect("build");
    let page = site.page("notices/k12498411-2014-00065/");
    assert_eq!(
        meta_labels(&page),
        [
            "索引号",
            "发布机构",
            "发文日期",
            "标题",
            "文号",
            "主题词",
            "发布日期",
            "内容概述",
            "时效",
            "有效期",
            "文件下载"
        ]
    );
    assert_eq!(
        meta_value(&page, "索引号").as_deref(),
        Some("k12498411/2014-00065")
    );
    assert_eq!(
        meta_value(&page, "发布机构").as_deref(),
        Some("连云港市人民政府")
    );
    assert_eq!(meta_value(&page, "发文日期").as_deref(), Some("2014-05-07"));
    assert_eq!(
        meta_value(&page, "文号").as_deref(),
        Some("连政办发〔2014〕67号")
    );
    assert_eq!(
        meta_value(&page, "主题词").as_deref(),
        Some("知识产权、联席会议")
    );
    assert_eq!(meta_value(&page, "时效").as_deref(), Some("有效"));
    assert_eq!(meta_value(&page, "文件下载").as_deref(), Some("无"));
    assert_eq!(
        texts(&page, "h1"),
        ["市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"]
    );
    let html = page.html();
    assert!(
        html.contains("各县、区人民政府，市各有关单位："),
        "no space at a Chinese line break"
    );
    assert!(html.contains("name=\"IndexNo\""), "machine-readable meta");
}

#[test]
fn as_of_flips_effective_to_expired() {
    let site = fixture();
    site.build("2019-05-06").expect("build");
    let page = site.page("notices/k12498411-2014-00065/");
    assert_eq!(meta_value(&page, "时效").as_deref(), Some("有效"));
    site.build("2019-05-07").expect("build");
    let page = site.page("notices/k12498411-2014-00065/");
    assert_eq!(meta_value(&page, "时效").as_deref(), Some("失效"));
    let data: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(site.out().join("data/notices.json")).expect("json"),
    )
    .expect("valid json");
    let notice = data["notices"]
        .as_array()
        .and_then(|a| a.iter().find(|n| n["index_no"] == "k12498411/2014-00065"))
        .expect("notice in open data");
    assert_eq!(notice["validity"], "expired");
    assert_eq!(notice["url"], "notices/k12498411-2014-00065/");
}

#[test]
fn superseded_notice_names_its_replacement() {
    let site = fixture();
    site.notice(
        "2014/rules",
        &format!("{NOTICE}supersedes: [k12498411/2010-00012]\n"),
        "正文。\n",
    );
    site.build("2014-12-31").expect("build");
    let old = site.page("notices/k12498411-2010-00012/");
    let callout = texts(&old, ".callout").join("");
    assert!(callout.contains("本文件已被替代"), "{callout}");
    assert!(callout.contains("市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"));
    assert_eq!(meta_value(&old, "时效").as_deref(), Some("废止"));
    let new = site.page("notices/k12498411-2014-00065/");
    assert!(
        texts(&new, "#supersession + h3, .related-block h3")
            .iter()
            .any(|t| t == "本文件替代")
    );
}

#[test]
fn related_links_go_both_ways() {
    let site = fixture();
    site.build("2014-12-31").expect("build");
    let page = site.page("notices/k12498411-2014-00065/");
    let related: Vec<String> = texts(&page, "section[aria-labelledby=related] .notice-title");
    assert_eq!(related, ["政策解读"]);
}

#[test]
fn joint_notice_is_listed_under_every_issuer() {
    let site = fixture();
    site.build("2014-12-31").expect("build");
    for unit in ["lyg-gov", "lyg-kjj"] {
        let page = site.page(&format!("units/{unit}/"));
        let titles = texts(&page, ".notice-title");
        assert!(
            titles.contains(&"旧工作制度".to_string()),
            "{unit}: {titles:?}"
        );
    }
    let kjj = site.page("units/lyg-kjj/");
    assert_eq!(
        meta_value(&kjj, "上级单位").as_deref(),
        Some("连云港市人民政府")
    );
}

#[test]
fn attachments_are_copied_with_size_and_type() {
    let site = fixture();
    site.notice(
        "2014/rules",
        &format!(
            "{NOTICE}attachments:\n  - title: 工作制度全文\n    file: attachments/2014/rules.txt\n"
        ),
        "正文。\n",
    );
    site.build("2014-12-31").expect("build");
    let page = site.page("notices/k12498411-2014-00065/");
    let download = meta_value(&page, "文件下载").expect("download cell");
    assert!(download.contains("工作制度全文"), "{download}");
    assert!(download.contains("文本，18 B"), "{download}");
    let copied =
        std::fs::read_to_string(site.out().join("attachments/2014/rules.txt")).expect("copied");
    assert_eq!(copied, "工作制度全文");
    assert!(broken_links(&site.out()).is_empty());
}

#[test]
fn script_in_content_arrives_as_text() {
    let site = TestSite::new();
    site.notice(
        "2014/x",
        "index_no: k12498411/2014-00001\ntitle: \"关于</title><script>alert(1)</script>的通知\"\nissuer: lyg-gov\ndate: 2014-05-07\nkeywords: [\"<script>alert(2)</script>\"]\nsummary: \"<img src=x onerror=alert(3)>\"\n",
        "<script>alert(4)</script>\n\n[点我](javascript:alert(5))\n",
    );
    site.build("2014-12-31").expect("build");
    for url in [
        "notices/k12498411-2014-00001/",
        "",
        "notices/",
        "units/lyg-gov/",
    ] {
        let page = site.page(url);
        // A JSON-LD block is data (never run), and must stay one: no `<` in it.
        let scripts = Selector::parse(
            "script:not([type=\"application/ld+json\"]):not([src*=\"assets/elder.\"]), img",
        )
        .expect("selector");
        assert_eq!(
            page.select(&scripts).count(),
            0,
            "{url}: content became markup"
        );
        let ld = Selector::parse("script[type=\"application/ld+json\"]").expect("selector");
        for block in page.select(&ld) {
            let text: String = block.text().collect();
            assert!(!text.contains('<'), "{url}: {text}");
        }
    }
    let page = site.page("notices/k12498411-2014-00001/");
    assert_eq!(
        texts(&page, "h1"),
        ["关于</title><script>alert(1)</script>的通知"]
    );
    assert_eq!(
        meta_value(&page, "主题词").as_deref(),
        Some("<script>alert(2)</script>")
    );
    let body = texts(&page, ".prose").join("");
    assert!(body.contains("<script>alert(4)</script>"), "{body}");
    assert!(!page.html().contains("javascript:"), "script link dropped");
}

#[test]
fn raw_html_passes_only_when_the_site_enables_it() {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &format!("{}unsafe_html: true\n", common::SITE_YAML),
    );
    site.notice(
        "2014/x",
        "index_no: k12498411/2014-00001\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n",
        "<mark>重点</mark>\n",
    );
    site.build("2014-12-31").expect("build");
    let page = site.page("notices/k12498411-2014-00001/");
    assert_eq!(texts(&page, ".prose mark"), ["重点"]);
}

#[test]
fn every_internal_link_resolves() {
    let site = fixture();
    for i in 0..45 {
        site.notice(
            &format!("2013/n{i}"),
            &format!("index_no: k12498411/2013-{i:05}\ntitle: 通知{i}\nissuer: lyg-kjj\ndate: 2013-01-{:02}\nsummary: 概述\n", i % 28 + 1),
            "正文[^a]\n\n[^a]: 注\n",
        );
    }
    site.write(
        "content/pages/guide.md",
        "---\ntitle: 公开指南\n---\n指南\n",
    );
    site.write(
        "content/news/meeting.md",
        "---\ntitle: 会议\ndate: 2014-06-01\n---\n会议\n",
    );
    site.build("2014-12-31").expect("build");
    assert!(
        site.out().join("notices/page/3/index.html").is_file(),
        "48 notices → 3 pages"
    );
    assert!(site.out().join("notices/2013/page/3/index.html").is_file());
    let broken = broken_links(&site.out());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let page = site.page("notices/page/2/");
    assert_eq!(texts(&page, ".notice-title").len(), 20);
}

#[test]
fn notices_list_newest_first_with_year_pages() {
    let site = fixture();
    site.build("2014-12-31").expect("build");
    let all = site.page("notices/");
    assert_eq!(
        texts(&all, ".notice-title"),
        [
            "政策解读",
            "市政府办公室关于印发连云港市知识产权联席会议工作制度的通知",
            "旧工作制度"
        ]
    );
    let year = site.page("notices/2010/");
    assert_eq!(texts(&year, ".notice-title"), ["旧工作制度"]);
    let home = site.page("");
    assert_eq!(
        texts(&home, ".notice-title").first().map(String::as_str),
        Some("政策解读")
    );
}

#[test]
fn footer_shows_owner_site_code_and_icp() {
    let site = fixture();
    site.build("2014-12-31").expect("build");
    let footer = texts(&site.page(""), "footer").join(" ");
    for expected in ["测试办公室", "3207000001", "苏ICP备00000000号"] {
        assert!(footer.contains(expected), "{footer}");
    }
    let html = site.page("").html();
    assert!(html.contains("lang=\"zh-CN\""));
}

#[test]
fn same_content_and_as_of_give_identical_bytes() {
    let site = fixture();
    let mut first = site.options("2014-12-31");
    first.out = Some(site.root().join("one"));
    let mut second = site.options("2014-12-31");
    second.out = Some(site.root().join("two"));
    gongkai::build(&first).expect("first build");
    gongkai::build(&second).expect("second build");
    let a = all_files(&site.root().join("one"));
    assert_eq!(a, all_files(&site.root().join("two")));
    assert!(a.len() > 10);
    for file in a {
        let x = std::fs::read(site.root().join("one").join(&file)).expect("read");
        let y = std::fs::read(site.root().join("two").join(&file)).expect("read");
        assert!(x == y, "{} differs between builds", file.display());
    }
}

/// Every file of a built site with its bytes.
fn snapshot(out: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    all_files(out)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).expect("read");
            (f, bytes)
        })
        .collect()
}

/// Folders beside the output that a build made for itself (staging, old output).
fn leftovers(site: &common::TestSite) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(site.root())
        .expect("read root")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|name| name.to_string_lossy().contains("gongkai"))
        .collect()
}

#[test]
fn failed_build_leaves_existing_output_untouched() {
    let site = fixture();
    site.build("2014-12-31").expect("first build");
    let before = snapshot(&site.out());
    site.notice(
        "2014/broken",
        "index_no: k12498411/2014-00099\ntitle: 坏\nissuer: nobody\ndate: 2014-02-30\n",
        "",
    );
    site.build("2014-12-31").expect_err("broken content");
    assert!(
        before == snapshot(&site.out()),
        "output changed by a failed build"
    );
    assert!(leftovers(&site).is_empty(), "staging folder left behind");
}

#[test]
fn a_build_failing_while_pages_are_written_leaves_output_untouched() {
    // Pages go into the staging folder as they are rendered; a template failing on one
    // page after others were written must still leave the old output as it was.
    let site = fixture();
    site.build("2014-12-31").expect("first build");
    let before = snapshot(&site.out());
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock content %}",
    );
    let errors = site
        .build("2014-12-31")
        .expect_err("template fails at render");
    assert!(
        errors.to_string().contains("404.html"),
        "the error names the template: {errors}"
    );
    assert!(
        before == snapshot(&site.out()),
        "output changed by a failed build"
    );
    assert!(
        leftovers(&site).is_empty(),
        "staging folder left behind: {:?}",
        leftovers(&site)
    );
}

#[test]
fn a_site_template_overrides_the_default() {
    let site = fixture();
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>这里没有内容</h1>{% endblock content %}",
    );
    site.build("2014-12-31").expect("build");
    let page = common::read_page(&site.out(), "404.html");
    assert_eq!(texts(&page, "h1"), ["这里没有内容"]);
}

#[test]
fn drafts_are_built_only_on_request() {
    let site = fixture();
    site.notice(
        "2014/draft",
        "index_no: k12498411/2014-00090\ntitle: 草稿文件\nissuer: lyg-gov\ndate: 2014-09-01\nsummary: 草稿\ndraft: true\n",
        "",
    );
    site.build("2014-12-31").expect("build");
    assert!(!site.out().join("notices/k12498411-2014-00090").exists());
    let mut options = site.options("2014-12-31");
    options.drafts = true;
    gongkai::build(&options).expect("build with drafts");
    assert!(
        site.out()
            .join("notices/k12498411-2014-00090/index.html")
            .is_file()
    );
}

#[test]
fn check_command_exits_1_and_prints_every_error() {
    let site = fixture();
    site.notice(
        "2014/broken",
        "index_no: k12498411/2014-00099\ntitle: 坏\nissuer: lyg-kj\ndate: 2014-02-30\n",
        "",
    );
    let (code, stderr) = site.check_command();
    assert_eq!(code, Some(1));
    // The site has no `language:`, so it is spoken to in Chinese.
    assert!(
        stderr.contains(
            "content/notices/2014/broken.md:5:7: 错误[invalid-date]：`2014-02-30` 不是真实存在的日期"
        ),
        "{stderr}"
    );
    assert!(
        stderr
            .contains("content/notices/2014/broken.md:4:9: 错误[unknown-unit]：未知单位 `lyg-kj`"),
        "{stderr}"
    );
    assert!(stderr.contains("= 帮助：是否应为 `lyg-kjj`？"), "{stderr}");
}

/// `--precompress` writes a `.gz` and a `.br` beside each text file that decode to the
/// file itself, none beside attachments, and the same bytes on every build.
#[test]
fn precompress_writes_twins_that_decode_to_the_files() {
    use std::io::Read;
    let site = fixture();
    let mut options = site.options("2024-12-31");
    options.precompress = true;
    gongkai::build(&options).unwrap_or_else(|e| panic!("{e}"));
    let out = site.out();
    let files = all_files(&out);
    let mut twinned = 0;
    for path in &files {
        let name = path.to_string_lossy();
        if name.ends_with(".gz") || name.ends_with(".br") {
            let original = name.trim_end_matches(".gz").trim_end_matches(".br");
            assert!(
                files.iter().any(|f| f.to_string_lossy() == original),
                "{name}"
            );
            continue;
        }
        let bytes = std::fs::read(out.join(path)).expect("read");
        let gz = out.join(format!("{name}.gz"));
        let br = out.join(format!("{name}.br"));
        let text = [
            ".html", ".css", ".js", ".json", ".xml", ".txt", ".svg", ".csv",
        ]
        .iter()
        .any(|e| name.ends_with(e));
        if !text || bytes.len() < 256 {
            assert!(!gz.exists() && !br.exists(), "{name} has no twins");
            continue;
        }
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&gz).expect("gz"))
            .read_to_end(&mut back)
            .expect("gunzip");
        assert_eq!(back, bytes, "{name}.gz");
        let mut back = Vec::new();
        brotli::Decompressor::new(std::fs::File::open(&br).expect("br"), 4096)
            .read_to_end(&mut back)
            .expect("unbrotli");
        assert_eq!(back, bytes, "{name}.br");
        twinned += 1;
    }
    assert!(twinned > 10, "{twinned} files twinned");
    assert!(out.join("index.html.br").is_file());
    let style = common::theme_asset(&out, "", "style", "css");
    assert!(out.join(format!("{style}.gz")).is_file());
    // Deterministic: a second build writes the same twins.
    let first = std::fs::read(out.join("index.html.br")).expect("br");
    gongkai::build(&options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(std::fs::read(out.join("index.html.br")).expect("br"), first);
    // Without the switch, none.
    options.precompress = false;
    gongkai::build(&options).unwrap_or_else(|e| panic!("{e}"));
    assert!(!out.join("index.html.br").exists());
}
