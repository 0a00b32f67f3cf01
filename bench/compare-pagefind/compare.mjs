#!/usr/bin/env node
// gongkai's static search against Pagefind on the same built site, in headless Chromium.
//
//   cd bench/compare-pagefind && npm install        # once: installs the pinned Pagefind
//   node --experimental-websocket compare.mjs <public-dir> [options]
//
// What it does:
//   1. copies <public-dir> to a work folder (the built site is never touched) and runs
//      Pagefind's indexer on the copy, once per variant (each into its own subfolder):
//        default  `pagefind --site <copy> --output-subdir pagefind`          (zero config)
//        main     the same with `--root-selector main` (site header, navigation and
//                 footer left out: what a site would configure; see README)
//      Pagefind picks the language from <html lang="zh-CN"> (→ index "zh-cn"); the script
//      checks that exactly one zh-* language was found and re-indexes with
//      `--force-language zh-cn` otherwise.
//   2. measures the size and file count of each pagefind*/ folder and of search/;
//   3. serves the copy with a tiny node:http server on 127.0.0.1 and drives Chromium
//      (/usr/bin/chromium, DevTools protocol over Node's WebSocket) through a harness page
//      it writes into the copy (__bench/index.html). For every query and engine: a fresh
//      browser context, cache disabled (Network.setCacheDisabled), then
//        phase 1 "top 10": the search plus the display data of its first 10 results
//          (Pagefind: search() then data() of results[0..10]; gongkai: search(q,
//          { limit: 10, facets: false })) — the bytes the server sent during this phase
//          are the query's bytes;
//        phase 2 "all": the URL of every result, for recall (Pagefind: the ids of all
//          results, mapped to URLs from the bundle's fragment files on disk; gongkai: the
//          same client module run in Node on the files, search(q, { limit: <all> })).
//   4. ground truth: the notice pages (notices/<id>/index.html) whose visible title + body
//      text (<header class=notice-header>: the <h1> title and the 文号 line under it, and
//      <div class=prose>: the body), tags stripped and folded (full-width → ASCII, lower case,
//      traditional → simplified with the site's own one-character OpenCC map from
//      search/manifest.json), contains the folded query as a substring.
//      recall = |engine's notice results ∩ truth| / |truth|. Results outside the truth are
//      split into: notices holding the query elsewhere on the page (metadata block:
//      summary, issuer, keywords, 文号 …, or the site header/footer: legitimate), notices
//      whose page text does not contain it at all (false positives), and pages that are
//      not notices (listings, units …).
//
// Options:
//   --queries FILE     one query per line (# comments); default: the list below
//   --work DIR         work folder for the copy (default: /tmp/gongkai-compare/<name>)
//   --reuse            reuse an existing copy and its Pagefind bundles in --work (the
//                      copy's search/ is refreshed from <public-dir> all the same)
//   --variants LIST    Pagefind variants, comma-separated (default: default,main)
//   --engines LIST     gongkai,pagefind (default: both)
//   --no-recall        bytes only (no ground truth, no phase 2): for very large sites
//   --json FILE        also write every measurement as JSON
//   --chromium PATH    (default: /usr/bin/chromium)
//
// Bytes are counted by the server: body bytes of every 200 response during phase 1,
// split into code (.js, .css, .wasm and Pagefind's wasm.*.pagefind) and data (everything
// else: indexes, shards, fragments). "gzip" is the data as a compressing server would send
// it: Pagefind's files are gzip already and count as they are; gongkai's JSON counts
// gzipped (level 6). The server itself sends identity bytes.

import { spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { readFile } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { dirStats, gzipSize, percentile } from "../search-bytes.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

// Substrings of the corpus vocabulary, most of them crossing the words a dictionary
// segmenter cuts (知识|产权, 联席|会议, 成员|单位, 行政|执法 …), plus whole words,
// a 文号 fragment and traditional-character spellings.
export const DEFAULT_QUERIES = [
  // whole words (every engine should find these)
  "知识产权",
  "联席会议",
  "专项资金",
  "行政执法",
  "专利资助",
  "创新券",
  // prefixes, suffixes and infixes that cross the words a dictionary segmenter cuts
  "知识产",
  "识产权",
  "联席会",
  "席会议",
  "员单位",
  "执法协",
  "法与刑",
  "权质押",
  "品牌培",
  "导航工",
  "守土尽",
  "会议办公",
  "单位要",
  "政局关",
  "会关于",
  "年度知",
  "度高新",
  "强市建",
  "券工作",
  "场监管",
  // in no notice (产权局 is in a unit's name): every notice result is a false positive
  "产权局",
  "议成员",
  "执法行",
  // 文号 fragments and runs (the brackets 〔〕 are part of the run: found contiguously)
  "62号",
  "政办发",
  "〔2019〕8号",
  "〔2014〕11号",
  "江政办发〔2019〕8号",
  // traditional characters (the pages are simplified)
  "聯席會議",
  "知識產權",
  "專項資金",
  "行政執法",
  "識產權",
];

const CODE_EXT = /\.(js|mjs|css|wasm)$|(^|\/)wasm\.[^/]*\.pagefind$/;

// ---------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const args = {
    publicDir: null,
    queries: null,
    work: null,
    reuse: false,
    variants: ["default", "main"],
    engines: ["gongkai", "pagefind"],
    recall: true,
    json: null,
    chromium: "/usr/bin/chromium",
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--queries") args.queries = value();
    else if (arg === "--work") args.work = value();
    else if (arg === "--reuse") args.reuse = true;
    else if (arg === "--variants") args.variants = value().split(",").filter(Boolean);
    else if (arg === "--engines") args.engines = value().split(",").filter(Boolean);
    else if (arg === "--no-recall") args.recall = false;
    else if (arg === "--json") args.json = value();
    else if (arg === "--chromium") args.chromium = value();
    else if (arg === "--help" || arg === "-h") {
      console.log(readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n\nimport")[0]);
      process.exit(0);
    } else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else if (!args.publicDir) args.publicDir = arg;
    else throw new Error(`unexpected argument ${arg}`);
  }
  if (!args.publicDir) throw new Error("usage: compare.mjs <public-dir> [options] (--help)");
  for (const v of args.variants) {
    if (!VARIANTS[v]) throw new Error(`unknown variant ${v} (${Object.keys(VARIANTS).join(", ")})`);
  }
  return args;
}

const VARIANTS = {
  default: { subdir: "pagefind", args: [] },
  main: { subdir: "pagefind-main", args: ["--root-selector", "main"] },
};

// ---------------------------------------------------------------------------------------
// Text, folding and ground truth

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };
const BLOCK =
  /^(p|div|h[1-6]|li|ul|ol|td|th|tr|table|thead|tbody|dt|dd|dl|br|hr|section|article|header|footer|nav|main|blockquote|pre|figure|figcaption|form|label|button|input|aside)$/i;

/** Visible text of an HTML fragment: tags out (block tags become line breaks), entities decoded. */
export function htmlText(html) {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, "")
    .replace(/<\/?([a-zA-Z0-9]+)\b[^>]*>/g, (_, tag) => (BLOCK.test(tag) ? "\n" : ""))
    .replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
      if (e[0] === "#") {
        const code = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return String.fromCodePoint(code);
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    });
}

/** The folding of docs/search.md, step 1 (full-width, lower case, t2s one-to-one). */
export function makeFold(manifestFold) {
  const map = new Map();
  const chars = [...manifestFold];
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
  return (text) => {
    let out = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0);
      if (cp >= 0xff01 && cp <= 0xff5e) out += String.fromCodePoint(cp - 0xfee0).toLowerCase();
      else if (cp === 0x3000) out += " ";
      else if (cp < 0x80) out += ch.toLowerCase();
      else out += map.get(ch) ?? ch;
    }
    return out;
  };
}

