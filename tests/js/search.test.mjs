// Recall, ranking and filters of the search client on the example site.
//
//   GONGKAI_SITE=/path/to/public node --test tests/js/search.test.mjs
//
// GONGKAI_SITE is a built example site (content/); the Rust test tests/search_js.rs builds
// one and runs this file. The client under test is the one the build published at
// search/gongkai-search.js, given a `fetch` that reads the site's files.

import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const SITE = process.env.GONGKAI_SITE;
if (!SITE) throw new Error("set GONGKAI_SITE to the public/ folder of a built example site");
const SITE_DIR = path.resolve(SITE);
const CLIENT = path.join(SITE_DIR, "search", "gongkai-search.js");
if (!existsSync(CLIENT)) throw new Error(`${CLIENT} is missing: is ${SITE_DIR} a built gongkai site?`);

const client = await import(pathToFileURL(CLIENT).href);
const BASE = pathToFileURL(SITE_DIR + path.sep).href;

/** A fetch reading file: URLs under the site (404 for anything else). */
async function diskFetch(url) {
  const file = fileURLToPath(new URL(url));
  if (!file.startsWith(SITE_DIR + path.sep)) return new Response("outside the site", { status: 404 });
  try {
    return new Response(await readFile(file), { status: 200 });
  } catch {
    return new Response("not found", { status: 404 });
  }
}

const newSearch = () => client.createSearch({ base: BASE, fetch: diskFetch });
const shared = newSearch();
/** Every result of a query (one shared, caching client). */
const all = (query, options = {}) => shared.search(query, { limit: 10000, facets: false, ...options });
const urls = (answer) => answer.results.map((r) => r.url);

const manifest = JSON.parse(readFileSync(path.join(SITE_DIR, "search", "manifest.json"), "utf8"));
const fragments = Array.from({ length: manifest.docs }, (_, n) =>
  JSON.parse(readFileSync(path.join(SITE_DIR, "search", "f", `${n}.json`), "utf8")),
);
// Notices, 政策解读 among them (a notice with `interprets:` is of kind "interpretation").
const notices = fragments.filter((f) => f.kind === "notice" || f.kind === "interpretation");

// The example site's notices (content/notices/).
const LYG_2014_67 = "notices/k12498411-2014-00065/"; // 连政办发〔2014〕67号, 市政府办公室关于印发…工作制度的通知
const LYG_2014_LIAISON = "notices/k12498411-2014-00078/"; // 连知联办〔2014〕1号, 失效
const LYG_2014_READING = "notices/k12498411-2014-00066/"; // 政策解读, no 文号
const LYG_2010 = "notices/k12498411-2010-00012/"; // 连政办发〔2010〕23号, 废止
const LYG_2024 = "notices/k12498411-2024-00031/"; // 连知联办〔2024〕3号, 会议通知
const LYG_2019 = "notices/k12498411-2019-00027/"; // 连科规〔2019〕3号, 废止 2024
// The 政策解读 of 连科规〔2024〕1号, 2号, 3号 (2024-00006, 00018, 00025), newest first.
const LYG_2024_READINGS = ["notices/k12498411-2024-00026/", "notices/k12498411-2024-00019/", "notices/k12498411-2024-00007/"];
const GZ_2007 = "notices/007482947-2007-00025/"; // 穗府办〔2007〕25号
const GZ_2008 = "notices/696915012-2008-00011/"; // 穗知〔2008〕11号, 失效
const LYG_KJJ = "units/lyg-kjj/"; // 连云港市科学技术局

test("the example site is what these tests expect", () => {
  assert.equal(manifest.version, 2);
  assert.equal(manifest.grams, 4);
  assert.equal(manifest.hash, "fnv1a32");
  for (const url of [LYG_2014_67, LYG_2014_LIAISON, LYG_2014_READING, LYG_2010, GZ_2007, GZ_2008, LYG_KJJ]) {
    assert.ok(fragments.some((f) => f.url === url), `no fragment for ${url}`);
  }
  assert.equal(notices.length, 15);
});

