// What a first visit to one page transfers, compressed: the page and every file it makes
// the browser fetch before it is usable (stylesheets, scripts, the favicon), each as its
// .br and .gz twin from `gongkai build --precompress`, and which of them block rendering.
//
//   gongkai build --precompress --out /dev/shm/site
//   node bench/first-visit.mjs /dev/shm/site [notices/<slug>/index.html]
//
// Target (issue 14): under 30 KB with brotli, and no render-blocking request besides one
// stylesheet. Exit status 1 when a twin is missing or the target is missed.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

const [site, pageArg] = process.argv.slice(2);
if (!site) {
  console.error("usage: node bench/first-visit.mjs SITE [PAGE]");
  process.exit(2);
}
const notices = join(site, "notices");
const page =
  pageArg ??
  (() => {
    // The first notice page in the site's own order (its list's first link).
    const list = readFileSync(join(notices, "index.html"), "utf8");
    const m = list.match(/class="?notice-title"? href="?\.\.\/notices\/([^/"]+)\/index\.html/);
    if (!m) throw new Error("no notice link on notices/index.html");
    return join("notices", m[1], "index.html");
  })();

const html = readFileSync(join(site, page), "utf8");
const base = dirname(join(site, page));
const fetched = [];
for (const m of html.matchAll(/<link\b[^>]*>/g)) {
  const tag = m[0];
  const rel = (tag.match(/\brel="?([^"\s>]+)/) ?? [])[1];
  const href = (tag.match(/\bhref="?([^"\s>]+)/) ?? [])[1];
  if (!href || href.startsWith("http")) continue;
  if (rel === "stylesheet") fetched.push({ href, blocking: true });
  if (rel === "icon") fetched.push({ href, blocking: false });
}
for (const m of html.matchAll(/<script\b[^>]*\bsrc="?([^"\s>]+)[^>]*>/g)) {
  const blocking = !/\b(defer|async)\b/.test(m[0]) && !/type="?module/.test(m[0]);
  fetched.push({ href: m[1], blocking });
}

let failed = false;
const size = (path) => (existsSync(path) ? statSync(path).size : null);
const rows = [{ href: page, blocking: true, path: join(site, page) }].concat(
  fetched.map((f) => ({ ...f, path: normalize(join(base, f.href)) })),
);
let totals = { raw: 0, gz: 0, br: 0 };
console.log("| file | blocks rendering | raw | gzip | brotli |\n|---|---|---|---|---|");
for (const r of rows) {
  const raw = size(r.path);
  // Small files get no twins: they go as they are.
  const gz = size(r.path + ".gz") ?? raw;
  const br = size(r.path + ".br") ?? raw;
  if (raw === null) {
    console.error(`missing: ${r.path}`);
    failed = true;
    continue;
  }
  totals.raw += raw;
  totals.gz += gz;
  totals.br += br;
  console.log(`| ${r.href} | ${r.blocking ? "yes" : "no"} | ${raw} | ${gz} | ${br} |`);
}
console.log(`| **total** | | ${totals.raw} | ${totals.gz} | ${totals.br} |`);
const blocking = rows.filter((r) => r.blocking && r.path !== join(site, page));
if (blocking.length > 1) {
  console.error(`render-blocking requests besides the page: ${blocking.map((b) => b.href).join(", ")}`);
  failed = true;
}
if (totals.br > 30 * 1024) {
  console.error(`first visit is ${totals.br} bytes with brotli: over 30 KB`);
  failed = true;
}
process.exit(failed ? 1 : 0);
