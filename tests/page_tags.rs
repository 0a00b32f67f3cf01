//! Page tags (国办发〔2017〕47号《政府网站发展指引》 网页设计规范, docs/portal.md), canonical
//! URLs, Open Graph and JSON-LD on every page of the example site, by page type; the
//! footer's identity from site.yaml; the favicon, `robots.txt` and the 网站地图 page.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{SITE_YAML, TestSite};
use scraper::{Html, Selector};

/// The tags of the specification, as it spells them.
const SITE_TAGS: [&str; 3] = ["SiteName", "SiteDomain", "SiteIDCode"];
const COLUMN_TAGS: [&str; 4] = [
    "ColumnName",
    "ColumnDescription",
    "ColumnKeywords",
    "ColumnType",
];
const ARTICLE_TAGS: [&str; 6] = [
    "ArticleTitle",
    "PubDate",
    "ContentSource",
    "Keywords",
    "Description",
    "Url",
];

/// What a page is, by where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Home, 404 and free pages: the site's tags only.
    Plain,
    /// Lists, year pages, the registry, progress, bodies, news, search, 网站地图, 开放数据.
    Column,
    /// Notices, news items, units, bodies, plans, annual reports.
    Content,
}

fn kind(path: &str) -> Kind {
    let parts: Vec<&str> = path.trim_end_matches("index.html").split('/').collect();
    let parts: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [
            "notices" | "news" | "units" | "bodies" | "progress" | "search" | "sitemap" | "data"
            | "disclosure" | "catalog" | "interpretations" | "reports",
        ] => Kind::Column,
        ["notices" | "interpretations", "page", _] | ["notices", _, "page", _] => Kind::Column,
        ["catalog", "topic" | "genre" | "issuer", _] => Kind::Column,
        ["catalog", "topic" | "genre" | "issuer", _, "page", _] => Kind::Column,
        ["notices", year] if year.parse::<u16>().is_ok() => Kind::Column,
        ["progress", _, "units", _] => Kind::Column,
        [
            "notices" | "news" | "units" | "bodies" | "progress" | "reports",
            _,
        ] => Kind::Content,
        _ => Kind::Plain,
    }
}

fn select<'a>(page: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let s = Selector::parse(selector).expect("selector");
    page.select(&s).collect()
}

/// Every `<meta name>` of the page: name (as written) → values, in order.
fn meta_tags(page: &Html) -> BTreeMap<String, Vec<String>> {
    let mut tags: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for m in select(page, "head meta[name]") {
        let name = m.value().attr("name").unwrap_or_default().to_string();
        let value = m.value().attr("content").unwrap_or_default().to_string();
        tags.entry(name).or_default().push(value);
    }
    tags
}

fn html_pages(out: &Path) -> Vec<(String, Html)> {
    common::all_files(out)
        .into_iter()
        .filter(|f| f.extension().and_then(|e| e.to_str()) == Some("html"))
        .map(|f| {
            let text = fs::read_to_string(out.join(&f)).expect("page");
            (f.display().to_string(), Html::parse_document(&text))
        })
        .collect()
}

