#!/usr/bin/env node
// Bytes a search costs the reader: runs gongkai's own search client (search/gongkai-search.js
// of a built site) in Node with a `fetch` that reads the site's files from disk, one fresh
// client per query so nothing is cached between queries, and prints a Markdown report.
//
//   node bench/search-bytes.mjs <public-dir> [queries-file]
//
// queries-file: one query per line; blank lines and lines starting with `#` are skipped.
// Without it, a default list of 20 queries drawn from the corpus vocabulary is used (the
// 索引号 query is taken from the site itself: its first notice).
//
// Budgets (exit status 1 when broken, so this can serve as a check):
//   * a query (manifest + shards + the fragments of its first 10 results) fetches at most
//     300 KB; the run with facets (adding facets.json, the filter counts, which the /search/
//     page fetches after showing the results, once per visit) is reported beside it;
//   * no file under search/ is larger than 1 MB.
// Warm latency (reported, and listed as a problem over budget, without failing the run:
// timings on a shared machine vary): one client for all queries; each query is run once
// to fetch its files, then timed WARM_RUNS times (`search(q, { limit: 10, facets: false })`,
// files cached, fragments included); the report gives the median and p95 of every timed
// run, budget p95 ≤ 50 ms.
// KB = 1,000 bytes, MB = 1,000,000 bytes (the stricter reading of the budgets would be
// 1,024-based; the report prints exact byte counts of the worst cases so either can be read).
//
// No npm dependency: Node 20+ only.

import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

export const QUERY_BUDGET = 300_000;
/** Warm search latency, p95 over every timed run, in ms (reported; see bench/README.md). */
export const LATENCY_BUDGET_MS = 50;
/** Timed runs of each query on the warm client. */
const WARM_RUNS = 7;
export const FILE_BUDGET = 1_000_000;
// The client is given an http URL as its base; the fetch below maps its paths to files.
const ORIGIN = "http://bench.invalid";

export const DEFAULT_QUERIES = [
  "知识产权",
  "联席会议",
  "专项资金",
  "行政执法",
  "知识产",
  "执法",
  "宣传",
  "专利导航",
  "质押融资",
  "地理标志",
  "商标品牌",
  "成员单位",
  "版权保护",
  "考核办法",
  "实施方案",
  "侵权假冒",
  "信息公开",
  "贯标",
  "62号", // 文号 fragment (…〔2019〕62号; in the synthetic corpus of 10,000 notices and up)
  // + the 索引号 of the site's first notice, appended by defaultQueries()
];

/** The default queries plus one 索引号 read from the site (`notices/<id>/` folders). */
export function defaultQueries(publicDir) {
  const queries = [...DEFAULT_QUERIES];
  const notices = path.join(publicDir, "notices");
  if (existsSync(notices)) {
    const id = readdirSync(notices)
      .filter((name) => /^[0-9a-z]+-\d{4}-\d+$/i.test(name))
      .sort()[0];
    if (id) queries.push(id.replace(/^(.*)-(\d{4}-\d+)$/, "$1/$2"));
  }
  return queries;
}

export function readQueries(file) {
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}

/** Every file under `dir`: [{ rel, size }]. */
export function walk(dir, rel = "") {
  const out = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...walk(dir, child));
    else if (entry.isFile()) out.push({ rel: child, size: statSync(path.join(dir, child)).size });
  }
  return out;
}

/** Size, count and largest file of a folder; gzip: also the sum of each file gzipped. */
export function dirStats(dir, { gzip = false } = {}) {
  const files = walk(dir);
  let bytes = 0;
  let gz = 0;
  let largest = { rel: "", size: 0 };
  for (const file of files) {
    bytes += file.size;
    if (file.size > largest.size) largest = file;
    if (gzip) gz += gzipSize(path.join(dir, file.rel));
  }
  return { bytes, files: files.length, largest, gzip: gzip ? gz : undefined };
}

const gzipCache = new Map();
/** Bytes of a file as a compressing server would send it (gzip level 6); files that are
 *  already gzip (Pagefind's) count as they are. */
export function gzipSize(file) {
  let size = gzipCache.get(file);
  if (size === undefined) {
    const data = readFileSync(file);
    size = data[0] === 0x1f && data[1] === 0x8b ? data.length : gzipSync(data).length;
    gzipCache.set(file, size);
  }
  return size;
}

const TYPES = {
  ".json": "application/json",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".html": "text/html; charset=utf-8",
};

/** A `fetch` reading `ORIGIN/<path>` from `root`, recording every file it served. */
export function diskFetch(root) {
  const log = [];
  const fetch = async (input) => {
    const url = new URL(typeof input === "string" ? input : input.url, `${ORIGIN}/`);
    const rel = decodeURIComponent(url.pathname).replace(/^\/+/, "");
    const file = path.join(root, rel);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      log.push({ rel, bytes: 0, status: 404 });
      return new Response("not found", { status: 404 });
    }
    const body = await readFile(file);
    log.push({ rel, bytes: body.length, gzip: gzipSize(file), status: 200 });
    const type = TYPES[path.extname(file)] ?? "application/octet-stream";
    return new Response(body, { status: 200, headers: { "content-type": type } });
  };
  return { fetch, log };
}

