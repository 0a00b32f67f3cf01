#!/usr/bin/env node
// Recall and precision of gongkai's search alone, in Node (no Pagefind, no browser):
//
//   node bench/compare-pagefind/precision.mjs <public-dir> [--queries FILE]
//
// The same ground truth and scoring as compare.mjs (the notices whose folded title, 文号
// and body contain the query), the same default queries, the site's own client run on its
// files. Per query: the truth, the exact results (`total`), recall, precision against the
// truth and against the whole page (a notice holding the query in its metadata block —
// summary, keywords, issuer — is a right answer the truth leaves out), and the scattered
// matches the search page would list after them (`scattered: true`).

import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { DEFAULT_QUERIES, loadNotices, makeFold, score } from "./compare.mjs";

const args = process.argv.slice(2);
const publicDir = path.resolve(args[0] ?? "");
if (!args[0]) {
  console.error("usage: precision.mjs <public-dir> [--queries FILE]");
  process.exit(2);
}
const at = args.indexOf("--queries");
const queries =
  at >= 0
    ? readFileSync(args[at + 1], "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    : DEFAULT_QUERIES;

const manifest = JSON.parse(readFileSync(path.join(publicDir, "search", "manifest.json"), "utf8"));
const fold = makeFold(manifest.fold ?? "");
console.error("reading the notice pages for the ground truth …");
const notices = loadNotices(publicDir, fold);
const mod = await import(pathToFileURL(path.join(publicDir, "search", "gongkai-search.js")).href);
const fetch = async (url) => {
  const rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, "");
  try {
    return new Response(await readFile(path.join(publicDir, rel)), { status: 200 });
  } catch {
    return new Response("not found", { status: 404 });
  }
};
const search = mod.createSearch({ base: "http://bench.invalid/", fetch });
const pct = (x) => (x == null ? "n/a" : `${(100 * x).toFixed(1)}%`);

const out = [
  `# gongkai recall and precision: ${publicDir}`,
  "",
  `${notices.length.toLocaleString("en-US")} notice pages; truth = notices whose folded title, 文号 and body contain the query.`,
  "",
  "| query | truth | exact results | recall | precision (truth) | precision (page) | extra: elsewhere on page / not on page / not notices | scattered |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
];
for (const query of queries) {
  const { total } = await search.search(query, { limit: 0, facets: false });
  const { results, scattered } = await search.search(query, { limit: total, facets: false });
  const loose = await search.search(query, { limit: 1, offset: total, facets: false, scattered: true });
  const s = score({ urls: results.map((r) => r.url) }, query, fold, notices);
  out.push(
    `| ${query} | ${s.truth} | ${total} | ${pct(s.recall)} | ${pct(s.precision)} | ${pct(s.pagePrecision)} | ` +
      `${s.meta} / ${s.falsePos} / ${s.other} | ${loose.scattered ?? scattered ?? "—"} |`,
  );
}
console.log(out.join("\n"));
