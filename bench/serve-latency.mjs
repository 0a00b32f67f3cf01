// Edit-to-browser latency of `gongkai serve`: how long after a notice's file is saved
// the server answers its page with the new title.
//
//   node bench/serve-latency.mjs [--notices 10000] [--runs 20] [--site DIR] [--gongkai BIN] [--no-generate]
//
// 1. Generates the bench site with gongkai-bench (unless --no-generate or --site names an
//    existing site root) — see GENERATE below;
// 2. copies its content/ into a temporary site root (on /dev/shm when there is one, like
//    the build bench; serve's own output folder goes there too, through TMPDIR), so the
//    generated corpus is never edited;
// 3. starts `gongkai serve --port 0` on the copy and reads the URL it prints;
// 4. K times: rewrites one notice's title in its file (a different notice each time),
//    polls that notice's page every 5 ms until the new title is served, and records the
//    time from the write to that first response; then waits for the rebuild to finish
//    (/__gongkai/state's version moves and it is `settled`) before the next edit;
// 5. prints every time, the median and the quartiles.
//
// Needs the release binaries: cargo build --release --bins. Node 20+, no npm package.

import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const NOTICES = Number(option("--notices", "10000"));
const RUNS = Number(option("--runs", "20"));
const SITE = path.resolve(option("--site", path.join(REPO, "bench-sites", `n${NOTICES}`)));
const GONGKAI = path.resolve(option("--gongkai", path.join(REPO, "target", "release", "gongkai")));
const GENERATE_SITE = !process.argv.includes("--no-generate");

/** The generator's command line (the workspace member bench/generator). */
const GENERATE = ["cargo", ["run", "--release", "-p", "gongkai-bench", "--", "--notices", String(NOTICES), "--dir", SITE, "--runs", "1"]];

/** The folder of a notice's page: gongkai's slug of its 索引号 (content::notice::slug_of). */
const slug = (indexNo) => indexNo.replace(/[^A-Za-z0-9._-]/gu, "-");

function notices(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".md")) found.push(p);
    }
  };
  walk(dir);
  return found;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (sorted, q) => {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
};

if (GENERATE_SITE && !existsSync(path.join(SITE, "content", "site.yaml"))) {
  console.error(`generating ${NOTICES} notices into ${SITE} …`);
  const run = spawnSync(GENERATE[0], GENERATE[1], { cwd: REPO, stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) throw new Error(`${GENERATE.flat().join(" ")} failed`);
}
if (!existsSync(path.join(SITE, "content", "site.yaml"))) throw new Error(`${SITE} holds no content/site.yaml`);
if (!existsSync(GONGKAI)) throw new Error(`${GONGKAI} is missing: cargo build --release --bins`);

const scratch = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
const root = mkdtempSync(path.join(scratch, "gongkai-serve-latency-"));
cpSync(path.join(SITE, "content"), path.join(root, "content"), { recursive: true });
const files = notices(path.join(root, "content", "notices"));
console.error(`${files.length} notices copied into ${root}`);

const serve = spawn(GONGKAI, ["serve", "--root", root, "--port", "0"], {
  stdio: ["ignore", "pipe", "pipe"],
  env: { ...process.env, TMPDIR: scratch },
});
let serveLog = "";
serve.stderr.on("data", (chunk) => (serveLog += chunk));
const stop = () => {
  if (serve.exitCode === null) serve.kill("SIGINT");
};
process.on("exit", stop);

try {
  const started = performance.now();
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: serve.stdout }).once("line", resolve);
    serve.once("exit", (code) => reject(new Error(`serve exited (${code}):\n${serveLog}`)));
  });
  console.error(`serve is up at ${url} after ${((performance.now() - started) / 1000).toFixed(1)} s (first build)`);
  const state = async () => await (await fetch(new URL("__gongkai/state", url))).json();
  const version = async () => (await state()).version;

  const times = [];
  for (let run = 0; run < RUNS; run++) {
    // Notices spread over the corpus.
    const file = files[Math.floor(((run + 0.5) * files.length) / RUNS)];
    const text = readFileSync(file, "utf8");
    const indexNo = text.match(/^index_no:\s*"?([^"\n]+?)"?\s*$/m)?.[1];
    const title = text.match(/^title:.*$/m)?.[0];
    if (!indexNo || !title) throw new Error(`${file}: no index_no or title line`);
    const page = new URL(`notices/${slug(indexNo)}/`, url);
    const marker = `延迟测试${run}号${Date.now() % 100000}`;
    const before = await version();
    const t0 = performance.now();
    writeFileSync(file, text.replace(title, `title: ${marker}`));
    for (;;) {
      const body = await (await fetch(page)).text();
      if (body.includes(marker)) break;
      if (performance.now() - t0 > 600_000) throw new Error(`${page} never showed ${marker}:\n${serveLog}`);
      await sleep(5);
    }
    const ms = performance.now() - t0;
    times.push(ms);
    console.log(`run ${run + 1}: ${ms.toFixed(0)} ms  ${page.pathname}`);
    // The rebuild that served it is over before the next edit: its pages were announced
    // and its files for programs (open data, search index) written too ("settled"; an
    // older serve has no such field).
    for (;;) {
      const now = await state();
      if (now.version > before && now.settled !== false) break;
      await sleep(10);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  const f = (x) => `${x.toFixed(0)} ms`;
  console.log(
    `\n${files.length} notices, ${RUNS} edits: median ${f(quantile(sorted, 0.5))}, ` +
      `quartiles ${f(quantile(sorted, 0.25))} – ${f(quantile(sorted, 0.75))}, ` +
      `min ${f(sorted[0])}, max ${f(sorted.at(-1))}`,
  );
} finally {
  stop();
  await new Promise((r) => (serve.exitCode === null ? serve.once("exit", r) : r()));
  rmSync(root, { recursive: true, force: true });
}