fn is_pub_date(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 16
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

fn has_han(value: &str) -> bool {
    value
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn every_page_carries_exactly_the_tags_of_its_type_each_once() {
    let out = common::built_example_site();
    let mut seen: BTreeMap<Kind, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (path, page) in html_pages(out) {
        let kind = kind(&path);
        *seen.entry(kind).or_default() += 1;
        let tags = meta_tags(&page);
        // HTML meta names are case-insensitive: `keywords` and `Keywords` are one name.
        let mut folded: BTreeMap<String, usize> = BTreeMap::new();
        for (name, values) in &tags {
            *folded.entry(name.to_lowercase()).or_default() += values.len();
        }
        for (name, n) in &folded {
            if *n > 1 {
                problems.push(format!("{path}: <meta name={name}> {n} times"));
            }
        }
        let mut expected: Vec<&str> = SITE_TAGS.to_vec();
        match kind {
            Kind::Column => expected.extend(COLUMN_TAGS),
            // A content page names its column (name and type) as well.
            Kind::Content => {
                expected.extend(ARTICLE_TAGS);
                expected.extend(["ColumnName", "ColumnType"]);
            }
            Kind::Plain => {}
        }
        let spec: Vec<&str> = SITE_TAGS
            .iter()
            .chain(&COLUMN_TAGS)
            .chain(&ARTICLE_TAGS)
            .copied()
            .collect();
        let mut present: Vec<&str> = spec
            .iter()
            .copied()
            .filter(|t| tags.contains_key(*t))
            .collect();
        // A free page may describe itself (its `summary`).
        if kind == Kind::Plain && !path.starts_with("index") && path != "404.html" {
            present.retain(|t| *t != "Description");
        }
        present.sort_unstable();
        expected.sort_unstable();
        if present != expected {
            problems.push(format!(
                "{path} ({kind:?}): tags {present:?}, expected {expected:?}"
            ));
        }
        for (name, values) in &tags {
            if values.iter().any(|v| v.trim().is_empty()) {
                problems.push(format!("{path}: <meta name={name}> is empty"));
            }
        }
        if let Some([date]) = tags.get("PubDate").map(Vec::as_slice)
            && !is_pub_date(date)
        {
            problems.push(format!("{path}: PubDate {date:?} is not YYYY-MM-DD HH:MM"));
        }
        for name in ["ColumnName", "ColumnType", "ContentSource", "Validity"] {
            if let Some([value]) = tags.get(name).map(Vec::as_slice)
                && !has_han(value)
            {
                problems.push(format!("{path}: {name} {value:?} is not in Chinese"));
            }
        }
        // base_url is set: the canonical URL, Open Graph and the Url tag agree.
        if path != "404.html" {
            let canonical: Vec<&str> = select(&page, "link[rel=canonical]")
                .iter()
                .filter_map(|l| l.value().attr("href"))
                .collect();
            let og_url: Vec<&str> = select(&page, "meta[property=\"og:url\"]")
                .iter()
                .filter_map(|l| l.value().attr("content"))
                .collect();
            let folder = path.trim_end_matches("index.html");
            let want = format!("https://ip.example.gov.cn/{folder}");
            if canonical != [want.as_str()] || og_url != [want.as_str()] {
                problems.push(format!(
                    "{path}: canonical {canonical:?}, og:url {og_url:?}, want {want}"
                ));
            }
            if kind == Kind::Content && tags.get("Url") != Some(&vec![want.clone()]) {
                problems.push(format!("{path}: Url {:?}", tags.get("Url")));
            }
            for property in ["og:title", "og:type", "og:site_name"] {
                if select(&page, &format!("meta[property=\"{property}\"]")).len() != 1 {
                    problems.push(format!("{path}: no single {property}"));
                }
            }
        }
        if select(&page, "head link[rel=icon]").len() != 1 {
            problems.push(format!("{path}: no single <link rel=icon>"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Each type is there, in numbers: 8 notices, 4 news items, 100 units, 3 bodies, 1 plan.
    let (notices, news, units, bodies, plans) = (8, 4, 100, 3, 1);
    assert!(
        seen[&Kind::Content] >= notices + news + units + bodies + plans,
        "{seen:?}"
    );
    assert!(seen[&Kind::Column] >= 10, "{seen:?}");
    assert!(seen[&Kind::Plain] >= 4, "{seen:?}");
}

/// The 信息公开 columns name themselves as the landing page does, with their own type.
#[test]
fn disclosure_columns_carry_their_own_column_tags() {
    let out = common::built_example_site();
    for (url, name, kind) in [
        ("disclosure/", "信息公开", "信息公开"),
        ("catalog/", "公开目录", "信息公开"),
        ("catalog/topic/t460ac637/", "公开目录", "信息公开"),
        ("catalog/genre/gfe845d75/", "公开目录", "信息公开"),
        ("catalog/issuer/lyg-gov/", "公开目录", "信息公开"),
        ("interpretations/", "政策解读", "解读回应"),
        ("reports/", "年度报告", "信息公开"),
    ] {
        let page = common::read_page(out, url);
        let tags = meta_tags(&page);
        assert_eq!(tags["ColumnName"], [name], "{url}");
        assert_eq!(tags["ColumnType"], [kind], "{url}");
        for tag in ["ColumnDescription", "ColumnKeywords"] {
            assert!(
                tags[tag].len() == 1 && has_han(&tags[tag][0]),
                "{url}: {tag}"
            );
        }
        // The header marks 信息公开 as the current section.
        let current: Vec<String> = select(&page, ".site-nav a[aria-current=page]")
            .iter()
            .map(|a| a.text().collect())
            .collect();
        assert_eq!(current, ["信息公开"], "{url}");
    }
}

#[test]
fn notice_tags_say_what_the_metadata_block_says() {
    let out = common::built_example_site();
    let page = common::read_page(out, "notices/k12498411-2014-00065/");
    let tags = meta_tags(&page);
    let one = |name: &str| tags[name][0].clone();
    assert_eq!(
        one("ArticleTitle"),
        "市政府办公室关于印发连云港市知识产权联席会议工作制度的通知"
    );
    assert_eq!(one("PubDate"), "2014-05-07 00:00");
    assert_eq!(
        one("ContentSource"),
        common::meta_value(&page, "发布机构").unwrap()
    );
    assert_eq!(one("Keywords"), "知识产权,联席会议,工作制度");
    assert_eq!(one("Validity"), "有效");
    assert_eq!(one("IndexNo"), "k12498411/2014-00065");
    assert_eq!(one("SiteIDCode"), "3207000001");
    assert_eq!(one("ColumnName"), "政府文件");
    assert_eq!(one("ColumnType"), "信息公开");
    assert_eq!(one("SiteDomain"), "ip.example.gov.cn");
    // JSON-LD: an Article published by its issuers (docs/portal.md).
    let ld = json_ld(&page);
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["identifier"], "k12498411/2014-00065");
    assert_eq!(ld["publisher"][0]["@type"], "GovernmentOrganization");
    assert_eq!(ld["publisher"][0]["name"], "连云港市人民政府");
}

fn json_ld(page: &Html) -> serde_json::Value {
    let blocks = select(page, "script[type=\"application/ld+json\"]");
    assert_eq!(blocks.len(), 1, "one JSON-LD block");
    let text: String = blocks[0].text().collect();
    serde_json::from_str(&text).expect("JSON-LD is JSON")
}

#[test]
fn unit_pages_describe_a_government_organization() {
    let out = common::built_example_site();
    let page = common::read_page(out, "units/lyg-kjj/");
    let ld = json_ld(&page);
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "GovernmentOrganization");
    assert_eq!(ld["name"], "连云港市科学技术局");
    assert_eq!(ld["parentOrganization"]["name"], "连云港市人民政府");
    assert_eq!(meta_tags(&page)["ArticleTitle"], ["连云港市科学技术局"]);
}

#[test]
fn json_ld_escapes_what_could_end_its_block() {
    let site = TestSite::new();
    site.write(
        "content/units/lyg-czj.yaml",
        "name: \"财政局</script><script>alert(1)</script>&<!--\"\nkind: department\n",
    );
    site.build("2024-12-31").expect("builds");
    let text = fs::read_to_string(site.out().join("units/lyg-czj/index.html")).expect("page");
    let page = Html::parse_document(&text);
    // The one inline script element is the JSON-LD block, whole: nothing in the name ended
    // it (the theme's 长者模式 switch is a file, `assets/elder.<hash>.js`).
    assert_eq!(select(&page, "script:not([src])").len(), 1, "{text}");
    let block: String = select(&page, "script:not([src])")[0].text().collect();
    assert!(!block.contains('<'), "{block}");
    assert_eq!(
        json_ld(&page)["name"],
        "财政局</script><script>alert(1)</script>&<!--"
    );
}

#[test]
fn the_footer_shows_the_sites_identity_with_links_to_the_record_sites() {
    let out = common::built_example_site();
    for url in ["", "notices/k12498411-2014-00065/", "units/", "404.html"] {
        let page = common::read_page(out, url);
        let footer = common::texts(&page, "footer.site-footer").join(" ");
        for text in [
            "主办单位：连云港市知识产权联席会议办公室",
            "承办单位：连云港市科学技术局（知识产权局）",
            "地址：连云港市朝阳东路2号",
            "电话：0518-00000000",
            "邮箱：ip@example.gov.cn",
            "办公时间：工作日 8:30-12:00 14:00-17:30",
            "网站标识码：3207000001",
            "苏ICP备00000000号",
            "苏公网安备 32070002000000号",
            "网站地图",
            "纠错",
        ] {
            assert!(
                footer.contains(text),
                "{url}: footer lacks {text}: {footer}"
            );
        }
        let href = |selector: &str| {
            select(&page, selector)
                .first()
                .and_then(|a| a.value().attr("href"))
                .map(str::to_string)
        };
        assert_eq!(
            href("footer a.icp").as_deref(),
            Some("https://beian.miit.gov.cn/")
        );
        let police = href("footer a.police-record").expect("公网安备 link");
        assert!(
            police.starts_with("https://beian.mps.gov.cn/") && police.ends_with("=32070002000000"),
            "{police}"
        );
        assert_eq!(
            href("footer a.feedback").as_deref(),
            Some("mailto:ip@example.gov.cn")
        );
        let sitemap = select(&page, "footer a")
            .into_iter()
            .find(|a| a.text().collect::<String>() == "网站地图")
            .and_then(|a| a.value().attr("href").map(str::to_string))
            .expect("a 网站地图 link");
        assert!(sitemap.ends_with("sitemap/index.html"), "{sitemap}");
    }
    assert!(
        common::broken_links(out).is_empty(),
        "{:?}",
        common::broken_links(out)
    );
}

#[test]
fn the_sitemap_page_lists_every_column_and_the_lists() {
    let out = common::built_example_site();
    let page = common::read_page(out, "sitemap/");
    let links: Vec<(String, String)> = select(&page, "main a")
        .iter()
        .map(|a| {
            (
                a.text().collect::<String>(),
                a.value().attr("href").unwrap_or_default().to_string(),
            )
        })
        .collect();
    for (name, href) in [
        ("首页", "../index.html"),
        ("政府文件", "../notices/index.html"),
        ("工作动态", "../news/index.html"),
        ("工作进度", "../progress/index.html"),
        ("协调机构", "../bodies/index.html"),
        ("机构名录", "../units/index.html"),
        ("信息公开", "../disclosure/index.html"),
        ("公开目录", "../catalog/index.html"),
        ("政策解读", "../interpretations/index.html"),
        ("年度报告", "../reports/index.html"),
        ("政府信息公开制度", "../rules/index.html"),
        (
            "主题分类：科技、教育",
            "../catalog/topic/t460ac637/index.html",
        ),
        ("文种：通知", "../catalog/genre/gfe845d75/index.html"),
        ("搜索", "../search/index.html"),
        ("2014年文件", "../notices/2014/index.html"),
        ("政府信息公开指南", "../guide/index.html"),
    ] {
        assert!(
            links.iter().any(|(n, h)| n == name && h == href),
            "网站地图 lacks {name} → {href}: {links:?}"
        );
    }
    // Every plan and body is named too.
    assert!(
        links
            .iter()
            .any(|(_, h)| h.starts_with("../progress/") && h != "../progress/index.html")
    );
    assert_eq!(
        links
            .iter()
            .filter(|(_, h)| h.starts_with("../bodies/") && h != "../bodies/index.html")
            .count(),
        3
    );
}

#[test]
fn robots_txt_names_the_sitemap_and_the_theme_favicon_is_written() {
    let out = common::built_example_site();
    let robots = fs::read_to_string(out.join("robots.txt")).expect("robots.txt");
    assert_eq!(
        robots,
        "User-agent: *\nAllow: /\n\nSitemap: https://ip.example.gov.cn/sitemap.xml\n"
    );
    let favicon = common::theme_asset(out, "", "favicon", "svg");
    let svg = fs::read_to_string(out.join(&favicon)).expect("theme favicon");
    assert!(svg.starts_with("<svg"), "{svg}");
    let home = common::read_page(out, "");
    let icon = select(&home, "link[rel=icon]")[0]
        .value()
        .attr("href")
        .map(str::to_string);
    assert_eq!(icon, Some(favicon));
}

#[test]
fn without_base_url_no_canonical_and_robots_names_no_sitemap() {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &SITE_YAML.replace("base_url: https://ip.example.gov.cn/\n", ""),
    );
    site.notice(
        "2024/a",
        "index_no: k12498411/2024-00001\ntitle: 通知\nissuer: lyg-gov\ndate: 2024-01-02\nsummary: 概述\n",
        "正文\n",
    );
    site.build("2024-12-31").expect("builds");
    let robots = fs::read_to_string(site.out().join("robots.txt")).expect("robots.txt");
    assert_eq!(robots, "User-agent: *\nAllow: /\n");
    let page = site.page("notices/k12498411-2024-00001/");
    assert!(select(&page, "link[rel=canonical], meta[property]").is_empty());
    let tags = meta_tags(&page);
    assert!(!tags.contains_key("SiteDomain"));
    // The Url tag is then the page's folder from the site root.
    assert_eq!(tags["Url"], ["notices/k12498411-2024-00001/"]);
    // No keywords or 时效 words given: the tags still say something, in Chinese.
    assert_eq!(tags["Keywords"], ["通知"]);
    assert_eq!(tags["Description"], ["概述"]);
    assert_eq!(tags["Validity"], ["有效"]);
}

#[test]
fn a_sites_own_favicon_and_party_gov_mark_are_published_and_linked() {
    let site = TestSite::new();
    site.write(
        "content/site.yaml",
        &format!(
            "{SITE_YAML}party_gov_mark: assets/dzjg.png\nparty_gov_mark_url: https://bszs.conac.cn/sitename?method=show&id=1\n"
        ),
    );
    site.write("content/favicon.png", "\u{89}PNG");
    site.write("content/assets/dzjg.png", "\u{89}PNG");
    site.build("2024-12-31").expect("builds");
    let out = site.out();
    assert!(out.join("favicon.png").is_file());
    assert!(out.join("assets/dzjg.png").is_file());
    let page = site.page("units/lyg-kjj/");
    let icon = select(&page, "link[rel=icon]");
    assert_eq!(icon.len(), 1);
    assert_eq!(icon[0].value().attr("href"), Some("../../favicon.png"));
    assert_eq!(icon[0].value().attr("type"), Some("image/png"));
    let mark = select(&page, "footer .party-gov-mark a img");
    assert_eq!(mark.len(), 1, "the mark links to its verification page");
    assert_eq!(mark[0].value().attr("src"), Some("../../assets/dzjg.png"));
    assert_eq!(mark[0].value().attr("alt"), Some("党政机关网站标识"));
    let link = select(&page, "footer .party-gov-mark a")[0]
        .value()
        .attr("href");
    assert_eq!(
        link,
        Some("https://bszs.conac.cn/sitename?method=show&id=1")
    );
    assert!(
        common::broken_links(&out).is_empty(),
        "{:?}",
        common::broken_links(&out)
    );
}

#[test]
fn identity_fields_that_could_harm_a_reader_are_refused() {
    for (yaml, needle) in [
        ("feedback_url: javascript:alert(1)\n", "feedback_url"),
        (
            "party_gov_mark_url: data:text/html,x\n",
            "party_gov_mark_url",
        ),
        ("party_gov_mark: ../secret.png\n", "party_gov_mark"),
        ("party_gov_mark: mark.svg\n", "party_gov_mark"),
        ("party_gov_mark: missing.png\n", "party_gov_mark"),
    ] {
        let site = TestSite::new();
        site.write("content/site.yaml", &format!("{SITE_YAML}{yaml}"));
        let errors = site.errors();
        common::find(&errors, needle);
    }
}

#[test]
fn pub_date_carries_the_time_published_gives() {
    let out = common::built_example_site();
    // content/notices/2014/lyg-ip-liaison-rules.md: `published: 2014-06-23 09:30`.
    let page = common::read_page(out, "notices/k12498411-2014-00078/");
    assert_eq!(meta_tags(&page)["PubDate"], ["2014-06-23 09:30"]);
    assert_eq!(json_ld(&page)["datePublished"], "2014-06-23T09:30");
    assert_eq!(
        common::meta_value(&page, "发布日期").as_deref(),
        Some("2014-06-23")
    );
    let site = TestSite::new();
    site.notice(
        "2024/a",
        "index_no: k12498411/2024-00001\ntitle: 通知\nissuer: lyg-gov\ndate: 2024-01-02\npublished: 2024-01-03 25:00\nsummary: 概述\n",
        "正文\n",
    );
    common::find(&site.errors(), "date and time");
}
