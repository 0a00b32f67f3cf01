//! Links between documents in Markdown: checked by `gongkai check` with path:line, and
//! rewritten to the linked page's relative URL in the built site.

mod common;

use common::{TestSite, find};

fn front(index_no: &str) -> String {
    format!(
        "index_no: {index_no}\ntitle: 通知{index_no}\nissuer: lyg-gov\ndate: 2014-05-07\nsummary: 概述\n"
    )
}

/// The `href` of the link whose text is `text` on the page at `url`.
fn href(site: &TestSite, url: &str, text: &str) -> String {
    let page = site.page(url);
    let selector = scraper::Selector::parse("main a[href]").expect("selector");
    page.select(&selector)
        .find(|a| a.text().collect::<String>().trim() == text)
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .unwrap_or_else(|| panic!("no link {text:?} on {url}"))
}

#[test]
fn internal_links_resolve_to_the_pages_they_name() {
    let site = TestSite::new();
    site.write("content/attachments/2014/表.pdf", "%PDF");
    site.write("content/pages/guide.md", "---\ntitle: 公开指南\n---\n见[通知一](notice:k12498411/2014-00001#二)和[科技局](@/units/lyg-kjj.yaml)。\n");
    site.notice(
        "2014/a",
        &front("k12498411/2014-00001"),
        "## 二\n\n[另一通知](b.md)、[指南](page:guide)、[申请表](../../attachments/2014/表.pdf)、[政府](unit:lyg-gov)、[外部](https://www.gov.cn/)\n",
    );
    site.notice("2014/b", &front("k12498411/2014-00002"), "");
    if let Err(e) = site.build("2024-12-31") {
        panic!("{e}");
    }
    let notice = "notices/k12498411-2014-00001/";
    assert_eq!(
        href(&site, notice, "另一通知"),
        "../../notices/k12498411-2014-00002/index.html"
    );
    assert_eq!(href(&site, notice, "指南"), "../../guide/index.html");
    // pulldown-cmark percent-encodes the href, as a URL should be.
    assert_eq!(
        href(&site, notice, "申请表"),
        "../../attachments/2014/%E8%A1%A8.pdf"
    );
    assert_eq!(
        href(&site, notice, "政府"),
        "../../units/lyg-gov/index.html"
    );
    assert_eq!(href(&site, notice, "外部"), "https://www.gov.cn/");
    assert_eq!(
        href(&site, "guide/", "通知一"),
        "../notices/k12498411-2014-00001/index.html#%E4%BA%8C"
    );
    assert_eq!(
        href(&site, "guide/", "科技局"),
        "../units/lyg-kjj/index.html"
    );
    // A linked file is published even though no notice lists it as an attachment.
    assert!(site.out().join("attachments/2014/表.pdf").is_file());
    assert_eq!(common::broken_links(&site.out()), Vec::<String>::new());
}

#[test]
fn links_that_do_not_resolve_are_errors_at_their_line() {
    let site = TestSite::new();
    site.notice(
        "2014/a",
        &front("k12498411/2014-00001"),
        "第一段\n\n[旧通知](notice:k12498411/2013-00009)\n\n[机构](unit:lyg-kj)\n\n[文件](../2013/missing.md)\n\n![图](@/attachments/none.png)\n\n[站内](/units/lyg-gov/)\n\n[外](../../../../etc/passwd)\n",
    );
    site.write(
        "content/bodies/b.yaml",
        "name: 联席会议\nmembers:\n  - unit: lyg-kjj\n    duties: 见[规则](page:rules)\n",
    );
    let errors = gongkai::check(&site.options("2024-12-31")).expect_err("bad links");
    let path = "content/notices/2014/a.md";
    for (needle, line) in [
        ("unknown notice `k12498411/2013-00009`", 10),
        ("unknown unit `lyg-kj`", 12),
        ("not a published document", 14),
        ("link `@/attachments/none.png` does not resolve", 16),
        ("starts from the server root", 18),
        ("leads outside content/", 20),
    ] {
        let d = find(&errors, needle);
        assert_eq!(d.path.to_string_lossy(), path, "{d}");
        assert_eq!(d.position.line, line, "{d}");
    }
    let d = find(&errors, "unknown page `rules`");
    assert_eq!(d.path.to_string_lossy(), "content/bodies/b.yaml");
    assert_eq!(d.position.line, 3);
    // build refuses the same links.
    assert_eq!(site.errors().errors().count(), errors.errors().count());
}

#[test]
fn a_link_to_a_draft_is_an_error_unless_drafts_are_built() {
    let site = TestSite::new();
    site.notice("2014/a", &front("k12498411/2014-00001"), "[草稿](b.md)\n");
    site.notice(
        "2014/b",
        &format!("{}draft: true\n", front("k12498411/2014-00002")),
        "[回](a.md)\n",
    );
    let errors = gongkai::check(&site.options("2024-12-31")).expect_err("draft link");
    find(&errors, "not a published document");
    assert_eq!(
        errors.errors().count(),
        1,
        "links from the draft are not checked: {errors}"
    );
    let mut options = site.options("2024-12-31");
    options.drafts = true;
    gongkai::check(&options).expect("with drafts");
}