test("the tokenizer is the twin of src/search/tokenize.rs", () => {
  assert.deepEqual(client.indexTerms("知识产权"), ["知", "知识", "识", "识产", "知识产", "产", "产权", "识产权", "知识产权", "权"]);
  assert.deepEqual(client.indexTerms("〔2014〕67号"), [
    "〔2014", ">2", ">20", ">201", ">2014", "2014〕", "〔2014〕", "〕67", "2014〕67", "〔2014〕67", ">6", ">67",
    "67号", "〕67号", "2014〕67号", "号",
  ]);
  assert.deepEqual(client.queryTerms("知识产"), ["知识产"]);
  assert.deepEqual(client.queryTerms("知识产权局"), ["知识产权", "识产权局"]);
  assert.deepEqual(client.queryTerms("〔2014〕11号"), ["〔2014〕11", "2014〕11号"]);
  assert.deepEqual(client.pairTerms("知识产权"), ["知识", "识产", "产权"]);
  assert.deepEqual(client.queryTerms("67号"), ["67号"]);
  assert.deepEqual(client.queryTerms("知"), ["知"]);
  assert.deepEqual(client.queryTerms("K1249"), [">k1249"]);
  assert.deepEqual(client.queryTerms("聯席 會議", manifest.fold), ["联席", "会议"]);
  assert.equal(client.codeTerm("连政办发〔2014〕67号"), "#连政办发201467号");
  assert.equal(client.codeTerm("连政办发 [2014] 67 号"), "#连政办发201467号");
  assert.equal(client.codeTerm("k12498411/2014-00065"), "#k12498411201400065");
  assert.equal(client.codeTerm("67号"), null);
  assert.equal(client.fold("聯席會議ＡＢｃ１２\u3000K", manifest.fold), "联席会议abc12 k");
  assert.deepEqual(client.tokenize("连政办发〔2014〕67号"), [["连", "政", "办", "发", "〔", "2014", "〕", "67", "号"]]);
  assert.deepEqual(client.tokenize("连政办发[2014]67号"), [["连", "政", "办", "发"], ["2014"], ["67", "号"]]);
  assert.equal(client.fnv1a(""), 2166136261);
  assert.equal(client.fnv1a("a"), 0xe40c292c);
});

test("substrings find the notice: 知识产, 联席会议", async () => {
  for (const query of ["知识产", "联席会议", "知识产权联席会议工作制度", "工作制度", "市政府办公室"]) {
    const answer = await all(query);
    assert.ok(urls(answer).includes(LYG_2014_67), `${query} should find ${LYG_2014_67}: ${urls(answer)}`);
    assert.equal(answer.total, answer.results.length);
  }
});

test("every substring of two to four characters of a notice title finds that notice", async () => {
  let queries = 0;
  for (const notice of notices) {
    for (const run of client.tokenize(notice.title, manifest.fold)) {
      for (let size = 2; size <= 4; size++) {
        for (let i = 0; i + size <= run.length; i++) {
          const query = run.slice(i, i + size).join("");
          const answer = await all(query);
          assert.ok(urls(answer).includes(notice.url), `"${query}" should find ${notice.url} (${notice.title})`);
          const hit = answer.results.find((r) => r.url === notice.url);
          assert.ok(hit.score >= 100, `"${query}" is in the title of ${notice.url}: score ${hit.score}`);
          queries++;
        }
      }
    }
  }
  assert.ok(queries > 100, `only ${queries} substrings tried`);
});