/** Every notice page: { id, core (title, 文号 + body), page (all of <body>) }, folded. */
export function loadNotices(publicDir, fold) {
  const dir = path.join(publicDir, "notices");
  const notices = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name, "index.html");
    if (!existsSync(file)) continue;
    const html = readFileSync(file, "utf8");
    if (!/<article class="?notice\b/.test(html)) continue;
    const h1 = html.match(/<header class="?notice-header\b[^>]*>([\s\S]*?)<\/header>/);
    const start = html.search(/<div class="?prose\b/);
    const end = start < 0 ? -1 : closingDiv(html, start);
    const body = html.match(/<body\b[^>]*>([\s\S]*?)<\/body>/);
    if (!h1 || start < 0 || end < 0 || !body) {
      throw new Error(`${file}: no <header class=notice-header>, <div class=prose> … </div> or <body>`);
    }
    notices.push({
      id: name,
      core: fold(htmlText(h1[1]) + "\n" + htmlText(html.slice(start, end))),
      page: fold(htmlText(body[1])),
    });
  }
  return notices;
}

/** The end of the <div> opening at `start` (nested <div>s counted). */
function closingDiv(html, start) {
  const tag = /<(\/?)div\b[^>]*>/g;
  tag.lastIndex = start;
  let depth = 0;
  for (let m; (m = tag.exec(html)); ) {
    depth += m[1] ? -1 : 1;
    if (depth === 0) return m.index;
  }
  return -1;
}

/** notices/<id>/ (with or without a leading slash or index.html) → id; otherwise null. */
export function noticeId(url) {
  const m = /^\/?notices\/([^/?#]+)\/(index\.html)?(?:[?#].*)?$/.exec(
    url.replace(/^[a-z]+:\/\/[^/]+/i, ""),
  );
  return m && !/^\d{4}$/.test(m[1]) && m[1] !== "page" ? m[1] : null;
}

function walkHtml(dir, top = true) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (top && (entry.name.startsWith("pagefind") || entry.name === "__bench")) continue;
      n += walkHtml(path.join(dir, entry.name), false);
    } else if (entry.name.endsWith(".html")) n++;
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// Pagefind

function pagefindBin() {
  const bin = path.join(HERE, "node_modules", ".bin", "pagefind");
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`npm install\` in ${HERE} first`);
  }
  return bin;
}

function pagefindVersion() {
  const pkg = path.join(HERE, "node_modules", "pagefind", "package.json");
  return JSON.parse(readFileSync(pkg, "utf8")).version;
}

