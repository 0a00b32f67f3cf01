//! The hostile corpus: inputs a careless or malicious publisher could commit, one test
//! each. Every one must give a clear, located error (or render safely), never a crash, a
//! hang or a half-written site, and `check` must fail wherever `build` fails.
//!
//! Big inputs are generated here rather than committed: a 5,000-deep quote is one line of
//! code and 10 KB of file.

mod common;

use std::fs;
use std::path::Path;

use common::{TestSite, find, texts};
use gongkai::Diagnostics;

const GOOD: &str = "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n";

/// site.yaml without `index_no_pattern`, for 索引号 the pattern would refuse anyway.
const SITE_WITHOUT_PATTERN: &str = "title: 测试站点\nbase_url: https://ip.example.gov.cn/\n";

fn front(index_no: &str) -> String {
    format!("index_no: {index_no}\ntitle: 通知\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n")
}

/// Runs `check` and `build`; both must fail, nothing may be written and no staging folder
/// may be left. Returns the errors of `check`.
fn refused(site: &TestSite) -> Diagnostics {
    let options = site.options("2024-12-31");
    let checked = match gongkai::check(&options) {
        Ok(_) => panic!("check must fail where build fails"),
        Err(d) => d,
    };
    let built = site.errors();
    assert_eq!(
        checked.errors().count(),
        built.errors().count(),
        "check and build must report the same errors\ncheck:\n{checked}\nbuild:\n{built}"
    );
    assert!(!site.out().exists(), "nothing may be written");
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
    checked
}

/// Folders a build left beside its output.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|name| name.contains("gongkai-staging") || name.contains("gongkai-old"))
                .collect()
        })
        .unwrap_or_default()
}

fn assert_at(d: &gongkai::Diagnostic, path: &str, line: usize) {
    assert_eq!(d.path.to_string_lossy(), path, "{d}");
    assert_eq!(d.position.line, line, "{d}");
    assert!(d.is_error(), "{d}");
}

fn page_text(site: &TestSite, url: &str) -> String {
    fs::read_to_string(site.out().join(url).join("index.html")).expect("page")
}

#[test]
fn a_5000_deep_quote_is_a_located_error_not_a_stack_overflow() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        GOOD,
        &format!("正文\n\n{}深\n", "> ".repeat(5_000)),
    );
    let errors = refused(&site);
    let d = find(&errors, "nests more than 64 elements deep");
    // Front matter is 7 lines; the quote is on line 10.
    assert_at(d, "content/notices/2014/a.md", 10);
}

#[test]
fn a_2000_deep_list_is_a_located_error() {
    let site = TestSite::new();
    let list: String = (0..2_000)
        .map(|i| format!("{}- 第{i}项\n", "  ".repeat(i)))
        .collect();
    site.notice("2014/a", GOOD, &list);
    let errors = refused(&site);
    let d = find(&errors, "nests more than 64 elements deep");
    assert_eq!(d.path.to_string_lossy(), "content/notices/2014/a.md");
    assert!(d.position.line > 8, "{d}");
}

#[test]
fn deep_markdown_in_a_yaml_field_is_refused_too() {
    let site = TestSite::new();
    site.write(
        "content/bodies/b.yaml",
        &format!(
            "name: 联席会议\nmembers:\n  - unit: lyg-kjj\n    duties: \"{}深\"\n",
            "> ".repeat(3_000)
        ),
    );
    let errors = refused(&site);
    let d = find(&errors, "Markdown in `duties` nests more than");
    assert_at(d, "content/bodies/b.yaml", 3);
}

#[test]
fn nesting_can_be_raised_but_not_past_the_ceiling() {
    let site = TestSite::new();
    let deep = format!("{}深\n", "> ".repeat(100));
    site.notice("2014/a", GOOD, &deep);
    site.write(
        "content/site.yaml",
        &format!("{}limits:\n  nesting: 200\n", common::SITE_YAML),
    );
    site.build("2024-12-31").expect("raised limit");
    assert!(page_text(&site, "notices/k12498411-2014-00065").contains("深"));
    site.write(
        "content/site.yaml",
        &format!("{}limits:\n  nesting: 100000\n", common::SITE_YAML),
    );
    let errors = gongkai::check(&site.options("2024-12-31")).expect_err("ceiling");
    let d = find(&errors, "limits.nesting is 100000");
    assert_eq!(d.path.to_string_lossy(), "content/site.yaml");
}

