// gongkai-search.js — the search client of a gongkai site.
//
// One plain ES module: no framework, no dependency, no external request. It runs in the
// browser and in Node (give it a `fetch` that reads files). It reads the index described
// in docs/search.md: the manifest first, then only the shards holding the query's terms,
// then the display fragments of the results it returns (and facets.json / dates.json
// only when filters, counts or a date range ask for them). Usage: docs/search-client.md.
//
// The tokenizer below is the twin of src/search/tokenize.rs: both must split every text
// exactly the same way.

const TITLE = 1;
const CODE = 2;
const META = 4;
const BODY = 8;
const SCATTERED = 5;
/** Score of a word by the best field holding all its terms: title, code, meta, body, none. */
const CLASS_SCORES = [100, 80, 40, 10, SCATTERED];
const EXACT_CODE = 1000;
/** Word prefixes longer than this are not indexed: a query word is cut to this length. */
const MAX_PREFIX = 16;
/** Filter fields, in the order the facets are returned. */
export const FACET_FIELDS = ["kind", "issuer", "year", "validity", "genre", "topic"];
/** Characters of text a snippet shows around its first match. */
const SNIPPET_CHARS = 80;
const SNIPPET_BEFORE = 20;

const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------
// Folding and tokenizing

/** FNV-1a, 32 bits, over the UTF-8 bytes of a term: `fnv1a(term) % manifest.shards` is its shard. */
export function fnv1a(term) {
  let hash = 0x811c9dc5;
  for (const byte of encoder.encode(term)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

let lastPairs = null;
let lastMap = null;
/** The manifest's fold string ("發发機机…": a character, then its fold) as a Map. */
function foldMap(pairs) {
  if (pairs instanceof Map) return pairs;
  if (!pairs) return new Map();
  if (pairs === lastPairs) return lastMap;
  const map = new Map();
  const chars = Array.from(pairs);
  for (let i = 0; i + 1 < chars.length; i += 2) map.set(chars[i], chars[i + 1]);
  lastPairs = pairs;
  lastMap = map;
  return map;
}

function foldChar(c, map) {
  const code = c.codePointAt(0);
  if (code >= 0x41 && code <= 0x5a) return String.fromCharCode(code + 32);
  if (code >= 0xff01 && code <= 0xff5e) {
    const ascii = code - 0xfee0;
    return String.fromCharCode(ascii >= 0x41 && ascii <= 0x5a ? ascii + 32 : ascii);
  }
  if (code === 0x3000) return " ";
  return map.get(c) ?? c;
}

/**
 * The folded characters of a text, one per character (code point) of the text: full-width
 * ASCII → ASCII, U+3000 → space, A–Z → a–z, traditional → simplified with `pairs` (the
 * manifest's `fold` string, or a Map). Position i of the result is character i of the text.
 */
export function foldChars(text, pairs) {
  const map = foldMap(pairs);
  const out = [];
  for (const c of String(text ?? "")) out.push(foldChar(c, map));
  return out;
}

/** Folds a text (see `foldChars`). Without `pairs`, traditional characters stay as they are. */
export function fold(text, pairs) {
  return foldChars(text, pairs).join("");
}

/** Whether a (folded) character is a Han character. */
export function isHan(c) {
  const code = c.codePointAt(0);
  return (
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0x20000 && code <= 0x3ffff)
  );
}

/** Whether a character is one of the 文号 brackets 〔 〕: a unit of its run, never a term alone. */
export function isMark(c) {
  return c === "〔" || c === "〕";
}

const isWordChar = (c) => (c >= "a" && c <= "z") || (c >= "0" && c <= "9");
/** Longest run of units indexed as one term, unless the manifest says otherwise. */
const MAX_GRAM = 4;

/** Splits an already folded text into runs of units (a Han character or 文号 bracket, or a word of [a-z0-9]). */
export function runs(folded) {
  const out = [];
  let run = [];
  let word = "";
  for (const c of folded) {
    if (isWordChar(c)) {
      word += c;
      continue;
    }
    if (word) {
      run.push(word);
      word = "";
    }
    if (isHan(c) || isMark(c)) run.push(c);
    else if (run.length) {
      out.push(run);
      run = [];
    }
  }
  if (word) run.push(word);
  if (run.length) out.push(run);
  return out;
}

/** Folds a text and splits it into runs of units: `tokenize("聯席會議 67号", pairs)` →
 *  `[["联","席","会","议"], ["67","号"]]`. */
export function tokenize(text, pairs) {
  return runs(fold(text, pairs));
}

/**
 * Every term a text is indexed under, in order, duplicates included (as the build does):
 * for each unit, the n-grams of 2 to `grams` units ending at it, shortest first, then the
 * unit itself (a word as its prefixes `>w`, `>wo`, …; a bracket 〔 〕 not alone).
 */
export function indexTerms(text, pairs, grams = MAX_GRAM) {
  const terms = [];
  for (const run of tokenize(text, pairs)) {
    run.forEach((unit, i) => {
      for (let n = 2; n <= Math.min(grams, i + 1); n++) terms.push(run.slice(i + 1 - n, i + 1).join(""));
      if (isMark(unit)) return;
      if (isHan(unit)) terms.push(unit);
      else for (let n = 1; n <= Math.min(unit.length, MAX_PREFIX); n++) terms.push(">" + unit.slice(0, n));
    });
  }
  return terms;
}

/** The terms of one query run: the unit of a run of one (a word as its prefix term, a
 *  bracket alone as none), the run itself up to `grams` units, or each window of `grams`
 *  units of a longer run. */
function runTerms(run, grams) {
  if (run.length === 1) {
    const unit = run[0];
    if (isMark(unit)) return [];
    return [isHan(unit) ? unit : ">" + unit.slice(0, MAX_PREFIX)];
  }
  if (run.length <= grams) return [run.join("")];
  const out = [];
  for (let i = 0; i + grams <= run.length; i++) out.push(run.slice(i, i + grams).join(""));
  return out;
}

/**
 * The terms a query (or one query word) must all match to match exactly: for each run, its
 * n-grams (`runTerms`). Distinct, in order of appearance.
 */
export function queryTerms(query, pairs, grams = MAX_GRAM) {
  const terms = [];
  for (const run of tokenize(query, pairs)) terms.push(...runTerms(run, grams));
  return [...new Set(terms)];
}

/** The terms of a scattered match: the adjacent pairs of each run of 3 units or more (the
 *  run's own term otherwise). Distinct, in order of appearance. */
export function pairTerms(query, pairs) {
  const terms = [];
  for (const run of tokenize(query, pairs)) {
    if (run.length <= 2) terms.push(...runTerms(run, 2));
    else for (let i = 0; i + 1 < run.length; i++) terms.push(...runTerms(run.slice(i, i + 2), 2));
  }
  return [...new Set(terms)];
}

/** The query as an exact 文号 / 索引号 term (`#连政办发201467号`), or null when the normalised
 *  text has fewer than 4 characters or no digit. */
export function codeTerm(query, pairs) {
  const kept = foldChars(query, pairs).filter((c) => isHan(c) || isWordChar(c));
  if (kept.length < 4 || !kept.some((c) => c >= "0" && c <= "9")) return null;
  return "#" + kept.join("");
}

// ---------------------------------------------------------------------------------------
// Document sets: bitsets of manifest.docs bits (Uint32Array, bit d%32 of word d>>5)

function emptySet(docs) {
  return new Uint32Array((docs + 31) >>> 5);
}

function fullSet(docs) {
  return rangeSet(docs, 0, docs - 1);
}

/** Documents lo..=hi. */
function rangeSet(docs, lo, hi) {
  const set = emptySet(docs);
  lo = Math.max(0, lo);
  hi = Math.min(docs - 1, hi);
  for (let d = lo; d <= hi; d++) set[d >>> 5] |= 1 << (d & 31);
  return set;
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/** Standard base64 (padding optional) → bytes. */
export function decodeBase64(text) {
  const out = new Uint8Array(Math.floor((text.replace(/=+$/, "").length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const v = BASE64_VALUE[text.charCodeAt(i)] ?? -1;
    if (v < 0) continue; // padding, whitespace
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (at < out.length) out[at++] = (value >>> bits) & 0xff;
    }
  }
  return out;
}

/**
 * A document set as a bitset of `docs` bits. Encodings (docs/search.md): `{r: [lo, hi]}` a
 * range, `{v: "base64"}` gaps as LEB128 varints, `{u: "base64"}` the same of the documents
 * not in the set, `{b: "base64"}` a bitmap, `{d: [gaps]}`.
 */
export function decodeSet(encoded, docs) {
  const set = emptySet(docs);
  if (!encoded) return set;
  if (Array.isArray(encoded.r)) {
    return rangeSet(docs, encoded.r[0], encoded.r[1]);
  }
  if (typeof encoded.v === "string" || typeof encoded.u === "string") {
    // Gaps as LEB128 varints: of the documents in the set (v), or of those not in it (u).
    const absent = typeof encoded.u === "string";
    const bytes = decodeBase64(absent ? encoded.u : encoded.v);
    const out = absent ? fullSet(docs) : set;
    let doc = 0;
    let first = true;
    for (let i = 0; i < bytes.length; ) {
      let value = 0;
      let shift = 0;
      let byte;
      do {
        byte = bytes[i++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && i < bytes.length);
      doc = first ? value : doc + value;
      first = false;
      if (doc >= 0 && doc < docs) {
        if (absent) out[doc >>> 5] &= ~(1 << (doc & 31));
        else out[doc >>> 5] |= 1 << (doc & 31);
      }
    }
    return out;
  }
  if (Array.isArray(encoded.d)) {
    let doc = 0;
    encoded.d.forEach((gap, i) => {
      doc = i === 0 ? gap : doc + gap;
      if (doc >= 0 && doc < docs) set[doc >>> 5] |= 1 << (doc & 31);
    });
  } else if (typeof encoded.b === "string") {
    const bytes = decodeBase64(encoded.b);
    const n = Math.min(bytes.length, set.length * 4);
    for (let i = 0; i < n; i++) set[i >>> 2] |= bytes[i] << ((i & 3) * 8);
    const extra = docs & 31; // bits past the last document are not documents
    if (extra) set[set.length - 1] &= (1 << extra) - 1;
  }
  return set;
}

/**
 * One field of facets.json → `[{ value, label, set }]`. A field is a list of values with
 * their document sets, or a column: each document's value (1-based index, 0 for none) in
 * `bits` bits, low bits first, plus `extra` sets for documents holding a second value.
 */
export function decodeFacetField(field, docs) {
  if (Array.isArray(field)) {
    return field.map((v) => ({ value: String(v.value), label: v.label, set: decodeSet(v.posting, docs) }));
  }
  const values = field.values.map((v) => ({ value: String(v.value), label: v.label, set: emptySet(docs) }));
  const bytes = decodeBase64(field.column);
  const bits = field.bits;
  for (let doc = 0, at = 0; doc < docs; doc++, at += bits) {
    let value = 0;
    for (let b = 0; b < bits; b++) {
      const bit = at + b;
      if ((bytes[bit >>> 3] >>> (bit & 7)) & 1) value |= 1 << b;
    }
    const target = values[value - 1];
    if (target) target.set[doc >>> 5] |= 1 << (doc & 31);
  }
  for (const [index, posting] of Object.entries(field.extra ?? {})) {
    const target = values[Number(index) - 1];
    if (target) orInto(target.set, decodeSet(posting, docs));
  }
  return values;
}

/** Document numbers of a bitset, ascending. */
export function setDocs(set) {
  const out = [];
  for (let w = 0; w < set.length; w++) {
    let word = set[w];
    while (word) {
      const low = word & -word;
      out.push(w * 32 + 31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}

function andNotSet(a, b) {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & ~b[i];
  return out;
}

function andSet(a, b) {
  const out = new Uint32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] & b[i];
  return out;
}

function orInto(target, b) {
  for (let i = 0; i < target.length; i++) target[i] |= b[i];
  return target;
}

function popcount(word) {
  word -= (word >>> 1) & 0x55555555;
  word = (word & 0x33333333) + ((word >>> 2) & 0x33333333);
  return (Math.imul((word + (word >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function countSet(set) {
  let n = 0;
  for (let i = 0; i < set.length; i++) if (set[i]) n += popcount(set[i]);
  return n;
}

function countAnd(a, b) {
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    const w = a[i] & b[i];
    if (w) n += popcount(w);
  }
  return n;
}

const has = (set, doc) => set !== null && (set[doc >>> 5] & (1 << (doc & 31))) !== 0;

/** The fields of `doc` holding a term, from its posting (docs/search.md, "Postings"). */
function fieldsOf(p, doc) {
  return (has(p.e, doc) ? 0 : BODY) | (has(p.t, doc) ? TITLE : 0) | (has(p.c, doc) ? CODE : 0) | (has(p.x, doc) ? META : 0);
}

/** Whether the terms of one run (the windows of a long run) meet in one field of `doc`. */
function commonFields(run, byTerm, doc) {
  let common = TITLE | CODE | META | BODY;
  for (const term of run) {
    const p = byTerm.get(term);
    if (!p || !has(p.all, doc)) return false;
    common &= fieldsOf(p, doc);
    if (!common) return false;
  }
  return true;
}

/** The documents holding every posting (empty when one is missing), smallest first. */
function intersect(postings, docs) {
  if (!postings.length || postings.some((p) => !p)) return emptySet(docs);
  const ordered = [...postings].sort((a, b) => a.n - b.n);
  let set = ordered[0].all.slice();
  for (const p of ordered.slice(1)) set = andSet(set, p.all);
  return set;
}

// ---------------------------------------------------------------------------------------
// Snippets

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" }[c]};`);
}

/** Every [start, end) (in characters) where a needle occurs in `folded`, sorted, merged. */
function findHits(folded, needles) {
  const hits = [];
  for (const needle of needles) {
    const n = needle.length;
    if (!n) continue;
    for (let i = 0; i + n <= folded.length; i++) {
      let j = 0;
      while (j < n && folded[i + j] === needle[j]) j++;
      if (j === n) hits.push([i, i + n]);
    }
  }
  hits.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const hit of hits) {
    const last = merged[merged.length - 1];
    if (last && hit[0] <= last[1]) last[1] = Math.max(last[1], hit[1]);
    else merged.push([hit[0], hit[1]]);
  }
  return merged;
}

/**
 * Marks the needles (arrays of folded characters) in `source`: a window of `width`
 * characters (the whole text when width is Infinity) around the first hit, as plain text
 * with highlight ranges (UTF-16 offsets into `text`) and as escaped HTML with <mark>.
 */
export function highlight(source, needles, { pairs, width = SNIPPET_CHARS, before = SNIPPET_BEFORE } = {}) {
  const chars = Array.from(String(source ?? "")).map((c) => (c === "\n" || c === "\r" || c === "\t" ? " " : c));
  const folded = foldChars(chars.join(""), pairs);
  const hits = findHits(folded, needles);
  let start = 0;
  let end = chars.length;
  if (width !== Infinity && chars.length > width) {
    start = hits.length ? Math.max(0, hits[0][0] - before) : 0;
    start = Math.min(start, chars.length - width);
    end = start + width;
  }
  let text = start > 0 ? "…" : "";
  let html = text;
  const highlights = [];
  let at = start;
  for (const [s0, e0] of hits) {
    const s = Math.max(s0, start);
    const e = Math.min(e0, end);
    if (s >= e) continue;
    const plain = chars.slice(at, s).join("");
    const marked = chars.slice(s, e).join("");
    text += plain;
    html += escapeHtml(plain);
    highlights.push([text.length, text.length + marked.length]);
    text += marked;
    html += `<mark>${escapeHtml(marked)}</mark>`;
    at = e;
  }
  const rest = chars.slice(at, end).join("");
  text += rest;
  html += escapeHtml(rest);
  if (end < chars.length) {
    text += "…";
    html += "…";
  }
  return { text, highlights, html };
}

// ---------------------------------------------------------------------------------------
// The search

/**
 * A search over the gongkai site whose root is `base` ("../", "/sub/", "https://…/",
 * anything `fetch` understands; the index is at `base + "search/"`). `fetch` must resolve
 * to objects with `.ok`/`.status` and `.text()`; it defaults to the global fetch.
 */
export function createSearch({ base = "./", fetch: fetchFn } = {}) {
  const doFetch = fetchFn ?? ((...args) => globalThis.fetch(...args));
  let root = String(base ?? "");
  if (root && !root.endsWith("/")) root += "/";
  const cache = new Map();
  let bytes = 0;
  let files = 0;

  /** A file under search/, parsed, fetched once. */
  function load(path) {
    let promise = cache.get(path);
    if (!promise) {
      promise = (async () => {
        const response = await doFetch(`${root}search/${path}`);
        if (!response || response.ok === false) {
          throw new Error(`gongkai-search: cannot load search/${path} (${response ? response.status : "no response"})`);
        }
        const text = await response.text();
        bytes += encoder.encode(text).length;
        files += 1;
        return JSON.parse(text);
      })();
      promise.catch(() => cache.delete(path));
      cache.set(path, promise);
    }
    return promise;
  }

  let ready = null;
  /** The manifest, with its fold map and the last dated document. */
  function manifest() {
    ready ??= load("manifest.json").then((m) => {
      if (m.version !== 2) throw new Error(`gongkai-search: unsupported index version ${m.version}`);
      let lastDated = -1;
      for (const range of Object.values(m.years || {})) lastDated = Math.max(lastDated, range[1]);
      return { ...m, foldMap: foldMap(m.fold || ""), lastDated };
    });
    ready.catch(() => {
      ready = null;
    });
    return ready;
  }

  const postings = new Map();
  /** A term's posting as bitsets { n, all, t, c, x, e } (null sets when absent), or null. */
  function posting(m, term) {
    let promise = postings.get(term);
    if (!promise) {
      promise = (async () => {
        const shard = await load(`s/${fnv1a(term) % m.shards}.json`);
        let p = Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
        if (p && typeof p.f === "string") p = await load(p.f);
        if (!p) return null;
        return {
          n: p.n,
          all: decodeSet(p, m.docs),
          t: p.t ? decodeSet(p.t, m.docs) : null,
          c: p.c ? decodeSet(p.c, m.docs) : null,
          x: p.x ? decodeSet(p.x, m.docs) : null,
          e: p.e ? decodeSet(p.e, m.docs) : null,
        };
      })();
      promise.catch(() => postings.delete(term));
      postings.set(term, promise);
    }
    return promise;
  }

  let facetSets = null;
  /** facets.json with each value's posting decoded: { field: [{ value, label, set }] }. */
  function facetData(m) {
    facetSets ??= load("facets.json").then((data) => {
      const out = {};
      for (const [field, values] of Object.entries(data)) out[field] = decodeFacetField(values, m.docs);
      return out;
    });
    facetSets.catch(() => {
      facetSets = null;
    });
    return facetSets;
  }

  /** The documents dated from..to (inclusive, YYYY-MM-DD, either may be empty). */
  async function dateSet(m, from, to) {
    const dates = await load("dates.json"); // [[date, first document]], newest first
    let lo = Infinity;
    let hi = -1;
    dates.forEach(([date, first], i) => {
      if ((from && date < from) || (to && date > to)) return;
      const last = i + 1 < dates.length ? dates[i + 1][1] - 1 : m.lastDated;
      lo = Math.min(lo, first);
      hi = Math.max(hi, last);
    });
    return hi < 0 ? emptySet(m.docs) : rangeSet(m.docs, lo, hi);
  }

  /** The union of the accepted values' postings of one field. */
  async function fieldSet(m, field, values, facets) {
    const accepted = new Set(values.map(String));
    const set = emptySet(m.docs);
    if (field === "year" && !facets && m.years) {
      for (const year of accepted) {
        const range = m.years[year];
        if (range) orInto(set, rangeSet(m.docs, range[0], range[1]));
      }
      return set;
    }
    const data = facets ?? (await facetData(m));
    for (const v of data[field] || []) if (accepted.has(v.value)) orInto(set, v.set);
    return set;
  }

  /**
   * Searches. Resolves to `{ total, results, facets, query, terms }`; see docs/search-client.md.
   */
  async function search(query, options = {}) {
    const {
      filters = {},
      sort = "relevance",
      limit = 10,
      offset = 0,
      facets: wantFacets = true,
      dateFrom = "",
      dateTo = "",
      scattered: wantScattered = false,
    } = options;
    const m = await manifest();
    const pairs = m.foldMap;
    const grams = m.grams ?? MAX_GRAM;
    const folded = fold(query ?? "", pairs);
    const words = folded.split(/\s+/).filter(Boolean);
    // Each word: its runs, each run the terms it must match (one n-gram, or the windows
    // of a run longer than `grams`, which must then meet in one field).
    const wordRuns = words
      .map((w) => runs(w).map((run) => runTerms(run, grams)).filter((t) => t.length))
      .filter((w) => w.length);
    const wordTerms = wordRuns.map((w) => [...new Set(w.flat())]);
    const terms = [...new Set(wordTerms.flat())];
    const code = codeTerm(folded, pairs);
    const active = Object.entries(filters || {})
      .filter(([, values]) => Array.isArray(values) ? values.length : values != null && values !== "")
      .map(([field, values]) => [field, Array.isArray(values) ? values : [values]]);
    const hasDates = Boolean(dateFrom || dateTo);

    if (!terms.length && !code && !active.length && !hasDates) {
      return { total: 0, scattered: null, results: [], facets: {}, query: String(query ?? ""), terms: [] };
    }

    // Everything needed, fetched in parallel.
    const needFacetFile = wantFacets || active.some(([field]) => field !== "year");
    const [termPostings, codePosting, facetFile, dates] = await Promise.all([
      Promise.all(terms.map((t) => posting(m, t))),
      code ? posting(m, code) : null,
      needFacetFile ? facetData(m) : null,
      hasDates ? dateSet(m, dateFrom, dateTo) : null,
    ]);
    const byTerm = new Map(terms.map((t, i) => [t, termPostings[i]]));

    // Documents matching the query exactly: every n-gram (AND), the windows of a long run
    // in one common field; or the exact code.
    let matched;
    if (terms.length) {
      matched = intersect(termPostings, m.docs);
      const chains = wordRuns.flat().filter((run) => run.length > 1);
      if (chains.length) {
        for (const doc of setDocs(matched)) {
          if (!chains.every((run) => commonFields(run, byTerm, doc))) matched[doc >>> 5] &= ~(1 << (doc & 31));
        }
      }
      if (codePosting) orInto(matched, codePosting.all);
    } else if (codePosting) {
      matched = codePosting.all.slice();
    } else if (code) {
      matched = emptySet(m.docs);
    } else {
      matched = fullSet(m.docs); // filters only
    }

    // Filters: AND across fields, OR within a field.
    const fieldSets = new Map();
    for (const [field, values] of active) fieldSets.set(field, await fieldSet(m, field, values, facetFile));
    const narrow = (set) => {
      let out = set;
      for (const filter of fieldSets.values()) out = andSet(out, filter);
      return dates ? andSet(out, dates) : out;
    };
    const final = narrow(matched);

    // Scores: for each word, the best field holding all of its terms (title 100, code 80,
    // meta 40, body 10, else 5), computed on sets: for each word, the documents holding
    // all of its terms in the title, in a code, in the metadata, in the body, anywhere.
    const classesOf = (lists, byName) =>
      lists.map((list) => {
        const sets = [null, null, null, null, null];
        for (const term of list) {
          const p = byName.get(term);
          const parts = p ? [p.t, p.c, p.x, p.e ? andNotSet(p.all, p.e) : p.all, p.all] : [];
          for (let k = 0; k < 5; k++) {
            const part = parts[k] ?? emptySet(m.docs);
            sets[k] = sets[k] ? andSet(sets[k], part) : part;
          }
        }
        return sets;
      });
    const codeSet = codePosting?.all ?? null;
    // Ranked: by score (descending), ties in document order, which is newest first.
    // `score(i)` is the score of the i-th document.
    const ranked = (set, lists, byName) => {
      const classes = classesOf(lists, byName);
      const scoreOf = (doc) => {
        let score = has(codeSet, doc) ? EXACT_CODE : 0;
        for (const sets of classes) {
          for (let k = 0; k < 5; k++) {
            if (has(sets[k], doc)) {
              score += CLASS_SCORES[k];
              break;
            }
          }
        }
        return score;
      };
      if (sort === "date") {
        const docs = setDocs(set);
        return { docs, score: (i) => scoreOf(docs[i]) };
      }
      if (classes.length <= 1) {
        // One word: its classes, best first, are the ranking (code matches before all).
        const docs = [];
        const segments = []; // [first index, score]
        const parts = codeSet ? [[andSet(set, codeSet), EXACT_CODE], [andNotSet(set, codeSet), 0]] : [[set, 0]];
        for (const [part, base] of parts) {
          let rest = part;
          for (const [k, within] of (classes[0] ?? []).entries()) {
            segments.push([docs.length, base + CLASS_SCORES[k]]);
            for (const doc of setDocs(andSet(rest, within))) docs.push(doc);
            rest = andNotSet(rest, within);
          }
          segments.push([docs.length, base]);
          for (const doc of setDocs(rest)) docs.push(doc);
        }
        const score = (i) => {
          let found = 0;
          for (const [first, value] of segments) if (first <= i) found = value;
          return found;
        };
        return { docs, score };
      }
      // Several words: each document's score, then the documents dealt into one bucket a
      // score (few values), best first.
      const docs = setDocs(set);
      const scores = new Int32Array(docs.length);
      const values = [];
      for (let i = 0; i < docs.length; i++) {
        scores[i] = scoreOf(docs[i]);
        if (!values.includes(scores[i])) values.push(scores[i]);
      }
      values.sort((x, y) => y - x);
      const out = [];
      const outScores = new Int32Array(docs.length);
      for (const value of values) {
        for (let i = 0; i < docs.length; i++) {
          if (scores[i] === value) {
            outScores[out.length] = value;
            out.push(docs[i]);
          }
        }
      }
      return { docs: out, score: (i) => outScores[i] };
    };
    const exact = ranked(final, wordTerms, byTerm);
    const from = Math.max(0, Number(offset) || 0);
    const count = Math.max(0, limit == null ? 10 : Number(limit));

    // Scattered matches (asked for, and only when the exact ones do not fill the page):
    // documents holding every adjacent pair of the query's runs, but not the runs.
    let loose = null;
    const wordPairs = words.map((w) => pairTerms(w, pairs)).filter((t) => t.length);
    const pairList = [...new Set(wordPairs.flat())];
    const differs = pairList.some((t) => !byTerm.has(t));
    if (wantScattered && differs && from + count > exact.docs.length) {
      const pairPostings = await Promise.all(pairList.map((t) => posting(m, t)));
      const byPair = new Map(pairList.map((t, i) => [t, pairPostings[i]]));
      const set = narrow(intersect(pairPostings, m.docs));
      for (let i = 0; i < set.length; i++) set[i] &= ~final[i];
      loose = ranked(set, wordPairs, byPair);
    }
    const docs = loose ? exact.docs.concat(loose.docs) : exact.docs;
    const scoreFor = (i) => (i < exact.docs.length ? exact.score(i) : loose.score(i - exact.docs.length));

    // The page of results, with fragments and snippets.
    const needles = [];
    for (const word of words) for (const run of runs(word)) needles.push(Array.from(run.join("")));
    needles.sort((a, b) => b.length - a.length);
    const page = docs.slice(from, from + count);
    const fragments = await Promise.all(page.map((doc) => load(`f/${doc}.json`)));
    const results = page.map((doc, i) => {
      const f = fragments[i];
      const at = from + i;
      const snippet = highlight(f.text || "", needles, { pairs });
      const title = highlight(f.title || "", needles, { pairs, width: Infinity });
      const docNo = f.doc_no ? highlight(f.doc_no, needles, { pairs, width: Infinity }) : null;
      const indexNo = f.index_no ? highlight(f.index_no, needles, { pairs, width: Infinity }) : null;
      return {
        doc,
        url: f.url,
        title: f.title,
        kind: f.kind,
        kind_label: f.kind_label ?? null,
        date: f.date ?? null,
        issuer: f.issuer ?? null,
        validity: f.validity ?? null,
        validity_label: f.validity_label ?? null,
        doc_no: f.doc_no ?? null,
        index_no: f.index_no ?? null,
        score: scoreFor(at),
        // false for a scattered match (the query's pairs, not its runs): after every exact one.
        exact: at < exact.docs.length,
        snippet: snippet.text,
        highlights: snippet.highlights,
        snippetHtml: snippet.html,
        // [start, end) of each match in title, doc_no and index_no (UTF-16 offsets), for
        // pages that build the DOM from text rather than inserting the *Html strings.
        titleHighlights: title.highlights,
        docNoHighlights: docNo ? docNo.highlights : null,
        indexNoHighlights: indexNo ? indexNo.highlights : null,
        titleHtml: title.html,
        docNoHtml: docNo ? docNo.html : null,
        indexNoHtml: indexNo ? indexNo.html : null,
      };
    });

    // Facet counts: the results ∩ each value. For a field that is itself filtered, its
    // own filter is left out, so its counts say what each further value would give.
    const facetCounts = {};
    if (wantFacets && facetFile) {
      const fields = [...FACET_FIELDS, ...Object.keys(facetFile).filter((f) => !FACET_FIELDS.includes(f))];
      for (const field of fields) {
        const values = facetFile[field];
        if (!values) continue;
        let scope = matched;
        if (fieldSets.has(field)) {
          for (const [other, set] of fieldSets) if (other !== field) scope = andSet(scope, set);
          if (dates) scope = andSet(scope, dates);
        } else {
          scope = final;
        }
        const selected = new Set((active.find(([f]) => f === field)?.[1] ?? []).map(String));
        facetCounts[field] = values
          .map((v) => ({ value: v.value, label: v.label, count: countAnd(scope, v.set), selected: selected.has(v.value) }))
          .filter((v) => v.count > 0 || v.selected);
      }
    }

    return {
      total: exact.docs.length,
      scattered: loose ? loose.docs.length : null,
      results,
      facets: facetCounts,
      query: String(query ?? ""),
      terms,
    };
  }

  return {
    search,
    /** Bytes (UTF-8 length of each body) and files fetched so far by this client. */
    stats: () => ({ bytes, files }),
    /** The manifest, once loaded (resolves when the client is ready). */
    manifest: () => manifest().then(({ foldMap: _f, lastDated: _l, ...m }) => m),
    /** The filter values of the site (facets.json, without postings). */
    filterValues: async () => {
      const m = await manifest();
      const data = await facetData(m);
      return Object.fromEntries(
        Object.entries(data).map(([field, values]) => [field, values.map((v) => ({ value: v.value, label: v.label, count: countSet(v.set) }))]),
      );
    },
  };
}

export default createSearch;