function runPagefind(site, variant, extra = []) {
  const { subdir, args } = VARIANTS[variant];
  rmSync(path.join(site, subdir), { recursive: true, force: true });
  const argv = ["--site", site, "--output-subdir", subdir, ...args, ...extra];
  console.error(`$ pagefind ${argv.join(" ")}`);
  const started = Date.now();
  const result = spawnSync(pagefindBin(), argv, { encoding: "utf8", maxBuffer: 64 << 20 });
  const seconds = (Date.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`pagefind failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const log = `${result.stdout}\n${result.stderr}`;
  const words = /Indexed (\d+) words/.exec(log)?.[1];
  const pages = /Indexed (\d+) pages/.exec(log)?.[1];
  return { seconds, words: Number(words), pages: Number(pages), log };
}

function indexPagefind(site, variant) {
  let run = runPagefind(site, variant);
  const entry = JSON.parse(
    readFileSync(path.join(site, VARIANTS[variant].subdir, "pagefind-entry.json"), "utf8"),
  );
  const languages = Object.keys(entry.languages);
  if (languages.length !== 1 || !languages[0].startsWith("zh")) {
    console.error(`pagefind found languages ${languages.join(", ")}: forcing zh-cn`);
    run = runPagefind(site, variant, ["--force-language", "zh-cn"]);
    run.forced = true;
  }
  run.languages = languages;
  return run;
}

// ---------------------------------------------------------------------------------------
// Static server counting bytes

const MIME = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".css": "text/css",
  ".wasm": "application/wasm",
};

function startServer(root) {
  const state = { log: [] };
  const server = http.createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "");
    if (rel === "" || rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, rel);
    let body = null;
    if (file.startsWith(root)) {
      try {
        if (statSync(file).isFile()) body = await readFile(file);
      } catch {}
    }
    if (!body) {
      state.log.push({ rel, status: 404, bytes: 0, gzip: 0 });
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
      return;
    }
    state.log.push({ rel, status: 200, bytes: body.length, gzip: gzipSize(file) });
    res.writeHead(200, {
      "content-type": MIME[path.extname(file)] ?? "application/octet-stream",
      "content-length": body.length,
      "cache-control": "no-store",
    });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({ server, state, root, origin: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

function summarize(log) {
  const ok = log.filter((e) => e.status === 200 && !e.rel.startsWith("__bench/"));
  const code = ok.filter((e) => CODE_EXT.test(e.rel));
  const data = ok.filter((e) => !CODE_EXT.test(e.rel));
  const sum = (list, key) => list.reduce((s, e) => s + e[key], 0);
  return {
    dataBytes: sum(data, "bytes"),
    dataGzip: sum(data, "gzip"),
    dataFiles: data.length,
    codeBytes: sum(code, "bytes"),
    codeFiles: code.length,
    missing: log.filter((e) => e.status !== 200 && !/favicon/.test(e.rel)).map((e) => e.rel),
    largest: data.reduce((m, e) => (e.bytes > m.bytes ? e : m), { rel: "-", bytes: 0 }),
  };
}

// ---------------------------------------------------------------------------------------
// Chromium over the DevTools protocol

class Cdp {
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    ws.addEventListener("message", (event) => {
      const msg = JSON.parse(event.data);
      if (msg.id && this.pending.has(msg.id)) {
        const { resolve, reject, method } = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result);
      }
    });
  }
  send(method, params = {}, sessionId) {
    const id = this.nextId++;
    const msg = { id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.ws.send(JSON.stringify(msg));
    });
  }
}

async function launchChromium(bin) {
  if (typeof WebSocket === "undefined") {
    throw new Error("no global WebSocket: run with `node --experimental-websocket` (Node 20)");
  }
  const profile = mkdtempSync(path.join(os.tmpdir(), "gongkai-compare-chromium-"));
  const proc = spawn(
    bin,
    [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const wsUrl = await new Promise((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${err}`)), 30_000);
    proc.stderr.on("data", (chunk) => {
      err += chunk;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on("exit", (code) => reject(new Error(`chromium exited (${code}):\n${err}`)));
  });
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  const cdp = new Cdp(ws);
  const close = async () => {
    try {
      await cdp.send("Browser.close");
    } catch {}
    ws.close();
    await new Promise((resolve) => {
      if (proc.exitCode !== null) resolve();
      else {
        proc.once("exit", resolve);
        setTimeout(() => {
          proc.kill("SIGKILL");
          resolve();
        }, 5000);
      }
    });
    rmSync(profile, { recursive: true, force: true });
  };
  return { cdp, close };
}