test("文号 fragments and whole 文号 rank their notice first", async () => {
  for (const [query, url] of [
    ["67号", LYG_2014_67],
    ["连政办发〔2014〕67号", LYG_2014_67],
    ["连政办发[2014]67号", LYG_2014_67],
    ["连政办发201467号", LYG_2014_67],
    ["穗府办〔2007〕25号", GZ_2007],
    ["穗知〔2008〕11号", GZ_2008],
    ["连政办发〔2010〕23号", LYG_2010],
    ["23号", LYG_2010],
  ]) {
    const answer = await all(query);
    assert.equal(answer.results[0]?.url, url, `"${query}" → ${urls(answer)}`);
  }
  // A whole 文号 is an exact code match.
  const exact = await all("连政办发〔2014〕67号");
  assert.ok(exact.results[0].score >= 1000, `score ${exact.results[0].score}`);
  assert.ok(exact.results.slice(1).every((r) => r.score < 1000), "only one notice has that 文号");
  // Notices citing it in their text come after it.
  assert.ok(urls(exact).includes(LYG_2014_LIAISON));
  // The 文号 of the result shows what matched.
  const fragment = (await all("67号")).results[0];
  assert.equal(fragment.docNoHtml, "连政办发〔2014〕<mark>67号</mark>");
  const index = (await all("k12498411/2014-00065")).results[0];
  assert.equal(index.indexNoHtml, "<mark>k12498411</mark>/<mark>2014</mark>-<mark>00065</mark>");
});

test("every notice's own 文号 and 索引号 rank it first", async () => {
  for (const notice of notices) {
    for (const code of [notice.doc_no, notice.index_no].filter(Boolean)) {
      const answer = await all(code);
      assert.equal(answer.results[0]?.url, notice.url, `"${code}" → ${urls(answer)}`);
      assert.ok(answer.results[0].score >= 1000);
    }
  }
});

test("索引号, in any case and width, ranks its notice first", async () => {
  for (const query of ["k12498411/2014-00065", "K12498411/2014-00065", "Ｋ１２４９８４１１／２０１４－０００６５"]) {
    const answer = await all(query);
    assert.equal(answer.results[0]?.url, LYG_2014_67, `"${query}" → ${urls(answer)}`);
  }
  // A prefix of the 索引号 finds every notice of that unit.
  const prefix = await all("k12498411");
  for (const url of [LYG_2014_67, LYG_2014_LIAISON, LYG_2014_READING, LYG_2010]) assert.ok(urls(prefix).includes(url));
});

test("traditional queries find what simplified ones do", async () => {
  for (const [traditional, simplified] of [
    ["聯席會議", "联席会议"],
    ["知識產權", "知识产权"],
    ["連雲港", "连云港"],
    ["工作規則", "工作规则"],
    ["廣州市", "广州市"],
  ]) {
    const t = await all(traditional);
    const s = await all(simplified);
    assert.ok(s.total > 0, `"${simplified}" finds nothing`);
    assert.deepEqual(urls(t), urls(s), `"${traditional}" and "${simplified}"`);
  }
  const answer = await all("聯席會議");
  assert.ok(urls(answer).includes(LYG_2014_67));
  // The snippet highlights the simplified text the traditional query stands for.
  const hit = answer.results.find((r) => r.url === LYG_2014_67);
  assert.match(hit.snippetHtml, /<mark>联席会议<\/mark>/);
});

test("filter: validity", async () => {
  const expired = await all("知识产权", { filters: { validity: ["expired"] } });
  assert.deepEqual(new Set(urls(expired)), new Set([LYG_2014_LIAISON, GZ_2008]));
  for (const r of expired.results) {
    assert.equal(r.validity, "expired");
    assert.equal(r.validity_label, "失效");
  }
  const either = await all("知识产权", { filters: { validity: ["expired", "repealed"] } });
  assert.deepEqual(new Set(urls(either)), new Set([LYG_2014_LIAISON, GZ_2008, LYG_2010, LYG_2019]));
  const none = await all("知识产权", { filters: { validity: ["no-such-value"] } });
  assert.equal(none.total, 0);
});

test("filter: issuer", async () => {
  const gz = await all("知识产权", { filters: { issuer: ["gz-gov-office"] } });
  assert.deepEqual(urls(gz), [GZ_2007]);
  const lyg = await all("联席会议", { filters: { issuer: ["lyg-gov", "lyg-kjj"] } });
  assert.deepEqual(new Set(urls(lyg)), new Set([LYG_2024, LYG_2014_67, LYG_2014_LIAISON, LYG_2014_READING, LYG_2010]));
});