#[test]
fn forty_thousand_equal_headings_are_refused_by_default_and_linear_when_allowed() {
    let site = TestSite::new();
    site.notice("2014/a", GOOD, &"## 一\n".repeat(40_000));
    let errors = refused(&site);
    let d = find(&errors, "more than 2000 headings");
    assert_at(d, "content/notices/2014/a.md", 8 + 2_000);

    // Allowed, they render with unique ids (this took minutes when ids were quadratic).
    site.write(
        "content/site.yaml",
        &format!("{}limits:\n  headings: 40000\n", common::SITE_YAML),
    );
    site.build("2024-12-31").expect("raised limit");
    let page = site.page("notices/k12498411-2014-00065/");
    let ids: Vec<String> = page
        .select(&scraper::Selector::parse("h2[id]").expect("selector"))
        .filter_map(|h| h.value().attr("id").map(str::to_string))
        .collect();
    assert_eq!(ids.len(), 40_000);
    assert_eq!(ids[0], "一");
    assert_eq!(ids[39_999], "一-40000");
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
}

#[test]
fn a_huge_code_block_is_shown_plain_not_highlighted() {
    let site = TestSite::new();
    let line = "key: [value, 值, 'quoted', 12]\n";
    let code = line.repeat(1_000_000 / line.len());
    site.notice(
        "2014/a",
        GOOD,
        &format!("```yaml\n{code}```\n\n```yaml\nsmall: 1\n```\n"),
    );
    site.build("2024-12-31").expect("builds");
    let html = page_text(&site, "notices/k12498411-2014-00065");
    // The small block is highlighted, the big one plain: the page stays near the input's size.
    assert!(html.len() < 2 * code.len(), "page is {} bytes", html.len());
    let page = site.page("notices/k12498411-2014-00065/");
    assert_eq!(
        texts(&page, "pre.code"),
        ["small: 1"],
        "the small block is highlighted"
    );
    let plain = texts(&page, "pre > code.language-yaml");
    assert_eq!(plain.len(), 1);
    assert!(plain[0].starts_with("key: [value, 值, 'quoted', 12]"));
}

#[test]
fn an_index_no_of_dots_is_refused_not_silently_unwritten() {
    let site = TestSite::new();
    site.write("content/site.yaml", SITE_WITHOUT_PATTERN);
    site.notice("2014/a", &front("\"..\""), "");
    site.notice("2014/b", &front(".hidden"), "");
    let errors = refused(&site);
    let d = find(&errors, "index_no `..` would give the page folder `..`");
    assert_at(d, "content/notices/2014/a.md", 2);
    let d = find(&errors, "index_no `.hidden`");
    assert_at(d, "content/notices/2014/b.md", 2);
}

#[test]
fn index_nos_sharing_a_page_folder_name_both_sources() {
    let site = TestSite::new();
    site.write("content/site.yaml", SITE_WITHOUT_PATTERN);
    site.notice("2014/a", &front("k1/2014-00001"), "");
    site.notice("2014/b", &front("k1-2014-00001"), "");
    site.notice("2014/c", &front("K1/2014-00001"), "");
    let errors = refused(&site);
    let clashes: Vec<_> = errors
        .iter()
        .filter(|d| d.message.en().contains("gives the same page folder"))
        .collect();
    assert_eq!(clashes.len(), 2, "{errors}");
    for d in &clashes {
        assert!(
            d.message.en().contains("content/notices/2014/"),
            "names the other file: {d}"
        );
        assert_eq!(d.position.line, 2, "{d}");
    }
    assert!(
        !errors
            .iter()
            .any(|d| d.message.en().contains("two outputs")),
        "named by source, not by output path: {errors}"
    );
}