/** A fresh browser context and page with the cache disabled, on the harness page. */
async function freshPage(cdp, url) {
  const { browserContextId } = await cdp.send("Target.createBrowserContext", {
    disposeOnDetach: true,
  });
  const { targetId } = await cdp.send("Target.createTarget", {
    url: "about:blank",
    browserContextId,
  });
  const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
  await cdp.send("Network.enable", {}, sessionId);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true }, sessionId);
  await cdp.send("Runtime.enable", {}, sessionId);
  await cdp.send("Page.navigate", { url }, sessionId);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const r = await cdp.send(
      "Runtime.evaluate",
      { expression: "window.__benchReady === true", returnByValue: true },
      sessionId,
    );
    if (r.result.value === true) break;
    if (Date.now() > deadline) throw new Error(`harness page ${url} did not load`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const evaluate = async (expression, timeout = 600_000) => {
    const r = await cdp.send(
      "Runtime.evaluate",
      { expression, awaitPromise: true, returnByValue: true, timeout },
      sessionId,
    );
    if (r.exceptionDetails) {
      const d = r.exceptionDetails;
      throw new Error(`${expression}: ${d.exception?.description ?? d.text}`);
    }
    return r.result.value;
  };
  const dispose = async () => {
    await cdp.send("Target.closeTarget", { targetId }).catch(() => {});
    await cdp.send("Target.disposeBrowserContext", { browserContextId }).catch(() => {});
  };
  return { evaluate, dispose };
}

