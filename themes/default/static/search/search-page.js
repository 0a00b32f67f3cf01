// The /search/ page of a gongkai site: reads the query and filters from the URL, runs the
// search with gongkai-search.js, renders results and filter counts, and keeps the URL in
// step so a search can be shared. Published at assets/search/search-page.js; the site
// root is two folders up from here, and the client lives at search/gongkai-search.js.
//
// Everything is built with DOM calls and content goes in as text, never parsed as HTML:
// the page works under the Content-Security-Policy of docs/security.md (Trusted Types
// included), and a title such as `<img onerror=…>` shows as those characters.

import { createSearch } from "../../search/gongkai-search.js";

const ROOT = new URL("../../", import.meta.url).href;
const PAGE_SIZE = 20;
/** Filter fields and their legends, in display order. */
const FIELDS = [
  ["kind", "类型"],
  ["issuer", "发布机构"],
  ["year", "年份"],
  ["validity", "时效"],
  ["genre", "文种"],
  ["topic", "主题分类"],
];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const form = document.getElementById("search-form");
const input = document.getElementById("q");
const sortSelect = document.getElementById("sort");
const fromInput = document.getElementById("from");
const toInput = document.getElementById("to");
const status = document.getElementById("search-status");
const facetsBox = document.getElementById("facets");
const resultsBox = document.getElementById("results");
const headerInput = document.getElementById("site-search");

const client = createSearch({ base: ROOT });
let generation = 0;

/**
 * A new element: `h("a", { href, class: "x" }, child, …)`. Children are nodes or strings
 * (inserted as text, never parsed as HTML); null, false and "" are left out, arrays are
 * flattened. Attribute values are set as given (true: present and empty).
 */
function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    element.setAttribute(name, value === true ? "" : String(value));
  }
  element.append(...nodes(children));
  return element;
}

/** The nodes and strings of a (nested) child list, without the empty ones. */
function nodes(children) {
  return children.flat(Infinity).filter((c) => c instanceof Node || (typeof c === "string" && c !== ""));
}

/** `text` with the [start, end) ranges (UTF-16 offsets) in <mark>, as a child list. */
function marked(text, ranges) {
  const value = String(text ?? "");
  const parts = [];
  let at = 0;
  for (const [start, end] of ranges || []) {
    if (start < at || end <= start) continue;
    parts.push(value.slice(at, start), h("mark", null, value.slice(start, end)));
    at = end;
  }
  parts.push(value.slice(at));
  return parts;
}