#[test]
fn two_notices_may_share_one_attachment() {
    let site = TestSite::new();
    site.write("content/attachments/form.pdf", "%PDF-1.4 申请表");
    let with_form = |no: &str| {
        format!(
            "{}attachments:\n  - title: 申请表\n    file: attachments/form.pdf\n",
            front(no)
        )
    };
    site.notice("2014/a", &with_form("k12498411/2014-00001"), "");
    site.notice("2014/b", &with_form("k12498411/2014-00002"), "");
    let report = site
        .build("2024-12-31")
        .expect("a shared attachment builds");
    assert_eq!(report.output.copied, 1);
    assert!(site.out().join("attachments/form.pdf").is_file());
    for slug in ["k12498411-2014-00001", "k12498411-2014-00002"] {
        assert!(page_text(&site, &format!("notices/{slug}")).contains("attachments/form.pdf"));
    }
}

#[test]
fn an_attachment_may_not_take_the_place_of_a_page() {
    let site = TestSite::new();
    site.write("content/search/index.html", "<p>fake search</p>");
    site.write("content/attachments/index.html", "<p>x</p>");
    site.notice(
        "2014/a",
        &format!(
            "{GOOD}attachments:\n  - title: 假页面\n    file: search/index.html\n  - title: 二\n    file: attachments/index.html\n"
        ),
        "",
    );
    let errors = refused(&site);
    let d = find(
        &errors,
        "attachment `search/index.html` cannot be published",
    );
    assert_at(d, "content/notices/2014/a.md", 9);
    find(
        &errors,
        "attachment `attachments/index.html` cannot be published",
    );
}

#[test]
fn an_attachment_a_browser_would_run_is_refused() {
    let site = TestSite::new();
    site.write(
        "content/attachments/page.HTML",
        "<script src=x.js></script>",
    );
    site.write(
        "content/attachments/logo.svg",
        "<svg onload=alert(1)></svg>",
    );
    site.write("content/attachments/x.js", "alert(1)");
    site.notice(
        "2014/a",
        &format!(
            "{GOOD}attachments:\n  - title: 页面\n    file: attachments/page.HTML\n  - title: 图标\n    file: attachments/logo.svg\n"
        ),
        "[脚本](@/attachments/x.js)\n",
    );
    let errors = refused(&site);
    for (name, line) in [("page.HTML", 9), ("logo.svg", 11)] {
        let d = find(
            &errors,
            &format!("attachment `attachments/{name}` cannot be published"),
        );
        assert_at(d, "content/notices/2014/a.md", line);
        assert!(d.message.en().contains("a browser would run it"), "{d}");
    }
    let d = find(&errors, "link `@/attachments/x.js` does not resolve");
    assert!(d.message.en().contains("a browser would run it"), "{d}");
}

#[test]
fn a_supersedes_cycle_is_an_error() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        &format!(
            "{}supersedes: [k12498411/2014-00002]\n",
            front("k12498411/2014-00001")
        ),
        "",
    );
    site.notice(
        "2014/b",
        &format!(
            "{}supersedes: [k12498411/2014-00001]\n",
            front("k12498411/2014-00002")
        ),
        "",
    );
    let errors = refused(&site);
    let d = find(&errors, "`supersedes` goes round in a circle");
    assert!(
        d.message.en().contains("k12498411/2014-00001")
            && d.message.en().contains("k12498411/2014-00002"),
        "{d}"
    );
    assert_eq!(d.position.line, 7, "{d}");
    assert_eq!(
        errors
            .iter()
            .filter(|d| d.message.en().contains("circle"))
            .count(),
        1,
        "one cycle, one error"
    );
}

#[test]
fn windows_device_names_are_refused_as_ids() {
    let site = TestSite::new();
    for id in ["con", "aux", "nul", "com1"] {
        site.write(&format!("content/units/{id}.yaml"), "name: 单位\n");
    }
    site.write("content/pages/prn.md", "---\ntitle: 页\n---\n");
    site.write("content/pages/search.md", "---\ntitle: 页\n---\n");
    let errors = refused(&site);
    for id in ["con", "aux", "nul", "com1"] {
        let d = errors
            .iter()
            .find(|d| d.path.ends_with(format!("{id}.yaml")))
            .unwrap_or_else(|| panic!("no error for {id}:\n{errors}"));
        assert!(d.message.en().contains("Windows reserves"), "{d}");
    }
    find(&errors, "Windows reserves");
    find(&errors, "a page cannot be called `search`");
}