test("filter: year and 发文日期 range", async () => {
  const y2014 = await all("联席会议", { filters: { year: ["2014"] } });
  assert.deepEqual(new Set(urls(y2014)), new Set([LYG_2014_67, LYG_2014_LIAISON, LYG_2014_READING]));
  for (const r of y2014.results) assert.match(r.date, /^2014-/);
  // The year filter works without facets.json (from the manifest) and with it.
  const withFacets = await newSearch().search("联席会议", { filters: { year: ["2014"] }, limit: 100 });
  assert.deepEqual(urls(withFacets), urls(y2014));

  const may = await all("联席会议", { dateFrom: "2014-05-01", dateTo: "2014-05-31" });
  assert.deepEqual(urls(may), [LYG_2014_READING, LYG_2014_67]);
  const since = await all("联席会议", { dateFrom: "2014-05-12" });
  for (const r of since.results) assert.ok(r.date >= "2014-05-12", `${r.url} ${r.date}`);
  assert.ok(urls(since).includes(LYG_2014_READING) && !urls(since).includes(LYG_2014_67));
  const until = await all("联席会议", { dateTo: "2010-12-31" });
  for (const r of until.results) assert.ok(r.date && r.date <= "2010-12-31", `${r.url} ${r.date}`);
  assert.ok(urls(until).includes(LYG_2010));
  const empty = await all("联席会议", { dateFrom: "2030-01-01" });
  assert.equal(empty.total, 0);
});

test("filter: kind", async () => {
  const units = await all("科学技术局", { filters: { kind: ["unit"] } });
  assert.ok(urls(units).includes(LYG_KJJ), urls(units).join(" "));
  for (const r of units.results) assert.equal(r.kind, "unit");
  const noticesOnly = await all("联席会议", { filters: { kind: ["notice"] } });
  for (const r of noticesOnly.results) assert.equal(r.kind, "notice");
  // Five notices name 联席会议; the 政策解读 among them is of its own kind.
  assert.ok(noticesOnly.total >= 4);
});

test("filter: kind 政策解读 finds exactly the notices that interpret others", async () => {
  // The example site's four 政策解读: 2014-00066 (`interprets: [k12498411/2014-00065]`) and
  // those of the three 2024 规范性文件; only 2014-00066 speaks of 联席会议.
  const interpreting = fragments.filter((f) => f.kind === "interpretation").map((f) => f.url);
  assert.deepEqual(interpreting, [...LYG_2024_READINGS, LYG_2014_READING]);
  const readings = await all("", { filters: { kind: ["interpretation"] } });
  assert.deepEqual(urls(readings), [...LYG_2024_READINGS, LYG_2014_READING]);
  assert.equal(readings.results[0].kind_label, "政策解读");
  const withQuery = await all("联席会议", { filters: { kind: ["interpretation"] } });
  assert.deepEqual(urls(withQuery), [LYG_2014_READING]);
  // The filter offers it under its label, with its count.
  const answer = await shared.search("联席会议", { limit: 10 });
  const value = answer.facets.kind.find((v) => v.value === "interpretation");
  assert.deepEqual([value?.label, value?.count], ["政策解读", 1]);
  // And the 文件 kind no longer holds it.
  const plain = await all("联席会议", { filters: { kind: ["notice"] } });
  assert.ok(!urls(plain).includes(LYG_2014_READING));
});

test("filters combine: AND across fields, OR within a field", async () => {
  const answer = await all("联席会议", { filters: { year: ["2014", "2010"], validity: ["effective"] } });
  assert.deepEqual(new Set(urls(answer)), new Set([LYG_2014_67, LYG_2014_READING]));
  // Filters alone, without a query: every matching document, newest first.
  const byIssuer = await all("", { filters: { issuer: ["lyg-gov"] } });
  assert.deepEqual(urls(byIssuer), [LYG_2014_67, LYG_2010]);
});