/** The search state of a URL's query string. */
function readState(search) {
  const params = new URLSearchParams(search);
  const filters = {};
  for (const [field] of FIELDS) {
    const values = params.getAll(field).filter(Boolean);
    if (values.length) filters[field] = [...new Set(values)];
  }
  const from = params.get("from") || "";
  const to = params.get("to") || "";
  const page = Number.parseInt(params.get("page") || "1", 10);
  return {
    q: (params.get("q") || "").trim(),
    sort: params.get("sort") === "date" ? "date" : "relevance",
    from: DATE.test(from) ? from : "",
    to: DATE.test(to) ? to : "",
    filters,
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}

/** The query string of a state (empty parts left out). */
function writeState(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.sort === "date") params.set("sort", "date");
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  for (const [field] of FIELDS) for (const value of state.filters[field] || []) params.append(field, value);
  if (state.page > 1) params.set("page", String(state.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The state the form (and the filter checkboxes) currently shows. */
function formState() {
  const filters = {};
  for (const box of facetsBox.querySelectorAll("input[type=checkbox]:checked")) {
    (filters[box.name] ??= []).push(box.value);
  }
  return {
    q: input.value.trim(),
    sort: sortSelect.value === "date" ? "date" : "relevance",
    from: DATE.test(fromInput.value) ? fromInput.value : "",
    to: DATE.test(toInput.value) ? toInput.value : "",
    filters,
    page: 1,
  };
}

function fillForm(state) {
  input.value = state.q;
  if (headerInput) headerInput.value = state.q;
  sortSelect.value = state.sort;
  fromInput.value = state.from;
  toInput.value = state.to;
}

function hasFilters(state) {
  return Boolean(state.from || state.to || Object.keys(state.filters).length);
}

function pageUrl(state) {
  return `${location.pathname}${writeState(state)}`;
}

function announce(text) {
  // Clear first so the same sentence twice in a row is still read out.
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = text;
  }, 50);
}

function badge(result) {
  if (!result.validity_label) return null;
  const kind = result.kind === "task" ? "status" : "validity";
  return h("span", { class: `badge ${kind}-${result.validity}` }, result.validity_label);
}

function renderResult(result) {
  const href = `${ROOT}${result.url}index.html`;
  const facts = [
    // A scattered match says so in words, not by colour or position alone.
    result.exact === false ? h("span", { class: "result-scattered" }, "分散匹配") : null,
    h("span", { class: "result-kind" }, result.kind_label || result.kind),
    result.issuer ? h("span", { class: "result-issuer" }, result.issuer) : null,
    result.doc_no ? h("span", { class: "doc-no" }, marked(result.doc_no, result.docNoHighlights)) : null,
    // The 索引号 only when the query matched it.
    result.index_no && result.indexNoHighlights?.length
      ? h("span", { class: "index-no" }, "索引号 ", marked(result.index_no, result.indexNoHighlights))
      : null,
    result.date ? h("time", { datetime: result.date }, result.date) : null,
    badge(result),
  ];
  return h(
    "li",
    { class: "search-result" },
    h("h3", { class: "result-title" }, h("a", { href }, marked(result.title, result.titleHighlights))),
    h("p", { class: "result-facts" }, facts),
    result.snippet ? h("p", { class: "result-snippet" }, marked(result.snippet, result.highlights)) : null,
  );
}

function renderPagination(state, total) {
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return null;
  const link = (page, text, rel) => h("a", { href: pageUrl({ ...state, page }), "data-page": page, rel }, text);
  const items = [];
  if (state.page > 1) items.push(link(state.page - 1, "上一页", "prev"));
  const first = Math.max(1, state.page - 4);
  const last = Math.min(pages, first + 8);
  for (let p = first; p <= last; p++) {
    items.push(p === state.page ? h("span", { "aria-current": "page" }, String(p)) : link(p, String(p)));
  }
  if (state.page < pages) items.push(link(state.page + 1, "下一页", "next"));
  return h(
    "nav",
    { class: "pagination", "aria-label": "搜索结果分页" },
    h("p", null, `第${state.page}页，共${pages}页`),
    h("ul", null, items.map((item) => h("li", null, item))),
  );
}

function renderNoResults(state) {
  const tips = [
    "检查有没有错别字，或换一个更短、更常用的词（如“知识产权”）；",
    "文号可以只输入一部分，如“67号”或“连政办发”；索引号请完整输入，如“k12498411/2014-00065”；",
  ];
  if (hasFilters(state)) {
    tips.push(["减少筛选条件，或", h("a", { href: "#", "data-clear-filters": true }, "清除全部筛选条件"), "；"]);
  }
  tips.push([
    "也可以",
    h("a", { href: `${ROOT}notices/index.html` }, "按年份浏览政府文件"),
    "，或查看",
    h("a", { href: `${ROOT}units/index.html` }, "机构名录"),
    "。",
  ]);
  const what = state.q ? `没有找到与“${state.q}”相关的结果。` : "没有找到符合筛选条件的结果。";
  return h(
    "div",
    { class: "no-results" },
    h("p", { class: "no-results-title" }, what),
    h("p", null, "您可以："),
    h("ul", null, tips.map((tip) => h("li", null, tip))),
  );
}

/** The filter panel's nodes (none when there is nothing to filter by). */
function renderFacets(state, facets) {
  const parts = [];
  for (const [field, legend] of FIELDS) {
    const values = facets[field] || [];
    if (!values.length) continue;
    const selected = new Set(state.filters[field] || []);
    const items = values.map((v, i) => {
      const id = `facet-${field}-${i}`;
      return h(
        "li",
        null,
        h("input", {
          type: "checkbox",
          id,
          name: field,
          value: v.value,
          form: "search-form",
          checked: selected.has(String(v.value)),
        }),
        h("label", { for: id }, String(v.label ?? v.value), h("span", { class: "count" }, `（${v.count}）`)),
      );
    });
    parts.push(h("fieldset", { class: "facet" }, h("legend", null, legend), h("ul", null, items)));
  }
  if (!parts.length) return [];
  const clear = hasFilters(state)
    ? h("p", null, h("button", { type: "button", class: "link-button", "data-clear-filters": true }, "清除筛选条件"))
    : null;
  // Open on wide screens; on a phone the reader opens it (results come first to the eye).
  const previous = facetsBox.querySelector("details");
  const open = previous ? previous.open : !window.matchMedia || window.matchMedia("(min-width: 40rem)").matches;
  return [h("details", { class: "facet-panel", open }, h("summary", null, h("h2", null, "筛选结果")), clear, parts)];
}

/** Runs the search of `state` and renders it. */
async function run(state) {
  const mine = ++generation;
  fillForm(state);
  if (!state.q && !hasFilters(state)) {
    facetsBox.replaceChildren();
    resultsBox.replaceChildren();
    status.textContent = "";
    return;
  }
  resultsBox.setAttribute("aria-busy", "true");
  const options = {
    filters: state.filters,
    sort: state.sort,
    limit: PAGE_SIZE,
    offset: (state.page - 1) * PAGE_SIZE,
    dateFrom: state.from,
    dateTo: state.to,
    // Documents holding the query's characters apart, after every exact match.
    scattered: true,
  };
  let answer;
  try {
    // Results first, without the filter counts: those need facets.json, the largest file
    // of the index on a big site, and follow as soon as it has arrived.
    answer = await client.search(state.q, { ...options, facets: false });
  } catch (error) {
    if (mine !== generation) return;
    showUnavailable(error);
    return;
  }
  if (mine !== generation) return;
  renderResults(state, answer);
  let counted;
  try {
    counted = await client.search(state.q, { ...options, limit: 0, facets: true });
  } catch (error) {
    // Results stand without counts; a panel from an earlier search would mislead.
    if (mine === generation) facetsBox.replaceChildren();
    console.error(error);
    return;
  }
  if (mine !== generation) return;
  renderFacetPanel(state, counted.facets || {});
}

function showUnavailable(error) {
  resultsBox.removeAttribute("aria-busy");
  const local = location.protocol === "file:";
  resultsBox.replaceChildren(
    h(
      "div",
      { class: "no-results" },
      h("p", { class: "no-results-title" }, "搜索暂时无法使用。"),
      h(
        "p",
        null,
        local
          ? "从本地文件打开网站时，浏览器不允许读取搜索索引；请通过网站服务器访问本页。"
          : "未能读取搜索索引，请稍后再试。",
      ),
    ),
  );
  announce("搜索暂时无法使用");
  console.error(error);
}

/** The filter panel, keeping keyboard focus on the same checkbox across a re-render. */
function renderFacetPanel(state, facets) {
  const focused = document.activeElement;
  const refocus =
    focused && facetsBox.contains(focused) && focused.name ? [focused.name, focused.value] : null;
  facetsBox.replaceChildren(...renderFacets(state, facets));
  if (refocus) {
    const again = [...facetsBox.querySelectorAll("input[type=checkbox]")].find(
      (box) => box.name === refocus[0] && box.value === refocus[1],
    );
    again?.focus();
  }
}

function renderResults(state, answer) {
  resultsBox.removeAttribute("aria-busy");
  const loose = answer.scattered ?? 0;
  if (!answer.total && !loose) {
    resultsBox.replaceChildren(renderNoResults(state));
    announce(state.q ? `没有找到与“${state.q}”相关的结果` : "没有找到符合筛选条件的结果");
    return;
  }
  const firstShown = (state.page - 1) * PAGE_SIZE + 1;
  const lastShown = firstShown + answer.results.length - 1;
  const range = answer.results.length ? `，显示第${firstShown}–${lastShown}条` : "";
  const order = state.sort === "date" ? "按日期从新到旧排列" : "按相关度排列";
  const exact = answer.results.filter((r) => r.exact !== false);
  const scattered = answer.results.filter((r) => r.exact === false);
  const extra = loose ? `；另有${loose}条分散匹配（查询词的字未连续出现），列在其后` : "";
  const count = `找到${answer.total}条结果${extra}${range}，${order}。`;
  resultsBox.replaceChildren(
    ...nodes([
      h("h2", { id: "results-heading", class: "visually-hidden" }, "搜索结果"),
      h("p", { class: "list-count" }, count),
      exact.length
        ? h(
            "ol",
            { class: "result-list", start: firstShown, "aria-labelledby": "results-heading" },
            exact.map(renderResult),
          )
        : null,
      scattered.length
        ? h("h2", { id: "scattered-heading", class: "scattered-heading" }, "分散匹配：以下结果含有查询词的各个字词，但未连续出现")
        : null,
      scattered.length
        ? h(
            "ol",
            { class: "result-list scattered", start: firstShown + exact.length, "aria-labelledby": "scattered-heading" },
            scattered.map(renderResult),
          )
        : null,
      renderPagination(state, answer.total + loose),
    ]),
  );
  announce(`找到${answer.total}条结果${loose ? `，另有${loose}条分散匹配` : ""}`);
}

/** Puts `state` in the address bar (no new history entry) and runs it. */
function go(state) {
  history.replaceState(null, "", pageUrl(state));
  return run(state);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  go(formState());
});
sortSelect.addEventListener("change", () => go(formState()));
fromInput.addEventListener("change", () => go(formState()));
toInput.addEventListener("change", () => go(formState()));
facetsBox.addEventListener("change", (event) => {
  if (event.target.matches("input[type=checkbox]")) go(formState());
});

function clearFilters() {
  go({ ...formState(), filters: {}, from: "", to: "" });
  input.focus();
}
document.addEventListener("click", async (event) => {
  const target = event.target.closest("[data-clear-filters], .pagination a[data-page]");
  if (!target) return;
  event.preventDefault();
  if (target.hasAttribute("data-clear-filters")) {
    clearFilters();
    return;
  }
  await go({ ...readState(location.search), page: Number(target.dataset.page) });
  // Take the reader to the new page of results.
  resultsBox.querySelector(".result-title a")?.focus();
});

run(readState(location.search));