export async function loadClient(publicDir) {
  const file = path.join(publicDir, "search", "gongkai-search.js");
  if (!existsSync(file)) throw new Error(`${file} does not exist: is this a built gongkai site?`);
  const mod = await import(pathToFileURL(file).href);
  if (typeof mod.createSearch !== "function") {
    throw new Error(
      `${file} does not export createSearch (${statSync(file).size} bytes: still the placeholder?)`,
    );
  }
  return mod;
}

/** The number of results of a search answer, whatever the client names it. */
export function resultTotal(answer) {
  if (answer == null) return NaN;
  for (const key of ["total", "count", "n"]) {
    if (typeof answer[key] === "number") return answer[key];
  }
  if (Array.isArray(answer.results)) return answer.results.length;
  if (Array.isArray(answer)) return answer.length;
  return NaN;
}

/** One query with a fresh client: { total, bytes, files, fetched, fetchedBytes, gzip, ms }. */
export async function measureQuery(client, publicDir, query, options) {
  const { fetch, log } = diskFetch(path.resolve(publicDir));
  const search = client.createSearch({ base: `${ORIGIN}/`, fetch });
  const started = performance.now();
  const answer = await search.search(query, options);
  const ms = performance.now() - started;
  const stats = search.stats();
  const ok = log.filter((entry) => entry.status === 200);
  return {
    query,
    answer,
    total: resultTotal(answer),
    bytes: stats.bytes,
    files: stats.files,
    fetched: ok.length,
    fetchedBytes: ok.reduce((sum, entry) => sum + entry.bytes, 0),
    gzip: ok.reduce((sum, entry) => sum + entry.gzip, 0),
    missing: log.filter((entry) => entry.status !== 200).map((entry) => entry.rel),
    largest: ok.reduce((max, entry) => (entry.bytes > max.bytes ? entry : max), { bytes: 0 }),
    ms,
  };
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export const kb = (bytes) => (bytes / 1000).toFixed(1);
const mb = (bytes) => (bytes / 1e6).toFixed(2);
const int = (n) => (Number.isFinite(n) ? n.toLocaleString("en-US") : String(n));

async function main() {
  const [publicArg, queriesFile] = process.argv.slice(2);
  if (!publicArg || publicArg === "--help" || publicArg === "-h") {
    console.log("usage: node bench/search-bytes.mjs <public-dir> [queries-file]");
    process.exit(publicArg ? 0 : 2);
  }
  const publicDir = path.resolve(publicArg);
  const queries = queriesFile ? readQueries(queriesFile) : defaultQueries(publicDir);
  const client = await loadClient(publicDir);

  const rows = [];
  for (const query of queries) {
    const plain = await measureQuery(client, publicDir, query, { limit: 10, facets: false });
    const faceted = await measureQuery(client, publicDir, query, { limit: 10, facets: true });
    rows.push({ query, plain, faceted });
  }

  // Warm latency: one client, files already fetched.
  const warm = diskFetch(path.resolve(publicDir));
  const warmClient = client.createSearch({ base: `${ORIGIN}/`, fetch: warm.fetch });
  const timings = [];
  const perQuery = [];
  for (const query of queries) await warmClient.search(query, { limit: 10, facets: false });
  for (const query of queries) {
    const times = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      const started = performance.now();
      await warmClient.search(query, { limit: 10, facets: false });
      times.push(performance.now() - started);
    }
    timings.push(...times);
    perQuery.push({ query, median: percentile(times, 50), max: Math.max(...times) });
  }

  const problems = [];
  const out = [];
  out.push(`# Search bytes: ${publicDir}`, "");
  out.push(
    "Fresh client per query; `search(q, { limit: 10, facets })`; bytes are the client's " +
      "`stats().bytes` (raw, as stored); gzip = the same files gzipped, as a compressing " +
      "server would send them.",
    "",
  );
  out.push(
    "| query | results | KB | files | gzip KB | ms | KB with facets | files with facets | gzip KB with facets |",
  );
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const { query, plain, faceted } of rows) {
    out.push(
      `| ${query} | ${int(plain.total)} | ${kb(plain.bytes)} | ${plain.files} | ${kb(plain.gzip)} | ` +
        `${plain.ms.toFixed(0)} | ${kb(faceted.bytes)} | ${faceted.files} | ${kb(faceted.gzip)} |`,
    );
    for (const [label, m] of [["facets: false", plain], ["facets: true", faceted]]) {
      if (m.bytes !== m.fetchedBytes || m.files !== m.fetched) {
        problems.push(
          `stats() disagrees with the fetches for "${query}" (${label}): stats ${m.bytes} B / ` +
            `${m.files} files, fetched ${m.fetchedBytes} B / ${m.fetched} files`,
        );
      }
      if (m.missing.length) {
        problems.push(`"${query}" (${label}) asked for missing files: ${m.missing.join(", ")}`);
      }
      // The budget is the issue's: manifest + shards + 10 fragments. facets.json (the
      // filter counts, fetched once per visit and cached) is reported, not budgeted.
      if (label === "facets: false" && m.bytes > QUERY_BUDGET) {
        problems.push(
          `over budget: "${query}" (${label}) fetched ${int(m.bytes)} B > ${int(QUERY_BUDGET)} B ` +
            `(largest file ${m.largest.rel}, ${int(m.largest.bytes)} B)`,
        );
      }
    }
    if (plain.total !== faceted.total) {
      problems.push(`"${query}": ${plain.total} results without facets, ${faceted.total} with`);
    }
  }
  out.push("");

  const summary = (label, key) => {
    const bytes = rows.map((row) => row[key].bytes);
    const gz = rows.map((row) => row[key].gzip);
    const files = rows.map((row) => row[key].files);
    const worst = rows.reduce((a, b) => (b[key].bytes > a[key].bytes ? b : a));
    return (
      `| ${label} | ${kb(percentile(bytes, 50))} | ${kb(percentile(bytes, 90))} | ` +
      `${kb(Math.max(...bytes))} (${worst.query}, ${int(worst[key].bytes)} B) | ` +
      `${kb(percentile(gz, 50))} | ${kb(Math.max(...gz))} | ${percentile(files, 50)} | ${Math.max(...files)} |`
    );
  };
  out.push(
    "| run | median KB | p90 KB | max KB | median gzip KB | max gzip KB | median files | max files |",
  );
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  out.push(summary("facets: false", "plain"));
  out.push(summary("facets: true", "faceted"));
  out.push("");

  const slowest = perQuery.reduce((a, b) => (b.median > a.median ? b : a));
  const p95 = percentile(timings, 95);
  out.push("| warm latency (ms) | median | p95 | max | slowest query (its median) |", "|---|---:|---:|---:|---|");
  out.push(
    `| ${timings.length} runs (${WARM_RUNS} a query) | ${percentile(timings, 50).toFixed(1)} | ${p95.toFixed(1)} | ` +
      `${Math.max(...timings).toFixed(1)} | ${slowest.query} (${slowest.median.toFixed(1)}) |`,
  );
  out.push("");
  if (p95 > LATENCY_BUDGET_MS) {
    problems.push(`warm latency p95 ${p95.toFixed(1)} ms > ${LATENCY_BUDGET_MS} ms (not failing: timings vary on a shared machine)`);
  }

  const searchDir = path.join(publicDir, "search");
  const all = dirStats(searchDir, { gzip: true });
  const big = walk(searchDir).filter((file) => file.size > FILE_BUDGET);
  const sub = (name) => {
    const dir = path.join(searchDir, name);
    return existsSync(dir) ? dirStats(dir) : { bytes: 0, files: 0, largest: { rel: "-", size: 0 } };
  };
  out.push("| search/ | value |", "|---|---|");
  out.push(`| total size | ${mb(all.bytes)} MB (${int(all.bytes)} B); gzipped file by file ${mb(all.gzip)} MB |`);
  out.push(`| files | ${int(all.files)} |`);
  out.push(`| largest file | ${all.largest.rel}, ${kb(all.largest.size)} KB (${int(all.largest.size)} B) |`);
  for (const name of ["s", "t", "f"]) {
    const s = sub(name);
    out.push(
      `| ${name}/ | ${int(s.files)} files, ${mb(s.bytes)} MB, largest ${name}/${s.largest.rel} ${kb(s.largest.size)} KB |`,
    );
  }
  for (const name of ["manifest.json", "facets.json", "dates.json", "gongkai-search.js"]) {
    const file = path.join(searchDir, name);
    if (existsSync(file)) out.push(`| ${name} | ${kb(statSync(file).size)} KB |`);
  }
  out.push(`| files over ${int(FILE_BUDGET)} B | ${big.length} |`);
  out.push("");
  for (const file of big.sort((a, b) => b.size - a.size).slice(0, 20)) {
    problems.push(`file over budget: search/${file.rel} is ${int(file.size)} B > ${int(FILE_BUDGET)} B`);
  }
  if (big.length > 20) problems.push(`… and ${big.length - 20} more files over ${int(FILE_BUDGET)} B`);

  if (problems.length) {
    out.push("Problems:", "", ...problems.map((p) => `- ${p}`), "");
  } else {
    out.push("All queries and files within budget.", "");
  }
  console.log(out.join("\n"));
  const failed = problems.some((p) => p.startsWith("over budget") || p.startsWith("file over") || p.startsWith("…"));
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error?.stack ?? String(error));
    process.exit(2);
  });
}