test("exact: a run matches where it stands contiguously; its pairs apart are a scattered match, after, labelled", async () => {
  // The Jintai notice holds 产监 (生产监…) and 监督 in different fields, never 产监督;
  // the unit 国有资产监督管理委员会 and the body it sits in hold the phrase.
  const scattered = "notices/11610303016031240Y-2022-00046/";
  const exact = await all("产监督");
  assert.ok(!urls(exact).includes(scattered), urls(exact).join(", "));
  assert.equal(exact.scattered, null, "scattered matches are not looked for unless asked");
  for (const r of exact.results) {
    assert.equal(r.exact, true);
    assert.ok(r.title.includes("产监督") || r.snippet.includes("产监督"), `${r.url} shows the phrase`);
  }
  const answer = await all("产监督", { scattered: true });
  assert.equal(answer.total, exact.total, "total counts the exact matches");
  assert.equal(answer.scattered, 1);
  assert.deepEqual(urls(answer).slice(0, exact.total), urls(exact), "exact matches first, in the same order");
  assert.equal(urls(answer).at(-1), scattered, "the scattered match comes last");
  assert.equal(answer.results.at(-1).exact, false);
  const html = readFileSync(path.join(SITE_DIR, scattered, "index.html"), "utf8");
  assert.ok(!html.includes("产监督"), "the scattered page really lacks the phrase");
  // A plan task (dated 2007) holding 权行 in its units and 行政 in its text is no exact
  // match; asked for, it comes after the exact ones, even after the undated body.
  const admin = await all("权行政");
  assert.equal(admin.results.length, 2, urls(admin).join(", "));
  for (const r of admin.results) {
    const page = readFileSync(path.join(SITE_DIR, r.url, "index.html"), "utf8");
    assert.ok(page.includes("权行政"), `${r.url} holds the phrase`);
  }
  const loose = await all("权行政", { scattered: true });
  assert.equal(loose.results.length, 3);
  const last = loose.results.at(-1);
  assert.equal(last.kind, "task");
  assert.equal(last.exact, false);
  assert.ok(!`${last.title}${last.snippet}`.includes("权行政"));
  // Paging over the exact matches alone does not look for scattered ones.
  const first = await newSearch().search("权行政", { limit: 1, facets: false, scattered: true });
  assert.equal(first.scattered, null);
  assert.equal(first.results[0].exact, true);
});

test("exact: every notice found by a 文号 run holds it contiguously", async () => {
  for (const query of ["〔2014〕67号", "〔2014〕1号", "〔2024〕3号", "政办发〔2014〕"]) {
    const answer = await all(query);
    assert.ok(answer.total > 0, query);
    for (const r of answer.results) {
      const page = readFileSync(path.join(SITE_DIR, r.url, "index.html"), "utf8");
      assert.ok(page.includes(query), `${query}: ${r.url} lacks it`);
    }
    for (const f of notices) {
      if ((f.doc_no ?? "").includes(query)) assert.ok(urls(answer).includes(f.url), `${query} misses ${f.url}`);
    }
  }
  // 〔2014〕1号 is not 〔2014〕11号's: whole numbers.
  const one = await all("〔2014〕1号");
  assert.ok(one.results.every((r) => !(r.doc_no ?? "").includes("〔2014〕11号")));
});