#[test]
fn control_characters_from_content_never_reach_the_terminal() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        "index_no: k12498411/2014-00065\ntitle: 通知\nissuer: \"lyg\\e]0;pwned\\a\\e[2J\"\ndate: 2014-05-07\nsummary: 概述\n",
        "",
    );
    let (code, stderr) = site.check_command();
    assert_eq!(code, Some(1));
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters on the terminal: {stderr:?}"
    );
    assert!(
        stderr.contains(r"lyg\u{1b}]0;pwned\u{7}\u{1b}[2J"),
        "{stderr}"
    );
}

#[test]
fn nul_in_a_body_becomes_a_replacement_character() {
    let site = TestSite::new();
    site.notice("2014/a", GOOD, "第一\0段\n");
    site.build("2024-12-31").expect("builds");
    let html = page_text(&site, "notices/k12498411-2014-00065");
    assert!(!html.contains('\0'));
    assert!(html.contains("第一\u{FFFD}段"), "{html}");
    let fragments = common::all_files(&site.out().join("search"));
    for f in fragments {
        let bytes = fs::read(site.out().join("search").join(&f)).expect("read");
        assert!(!bytes.contains(&0), "NUL in search/{}", f.display());
    }
}

#[test]
fn invalid_utf8_is_located_by_line_and_column_without_knock_on_errors() {
    let site = TestSite::new();
    let mut bytes = format!("---\n{}---\n第一行\n第二", front("k12498411/2014-00001")).into_bytes();
    bytes.extend([0xB5, 0xDA]); // GBK for 第
    bytes.extend("行\n".as_bytes());
    let path = site.root().join("content/notices/2014/gbk.md");
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(&path, bytes).expect("write");
    site.notice(
        "2014/b",
        &format!(
            "{}related: [k12498411/2014-00001]\n",
            front("k12498411/2014-00002")
        ),
        "",
    );
    let errors = refused(&site);
    let d = find(&errors, "not valid UTF-8");
    assert_at(d, "content/notices/2014/gbk.md", 9);
    assert_eq!(d.position.column, 3, "{d}");
    assert!(
        !errors
            .iter()
            .any(|d| d.message.en().contains("unknown notice")),
        "no knock-on error for the notice referring to it:\n{errors}"
    );
    assert_eq!(errors.errors().count(), 1, "{errors}");
}

#[cfg(unix)]
#[test]
fn symlinked_files_and_yml_extensions_are_warned_about() {
    let site = TestSite::new();
    site.notice("2014/a", GOOD, "");
    let outside = tempfile::tempdir().expect("temp");
    fs::write(
        outside.path().join("b.md"),
        format!("---\n{}---\n", front("k12498411/2014-00002")),
    )
    .expect("write");
    std::os::unix::fs::symlink(
        outside.path().join("b.md"),
        site.root().join("content/notices/2014/b.md"),
    )
    .expect("symlink");
    site.write("content/units/lyg-czj.yml", "name: 连云港市财政局\n");
    let report = site.build("2024-12-31").expect("warnings do not fail");
    assert_eq!(report.notices, 1, "the symlink is not followed");
    let warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/notices/2014/b.md") && w.contains("symbolic link")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/units/lyg-czj.yml") && w.contains("`.yaml`")),
        "{warnings:?}"
    );
}