// The harness page. Each engine's functions return plain JSON values.
const HARNESS = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title></head><body>
<script type="module">
let pfResults = null;
let gk = null;
const now = () => performance.now();
window.bench = {
  async pagefindTop(bundle, q) {
    const t0 = now();
    const pf = await import("/" + bundle + "/pagefind.js");
    await pf.options({ baseUrl: "/" });
    await pf.init();
    const s = await pf.search(q);
    pfResults = s.results;
    const top = await Promise.all(s.results.slice(0, 10).map((r) => r.data()));
    return { total: s.results.length, unfiltered: s.unfilteredResultCount,
             top: top.map((d) => d.url), ms: now() - t0 };
  },
  pagefindAll() {
    // Result ids only: compare.mjs maps them to URLs from the fragment files on disk
    // (calling data() on thousands of results takes minutes and measures nothing).
    return pfResults.map((r) => r.id ?? null);
  },
  async gongkaiTop(q) {
    const t0 = now();
    const mod = await import("/search/gongkai-search.js");
    gk = mod.createSearch({ base: new URL("/", location.href).href });
    const r = await gk.search(q, { limit: 10, facets: false });
    const list = r.results ?? r.hits ?? r;
    const total = typeof r.total === "number" ? r.total : list.length;
    return { total, top: list.slice(0, 10).map((x) => x.url ?? x.fragment?.url ?? null),
             stats: gk.stats(), ms: now() - t0 };
  },
};
window.__benchReady = true;
</script></body></html>
`;

// ---------------------------------------------------------------------------------------
// Measurements

async function measure(browser, server, engine, bundle, query, recall) {
  const page = await freshPage(browser.cdp, `${server.origin}/__bench/index.html`);
  try {
    server.state.log = [];
    const q = JSON.stringify(query);
    const top =
      engine === "gongkai"
        ? await page.evaluate(`bench.gongkaiTop(${q})`)
        : await page.evaluate(`bench.pagefindTop(${JSON.stringify(bundle)}, ${q})`);
    const bytes = summarize(server.state.log);
    let urls = null;
    if (recall) {
      urls =
        engine === "gongkai"
          ? await gongkaiUrls(server.root, query)
          : pagefindUrls(server.root, bundle, await page.evaluate("bench.pagefindAll()"));
    }
    return { query, ...top, ...bytes, urls };
  } finally {
    await page.dispose();
  }
}

/**
 * Every result URL of gongkai's search for `query`, from the same client module run in
 * Node on the files (recall is a property of the index, not of the browser).
 */
async function gongkaiUrls(root, query) {
  const mod = await import(pathToFileURL(path.join(root, "search", "gongkai-search.js")).href);
  const fetchFile = async (url) => {
    const rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, "");
    const body = await readFile(path.join(root, rel));
    return new Response(body, { status: 200 });
  };
  const search = mod.createSearch({ base: "http://bench.invalid/", fetch: fetchFile });
  const { total } = await search.search(query, { limit: 0, facets: false });
  const { results } = await search.search(query, { limit: total, facets: false });
  return results.map((r) => r.url ?? null);
}

/** Pagefind result ids → page URLs, read from the bundle's fragment files. */
function pagefindUrls(root, bundle, ids) {
  return ids.map((id) => {
    if (id == null) return null;
    const file = path.join(root, bundle, "fragment", `${id}.pf_fragment`);
    if (!existsSync(file)) return null;
    let data = readFileSync(file);
    if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
    const text = data.toString("utf8").replace(/^pagefind_dcd/, "");
    return JSON.parse(text).url ?? null;
  });
}

export function score(m, query, fold, notices) {
  const needle = fold(query);
  const truth = new Set(notices.filter((n) => n.core.includes(needle)).map((n) => n.id));
  const byId = new Map(notices.map((n) => [n.id, n]));
  const ids = new Set();
  let other = 0;
  let unmapped = 0;
  for (const url of m.urls) {
    if (url == null) {
      unmapped++;
      continue;
    }
    const id = noticeId(url);
    if (id && byId.has(id)) ids.add(id);
    else other++;
  }
  let hit = 0;
  let meta = 0;
  let falsePos = 0;
  for (const id of ids) {
    if (truth.has(id)) hit++;
    else if (byId.get(id).page.includes(needle)) meta++;
    else falsePos++;
  }
  const missed = [...truth].filter((id) => !ids.has(id));
  return {
    truth: truth.size,
    noticeResults: ids.size,
    hit,
    recall: truth.size ? hit / truth.size : null,
    // Of the notice results: those in the truth (strict), and those holding the query
    // anywhere on their page, the metadata block (summary, keywords, issuer) included.
    precision: ids.size ? hit / ids.size : null,
    pagePrecision: ids.size ? (hit + meta) / ids.size : null,
    meta,
    falsePos,
    other,
    unmapped,
    missedExample: missed.slice(0, 3),
  };
}

// ---------------------------------------------------------------------------------------
// Report

const kb = (b) => (b / 1000).toFixed(1);
const mb = (b) => (b / 1e6).toFixed(1);
const int = (n) => (Number.isFinite(n) ? n.toLocaleString("en-US") : String(n));
const pct = (x) => (x == null ? "n/a" : `${(100 * x).toFixed(1)}%`);

function report({ args, site, sizes, runs, results, recall, meta }) {
  const out = [];
  out.push(`# gongkai search vs Pagefind ${meta.pagefind}: ${args.publicDir}`, "");
  out.push(
    `${meta.notices != null ? `${int(meta.notices)} notice pages, ` : ""}` +
      `${int(meta.htmlPages)} HTML pages; Chromium ${meta.chromium}; ` +
      `bytes = data bytes the server sent for a search plus the display data of its first 10 ` +
      `results (fresh browser context, cache disabled); engine code counted apart.`,
    "",
  );

  out.push("## Index", "");
  out.push("| engine | index size | files | largest file | gzip (file by file) | code | index time |");
  out.push("|---|---:|---:|---:|---:|---:|---:|");
  for (const [name, s] of Object.entries(sizes)) {
    out.push(
      `| ${name} | ${mb(s.bytes)} MB | ${int(s.files)} | ${s.largest.rel} ${kb(s.largest.size)} KB | ` +
        `${mb(s.gzip)} MB | ${kb(s.code)} KB | ${s.seconds != null ? `${s.seconds.toFixed(1)} s` : "—"} |`,
    );
  }
  out.push("");

  const engines = Object.keys(results);
  out.push("## Summary", "");
  out.push(
    "| engine | index size | files | median bytes/query | max bytes/query | median gzip/query | median files/query | mean recall | queries with recall < 100% | mean precision (truth / page) |",
  );
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const engine of engines) {
    const list = results[engine];
    const bytes = list.map((m) => m.dataBytes);
    const worst = list.reduce((a, b) => (b.dataBytes > a.dataBytes ? b : a));
    const s = sizes[engine];
    let recallCell = "—";
    let lowCell = "—";
    let precisionCell = "—";
    if (recall) {
      const judged = list.filter((m) => m.score.precision != null);
      const average = (key) => judged.reduce((sum, m) => sum + m.score[key], 0) / judged.length;
      precisionCell = `${pct(average("precision"))} / ${pct(average("pagePrecision"))}`;
      const scored = list.filter((m) => m.score.recall != null);
      const mean = scored.reduce((sum, m) => sum + m.score.recall, 0) / scored.length;
      const low = scored.filter((m) => m.score.recall < 1);
      recallCell = pct(mean);
      lowCell = `${low.length} / ${scored.length}`;
    }
    out.push(
      `| ${engine} | ${mb(s.bytes)} MB | ${int(s.files)} | ${kb(percentile(bytes, 50))} KB | ` +
        `${kb(worst.dataBytes)} KB (${worst.query}) | ${kb(percentile(list.map((m) => m.dataGzip), 50))} KB | ` +
        `${percentile(list.map((m) => m.dataFiles), 50)} | ${recallCell} | ${lowCell} | ${precisionCell} |`,
    );
  }
  out.push("");

  out.push("## Per query", "");
  const head = ["query"];
  if (recall) head.push("truth");
  for (const engine of engines) {
    head.push(`${engine} results`);
    if (recall) {
      head.push(
        `${engine} recall`,
        `${engine} precision (truth / page)`,
        `${engine} extra: elsewhere on page / not on page / not notices`,
      );
    }
    head.push(`${engine} KB (files)`);
  }
  out.push(`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i ? "---:" : "---")).join("|")}|`);
  for (let i = 0; i < runs.length; i++) {
    const row = [runs[i]];
    if (recall) row.push(int(results[engines[0]][i].score.truth));
    for (const engine of engines) {
      const m = results[engine][i];
      row.push(int(m.total));
      if (recall) {
        row.push(pct(m.score.recall));
        row.push(`${pct(m.score.precision)} / ${pct(m.score.pagePrecision)}`);
        row.push(`${int(m.score.meta)} / ${int(m.score.falsePos)} / ${int(m.score.other)}`);
      }
      row.push(`${kb(m.dataBytes)} (${m.dataFiles})`);
    }
    out.push(`| ${row.join(" | ")} |`);
  }
  out.push("");
  const notes = [];
  for (const engine of engines) {
    for (const m of results[engine]) {
      if (m.missing.length) notes.push(`${engine} "${m.query}": 404 for ${m.missing.slice(0, 5).join(", ")}`);
      if (m.score?.unmapped) notes.push(`${engine} "${m.query}": ${m.score.unmapped} results without a URL`);
      if (m.score?.missedExample.length)
        notes.push(`${engine} "${m.query}": missed e.g. ${m.score.missedExample.join(", ")}`);
      if (m.urls && m.urls.length !== m.total)
        notes.push(`${engine} "${m.query}": total ${m.total} but ${m.urls.length} URLs listed`);
    }
  }
  if (notes.length) out.push("Notes:", "", ...notes.map((n) => `- ${n}`), "");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const publicDir = path.resolve(args.publicDir);
  const queries = args.queries
    ? readFileSync(args.queries, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
    : DEFAULT_QUERIES;
  const name = path.basename(path.dirname(publicDir)) || "site";
  const work = path.resolve(args.work ?? path.join(os.tmpdir(), "gongkai-compare", name));
  const site = path.join(work, "site");

  // 1. Copy and index.
  const runsInfo = {};
  const usePagefind = args.engines.includes("pagefind");
  if (!(args.reuse && existsSync(site))) {
    rmSync(site, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    console.error(`copying ${publicDir} → ${site}`);
    cpSync(publicDir, site, { recursive: true });
  } else {
    // Reusing the copy (and its Pagefind bundles): bring gongkai's search/ up to date.
    console.error(`reusing ${site}; copying ${publicDir}/search again`);
    rmSync(path.join(site, "search"), { recursive: true, force: true });
    cpSync(path.join(publicDir, "search"), path.join(site, "search"), { recursive: true });
  }
  if (usePagefind) {
    for (const variant of args.variants) {
      const entry = path.join(site, VARIANTS[variant].subdir, "pagefind-entry.json");
      if (args.reuse && existsSync(entry)) {
        console.error(`reusing ${VARIANTS[variant].subdir}/`);
        runsInfo[variant] = { seconds: null };
      } else runsInfo[variant] = indexPagefind(site, variant);
    }
  }
  mkdirSync(path.join(site, "__bench"), { recursive: true });
  writeFileSync(path.join(site, "__bench", "index.html"), HARNESS);

  // 2. Sizes.
  const sizes = {};
  const engines = [];
  if (args.engines.includes("gongkai")) {
    const s = dirStats(path.join(site, "search"), { gzip: true });
    const code = statSync(path.join(site, "search", "gongkai-search.js")).size;
    sizes.gongkai = { ...s, code, seconds: null };
    engines.push({ key: "gongkai", engine: "gongkai" });
  }
  if (usePagefind) {
    for (const variant of args.variants) {
      const dir = path.join(site, VARIANTS[variant].subdir);
      const s = dirStats(dir, { gzip: true });
      const code = ["pagefind.js", "pagefind-worker.js", "wasm.unknown.pagefind"]
        .filter((f) => existsSync(path.join(dir, f)))
        .reduce((sum, f) => sum + statSync(path.join(dir, f)).size, 0);
      const key = `pagefind (${variant})`;
      sizes[key] = { ...s, code, seconds: runsInfo[variant].seconds, words: runsInfo[variant].words };
      engines.push({ key, engine: "pagefind", bundle: VARIANTS[variant].subdir });
    }
  }

  // 3. Ground truth.
  let fold = null;
  let notices = null;
  if (args.recall) {
    const manifest = JSON.parse(readFileSync(path.join(publicDir, "search", "manifest.json"), "utf8"));
    fold = makeFold(manifest.fold ?? "");
    console.error("reading the notice pages for the ground truth …");
    notices = loadNotices(publicDir, fold);
  }

  // 4. Queries in Chromium.
  const server = await startServer(site);
  const browser = await launchChromium(args.chromium);
  const version = await browser.cdp.send("Browser.getVersion");
  const results = {};
  try {
    for (const { key, engine, bundle } of engines) {
      results[key] = [];
      for (const query of queries) {
        const started = Date.now();
        const m = await measure(browser, server, engine, bundle, query, args.recall);
        if (args.recall) m.score = score(m, query, fold, notices);
        console.error(
          `${key} ${query}: ${m.total} results, ${kb(m.dataBytes)} KB in ${m.dataFiles} files` +
            (m.score ? `, recall ${pct(m.score.recall)} of ${m.score.truth}` : "") +
            ` (${((Date.now() - started) / 1000).toFixed(1)} s)`,
        );
        if (!args.json) delete m.urls;
        results[key].push(m);
      }
    }
  } finally {
    await browser.close();
    server.server.close();
  }

  const htmlPages = walkHtml(site);
  const text = report({
    args,
    site,
    sizes,
    runs: queries,
    results,
    recall: args.recall,
    meta: {
      pagefind: usePagefind ? pagefindVersion() : "",
      chromium: version.product,
      notices: notices?.length,
      htmlPages: htmlPages || NaN,
    },
  });
  console.log(text);
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ queries, sizes, results, runs: runsInfo }, null, 1));
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(error?.stack ?? String(error));
    process.exit(1);
  });
}