test("ranking: title above body, ties newest first, sort by date", async () => {
  const liaison = await all("联络员");
  const titled = liaison.results.filter((r) => r.title.includes("联络员"));
  const untitled = liaison.results.filter((r) => !r.title.includes("联络员"));
  assert.ok(titled.length >= 1 && untitled.length >= 1);
  const lastTitled = Math.max(...titled.map((r) => liaison.results.indexOf(r)));
  const firstUntitled = Math.min(...untitled.map((r) => liaison.results.indexOf(r)));
  assert.ok(lastTitled < firstUntitled, "title matches come before body-only matches");
  assert.equal(liaison.results[0].url, LYG_2014_LIAISON);

  for (const query of ["知识产权", "联席会议", "67号", "示范"]) {
    const answer = await all(query);
    const order = answer.results.map((r) => r.doc ?? fragments.findIndex((f) => f.url === r.url));
    for (let i = 1; i < answer.results.length; i++) {
      const [a, b] = [answer.results[i - 1], answer.results[i]];
      assert.ok(a.score >= b.score, `"${query}": scores descend`);
      if (a.score === b.score) {
        assert.ok(order[i - 1] < order[i], `"${query}": ties in document order`);
        assert.ok(!b.date || (a.date && a.date >= b.date), `"${query}": ties newest first (${a.date} / ${b.date})`);
      }
    }
  }
  // 67号 in a 文号 (code) beats 67号 in a summary (meta) beats 67号 in a body.
  const code = await all("67号");
  assert.deepEqual(urls(code).slice(0, 1), [LYG_2014_67]);
  assert.ok(code.results[0].score > code.results[code.results.length - 1].score);

  const byDate = await all("知识产权", { sort: "date" });
  let previous = "9999-99-99";
  let undated = false;
  for (const r of byDate.results) {
    if (!r.date) undated = true;
    else {
      assert.ok(!undated, "undated results come last");
      assert.ok(r.date <= previous, `date order: ${r.date} after ${previous}`);
      previous = r.date;
    }
  }
});

test("nonsense finds nothing", async () => {
  for (const query of ["zzzzqqq", "鑫鑫鑫鑫", "   ", ""]) {
    const answer = await shared.search(query);
    assert.equal(answer.total, 0, `"${query}"`);
    assert.deepEqual(answer.results, []);
  }
  const facets = (await shared.search("zzzzqqq")).facets;
  for (const values of Object.values(facets)) assert.deepEqual(values, []);
});

test("facet counts agree with totals", async () => {
  for (const query of ["知识产权", "联席会议", "67号"]) {
    const answer = await shared.search(query, { limit: 5 });
    const kinds = answer.facets.kind.reduce((sum, v) => sum + v.count, 0);
    assert.equal(kinds, answer.total, `"${query}": every result has one kind`);
    for (const [field, values] of Object.entries(answer.facets)) {
      for (const v of values) {
        assert.ok(v.count > 0 && v.count <= answer.total, `${field}=${v.value}: ${v.count}`);
        assert.equal(typeof v.label, "string");
        const filtered = await all(query, { filters: { [field]: [v.value] } });
        assert.equal(filtered.total, v.count, `"${query}" ${field}=${v.value}`);
      }
    }
    const years = answer.facets.year.reduce((sum, v) => sum + v.count, 0);
    const dated = (await all(query)).results.filter((r) => r.date).length;
    assert.equal(years, dated, `"${query}": dated results by year`);
  }
  // With a filter, the other fields count within the filtered results.
  const filtered = await shared.search("联席会议", { filters: { validity: ["effective"] } });
  assert.equal(filtered.facets.kind.reduce((sum, v) => sum + v.count, 0), filtered.total);
  assert.equal(filtered.facets.validity.find((v) => v.value === "effective").count, filtered.total);
  assert.ok(filtered.facets.validity.find((v) => v.value === "effective").selected);
});

test("filters keep exactly the documents holding the value", async () => {
  const everything = await all("知识产权");
  const answer = await shared.search("知识产权", { limit: 0 });
  assert.ok(answer.facets.validity.length >= 2, "the example site has several 时效 values");
  for (const v of answer.facets.validity) {
    const expected = everything.results.filter((r) => r.validity === v.value).map((r) => r.url);
    const filtered = await all("知识产权", { filters: { validity: [v.value] } });
    assert.deepEqual(filtered.results.map((r) => r.url).sort(), expected.sort(), `validity=${v.value}`);
  }
  for (const v of answer.facets.year) {
    const expected = everything.results.filter((r) => r.date?.startsWith(v.value)).map((r) => r.url);
    const filtered = await all("知识产权", { filters: { year: [v.value] } });
    assert.deepEqual(filtered.results.map((r) => r.url).sort(), expected.sort(), `year=${v.value}`);
  }
  assert.ok(answer.facets.issuer.length >= 3, "the example site has several issuers");
  for (const v of answer.facets.issuer) {
    const filtered = await all("知识产权", { filters: { issuer: [v.value] } });
    assert.ok(filtered.total > 0, `issuer=${v.value}`);
    for (const r of filtered.results) {
      if (r.kind === "notice") assert.ok(r.issuer?.includes(v.label), `${r.url} is issued by ${v.label}`);
    }
  }
});