#[test]
fn a_bom_and_crlf_keep_line_numbers_right() {
    let site = TestSite::new();
    let text = "\u{feff}---\r\nindex_no: k12498411/2014-00065\r\ntitle: 通知\r\nissuer: lyg-gov\r\ndate: 2014-02-30\r\nsummary: 概述\r\n---\r\n正文\r\n";
    site.write("content/notices/2014/a.md", text);
    let errors = refused(&site);
    let d = find(&errors, "not a real calendar date");
    assert_at(d, "content/notices/2014/a.md", 5);
    assert_eq!(d.position.column, 7);
    assert_eq!(d.line_text, "date: 2014-02-30");
    // And fixed, the BOM and CRLF build.
    site.write("content/notices/2014/a.md", &text.replace("02-30", "02-28"));
    site.build("2024-12-31").expect("BOM and CRLF build");
    assert_eq!(
        texts(&site.page("notices/k12498411-2014-00065/"), "h1"),
        ["通知"]
    );
}

#[test]
fn unclosed_and_list_shaped_front_matter_are_errors() {
    let site = TestSite::new();
    site.write("content/notices/2014/a.md", &format!("---\n{GOOD}正文\n"));
    site.write(
        "content/notices/2014/b.md",
        "---\n- index_no\n- title\n---\n",
    );
    site.write("content/notices/2014/c.md", "正文，没有元数据\n");
    let errors = refused(&site);
    let d = find(&errors, "front matter is not closed");
    assert_at(d, "content/notices/2014/a.md", 1);
    let d = errors
        .iter()
        .find(|d| d.path.ends_with("b.md"))
        .expect("list-shaped front matter");
    assert!(d.message.en().starts_with("invalid YAML"), "{d}");
    assert_eq!(d.position.line, 2, "{d}");
    let d = find(&errors, "expected front matter");
    assert_at(d, "content/notices/2014/c.md", 1);
}

#[test]
fn alias_bombs_and_deep_yaml_are_stopped_with_an_error() {
    let site = TestSite::new();
    let mut bomb =
        String::from("name: &a [\"炸\",\"炸\",\"炸\",\"炸\",\"炸\",\"炸\",\"炸\",\"炸\",\"炸\"]\n");
    let mut previous = 'a';
    for level in 'b'..='j' {
        bomb.push_str(&format!(
            "{level}: &{level} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n"
        ));
        previous = level;
    }
    site.write("content/units/bomb.yaml", &bomb);
    site.write(
        "content/units/deep.yaml",
        &format!("name: {}x{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    let errors = refused(&site);
    for file in ["bomb.yaml", "deep.yaml"] {
        let d = errors
            .iter()
            .find(|d| d.path.ends_with(file))
            .unwrap_or_else(|| panic!("no error for {file}:\n{errors}"));
        assert!(d.message.en().starts_with("invalid YAML"), "{d}");
    }
}

#[test]
fn files_past_the_size_limit_are_refused_with_the_limit_named() {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{}limits:\n  file_mb: 1\n  attachment_mb: 1\n",
            common::SITE_YAML
        ),
    );
    site.notice("2014/a", GOOD, &"正文。".repeat(200_000));
    site.write("content/attachments/big.pdf", &"x".repeat(1_100_000));
    site.notice(
        "2014/b",
        &format!(
            "{}attachments:\n  - title: 大文件\n    file: attachments/big.pdf\n",
            front("k12498411/2014-00002")
        ),
        "",
    );
    let errors = refused(&site);
    let d = find(&errors, "more than the limit of 1.0 MB");
    assert_eq!(d.path.to_string_lossy(), "content/notices/2014/a.md");
    assert!(
        d.help
            .as_ref()
            .map(|h| h.en())
            .unwrap_or("")
            .contains("file_mb"),
        "{d}"
    );
    let d = find(&errors, "attachment `attachments/big.pdf` is 1.0 MB");
    assert_at(d, "content/notices/2014/b.md", 9);
}

#[test]
fn the_total_output_has_a_limit() {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &format!("{}limits:\n  output_mb: 0\n", common::SITE_YAML),
    );
    site.notice("2014/a", GOOD, "");
    // The output's size is known only once it is rendered: `check` cannot see it.
    let errors = site.errors();
    assert_eq!(errors.len(), 1, "reported once: {errors}");
    find(&errors, "the site's output passes the limit of 0.0 MB");
    assert!(!site.out().exists());
    assert_eq!(leftovers(site.root()), Vec::<String>::new());
}

#[test]
fn script_urls_in_links_and_images_are_dropped() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        GOOD,
        "[一](javascript:alert(1)) [二](JaVaScRiPt:alert(2)) [三]( data:text/html,<script>alert(3)</script>) ![四](data:image/svg+xml,<svg onload=alert(4)>) [五](vbscript:x) [七](javascript&#58;alert(7)) [好](https://www.gov.cn/)\n\n[引用]: javascript:alert(6)\n\n[六][引用]\n",
    );
    site.build("2024-12-31").expect("builds");
    let page = site.page("notices/k12498411-2014-00065/");
    let selector =
        scraper::Selector::parse("article a[href], article img[src], main a[href], main img[src]")
            .expect("selector");
    let urls: Vec<String> = page
        .select(&selector)
        .filter_map(|e| {
            e.value()
                .attr("href")
                .or(e.value().attr("src"))
                .map(str::to_lowercase)
        })
        .collect();
    assert!(urls.iter().any(|u| u == "https://www.gov.cn/"), "{urls:?}");
    for u in &urls {
        assert!(
            !u.contains("javascript:") && !u.contains("data:") && !u.contains("vbscript:"),
            "{u}"
        );
    }
}

#[test]
fn disguised_script_urls_are_links_to_nothing_and_refused() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        GOOD,
        "[一](<java\tscript:alert(1)>)\n\n[二](%20javascript:alert(2))\n",
    );
    let errors = refused(&site);
    for (line, written) in [(8, "java\tscript:alert(1)"), (10, "%20javascript:alert(2)")] {
        let d = find(&errors, &format!("link `{written}` does not resolve"));
        assert_at(d, "content/notices/2014/a.md", line);
    }
}

#[test]
fn raw_html_is_text_when_unsafe_html_is_off() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        GOOD,
        "<div onclick=\"alert(1)\">块</div>\n\n行内<img src=x onerror=alert(2)>与<iframe src=\"https://evil.example/\"></iframe>\n\n<!-- 注释 --><style>body{display:none}</style>\n",
    );
    site.build("2024-12-31").expect("builds");
    let page = site.page("notices/k12498411-2014-00065/");
    for tag in ["div[onclick]", "img[onerror]", "iframe", "main style"] {
        let selector = scraper::Selector::parse(tag).expect("selector");
        assert!(
            page.select(&selector).next().is_none(),
            "{tag} reached the page"
        );
    }
    let text = texts(&page, "main").join(" ");
    assert!(
        text.contains("<img src=x onerror=alert(2)>"),
        "shown as text: {text}"
    );
}

/// The payloads of the injection test: each must arrive as text everywhere.
const PAYLOADS: [&str; 3] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(2)>",
    "</textarea></title></script><svg onload=alert(3)>",
];