test("results carry what the page shows, and snippets mark the match", async () => {
  const answer = await shared.search("知识产", { limit: 50 });
  const hit = answer.results.find((r) => r.url === LYG_2014_67);
  assert.ok(hit);
  assert.equal(hit.title, "市政府办公室关于印发连云港市知识产权联席会议工作制度的通知");
  assert.equal(hit.kind, "notice");
  assert.equal(hit.date, "2014-05-07");
  assert.equal(hit.issuer, "连云港市人民政府");
  assert.equal(hit.validity, "effective");
  assert.equal(hit.validity_label, "有效");
  assert.equal(hit.doc_no, "连政办发〔2014〕67号");
  assert.equal(hit.index_no, "k12498411/2014-00065");
  assert.ok(!hit.url.startsWith("/") && hit.url.endsWith("/"), hit.url);
  assert.ok(existsSync(path.join(SITE_DIR, hit.url, "index.html")), `${hit.url}index.html exists`);
  assert.ok(hit.snippet.length > 0 && [...hit.snippet].length <= 82);
  assert.ok(hit.highlights.length > 0);
  for (const [start, end] of hit.highlights) assert.equal(hit.snippet.slice(start, end), "知识产");
  assert.match(hit.snippetHtml, /<mark>知识产<\/mark>/);
  assert.match(hit.titleHtml, /<mark>知识产<\/mark>权/);
  // Every result's page exists.
  for (const r of answer.results) assert.ok(existsSync(path.join(SITE_DIR, r.url, "index.html")), r.url);
  // HTML is escaped.
  const { highlight } = client;
  const marked = highlight("<b>知识产权</b>", [Array.from("知识")]);
  assert.equal(marked.html, "&lt;b&gt;<mark>知识</mark>产权&lt;/b&gt;");
});

test("offset and limit page through the same order", async () => {
  const full = await all("知识产权");
  assert.ok(full.total > 25);
  const pages = [];
  for (let offset = 0; offset < full.total; offset += 10) {
    const page = await shared.search("知识产权", { offset, limit: 10, facets: false });
    assert.equal(page.total, full.total);
    pages.push(...urls(page));
  }
  assert.deepEqual(pages, urls(full));
});

test("stats count the bytes and files fetched, and files are fetched once", async () => {
  const search = newSearch();
  assert.deepEqual(search.stats(), { bytes: 0, files: 0 });
  await search.search("联席会议", { facets: false });
  const first = search.stats();
  assert.ok(first.files >= 3, JSON.stringify(first)); // manifest, shards, fragments
  assert.ok(first.bytes > 1000);
  await search.search("联席会议", { facets: false });
  assert.deepEqual(search.stats(), first, "a repeated search fetches nothing");
  // Without facets and filters, facets.json is not fetched.
  const fetched = [];
  const spy = client.createSearch({ base: BASE, fetch: (url) => (fetched.push(url), diskFetch(url)) });
  await spy.search("联席会议", { facets: false, limit: 3 });
  assert.ok(!fetched.some((u) => u.endsWith("facets.json")), fetched.join("\n"));
  assert.ok(!fetched.some((u) => u.endsWith("dates.json")));
  assert.equal(fetched.filter((u) => u.includes("/search/f/")).length, 3);
  let bytes = 0;
  for (const u of fetched) bytes += (await readFile(fileURLToPath(u))).length;
  assert.equal(spy.stats().bytes, bytes);
});