#[test]
fn script_in_every_text_field_arrives_as_text_in_html_json_and_search() {
    let site = TestSite::new();
    let p = |i: usize| {
        serde_json::to_string(&format!("{}{}", ["甲", "乙", "丙"][i % 3], PAYLOADS[i % 3]))
            .expect("json")
    };
    site.write(
        "content/units/lyg-czj.yaml",
        &format!(
            "name: {}\nshort_name: {}\naliases: [{}]\nkind: department\nparent: lyg-gov\n",
            p(0),
            p(1),
            p(2)
        ),
    );
    site.notice(
        "2014/a",
        &format!(
            "index_no: k12498411/2014-00065\ntitle: {}\nissuer: [lyg-gov, lyg-czj]\ndoc_no: {}\ndate: 2014-05-07\ngenre: {}\ntopic: {}\nkeywords: [{}, {}]\nsummary: {}\nattachments:\n  - title: {}\n    file: attachments/a.pdf\n",
            p(0), p(1), p(2), p(0), p(1), p(2), p(0), p(1)
        ),
        &format!("{}\n\n`{}`\n", PAYLOADS[0], PAYLOADS[2]),
    );
    site.write("content/attachments/a.pdf", "%PDF");
    site.write(
        "content/bodies/b.yaml",
        &format!(
            "name: {}\noffice: {{unit: lyg-kjj, note: {}}}\nleaders:\n  - {{role: {}, title: {}, unit: lyg-gov}}\nmembers:\n  - unit: lyg-czj\n    duties: {}\nrules: {}\n",
            p(0), p(1), p(2), p(0), p(1), p(2)
        ),
    );
    site.write(
        "content/progress/p.yaml",
        &format!(
            "title: {}\nbody: b\nperiod: {{start: 2014-01-01, end: 2014-12-31}}\ncategories:\n  - number: 一\n    name: {}\n    tasks:\n      - number: 1\n        content: {}\n        lead: [lyg-czj]\n        deadline: 2014-12\n        updates:\n          - date: 2014-06-30\n            status: in_progress\n            note: {}\nnotes: {}\n",
            p(0), p(1), p(2), p(1), p(2)
        ),
    );
    site.write(
        "content/news/n.md",
        &format!(
            "---\ntitle: {}\ndate: 2014-05-08\nsource: {}\n---\n{}\n",
            p(0),
            p(1),
            PAYLOADS[2]
        ),
    );
    site.write(
        "content/pages/guide.md",
        &format!(
            "---\ntitle: {}\nsummary: {}\n---\n{}\n",
            p(2),
            p(0),
            PAYLOADS[1]
        ),
    );
    if let Err(errors) = site.build("2024-12-31") {
        panic!("{errors}");
    }
    let out = site.out();
    let mut seen_as_text = 0;
    for file in common::all_files(&out) {
        let path = out.join(&file);
        let Ok(text) = fs::read_to_string(&path) else {
            continue;
        };
        match file.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let page = scraper::Html::parse_document(&text);
                for (selector, what) in [
                    (
                        "script:not([src]):not([type=\"application/ld+json\"])",
                        "an inline script",
                    ),
                    ("[onerror], [onload]", "an event handler"),
                    ("textarea, iframe", "an element from content"),
                    ("img[src=x]", "an image from content"),
                ] {
                    let s = scraper::Selector::parse(selector).expect("selector");
                    assert!(
                        page.select(&s).next().is_none(),
                        "{} has {what}",
                        file.display()
                    );
                }
                // JSON-LD data blocks: JSON, with every `<` escaped (so the payloads'
                // `</script>` cannot end the block) and the strings as written.
                let ld = scraper::Selector::parse("script[type=\"application/ld+json\"]")
                    .expect("selector");
                for block in page.select(&ld) {
                    let text: String = block.text().collect();
                    assert!(!text.contains('<'), "{}: {text}", file.display());
                    serde_json::from_str::<serde_json::Value>(&text)
                        .unwrap_or_else(|e| panic!("{}: JSON-LD {e}: {text}", file.display()));
                }
                let visible: String = page.root_element().text().collect();
                if PAYLOADS.iter().any(|p| visible.contains(p)) {
                    seen_as_text += 1;
                }
            }
            Some("json") => {
                let value: serde_json::Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
                let _ = value;
            }
            Some("xml") => {
                assert!(
                    !text.contains("<script"),
                    "{} carries a raw script tag",
                    file.display()
                );
            }
            _ => {}
        }
    }
    assert!(
        seen_as_text >= 6,
        "payloads shown as text on only {seen_as_text} pages"
    );
    // Open data and search carry the strings as data, exactly as written.
    let title = format!("甲{}", PAYLOADS[0]);
    let notices = json_strings(&out.join("data/notices.json"));
    assert!(notices.contains(&title), "title in notices.json as data");
    let search: Vec<String> = common::all_files(&out.join("search"))
        .iter()
        .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("json"))
        .flat_map(|f| json_strings(&out.join("search").join(f)))
        .collect();
    assert!(
        search.iter().any(|s| s.contains(&title)),
        "title in the search fragments as a JSON string"
    );
}

/// Every string value in a JSON file.
fn json_strings(path: &Path) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(map) => map.values().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let value: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut out = Vec::new();
    walk(&value, &mut out);
    out
}
