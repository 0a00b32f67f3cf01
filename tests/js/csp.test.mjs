// The pages under their Content-Security-Policy in a real browser. tests/csp_nginx.rs
// serves built sites through Debian's nginx with docs/nginx/*.conf and writes a plan (JSON,
// path in GONGKAI_CSP_PLAN); this file drives Debian's Chromium, headless, over the Chrome
// DevTools Protocol (Node's WebSocket, no npm dependency) and checks that:
//
// - every page of the example site, the search page with a query (at the root and under
//   /sub/) and the 404 page load with the CSP header sent and without a single CSP
//   violation, console error or warning, uncaught exception or failed request;
// - content that looks like HTML (a hostile site) is shown as text by the search page;
// - the detector works: a page of an `unsafe_html: true` site with an inline script, an
//   inline style, an inline event handler, a same-origin script writing innerHTML and an
//   attachment loaded as a script reports each of those, and none of them ran.
//
//   GONGKAI_CSP_PLAN=plan.json node --experimental-websocket --test tests/js/csp.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, launch, sleep, until } from "./cdp.mjs";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const PLAN_FILE = process.env.GONGKAI_CSP_PLAN;
if (!PLAN_FILE) throw new Error("set GONGKAI_CSP_PLAN (tests/csp_nginx.rs writes it)");
const plan = JSON.parse(readFileSync(PLAN_FILE, "utf8"));
const CHROMIUM = plan.chromium || "/usr/bin/chromium";

/** The page's own listener: every `securitypolicyviolation`, reported over a binding. */
const BINDING = "__gongkaiCspViolation";
const LISTENER = `document.addEventListener("securitypolicyviolation", (e) => {
  globalThis.${BINDING}(JSON.stringify({
    directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample,
    source: e.sourceFile, line: e.lineNumber, disposition: e.disposition,
  }));
}, true);`;

const header = (headers, name) =>
  Object.entries(headers || {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] ?? null;

/**
 * Chromium with everything a page can report wired up. `visit(url, ready)` loads a page,
 * waits for its load event and the `ready` expression, and returns what it reported.
 */
async function browser() {
  const profile = mkdtempSync(path.join(tmpdir(), "gongkai-csp-chromium-"));
  const chrome = launch(CHROMIUM, profile);
  let cdp;
  try {
    cdp = await connect(await chrome.endpoint);
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    const page = (method, params) => cdp.send(method, params, sessionId);

    let current = null;
    const stray = [];
    const record = (kind, entry) => (current ? current[kind] : stray).push(entry);
    cdp.on("Runtime.bindingCalled", (p) => {
      if (p.name === BINDING) record("violations", JSON.parse(p.payload));
    });
    cdp.on("Runtime.exceptionThrown", (p) =>
      record("problems", `uncaught: ${p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text}`),
    );
    cdp.on("Runtime.consoleAPICalled", (p) => {
      if (["error", "warning", "assert"].includes(p.type)) {
        record("problems", `console.${p.type}: ${p.args.map((a) => a.value ?? a.description).join(" ")}`);
      }
    });
    cdp.on("Log.entryAdded", ({ entry }) => {
      if (entry.level === "error" || entry.level === "warning") {
        record("problems", `log (${entry.source}, ${entry.level}): ${entry.text}${entry.url ? ` [${entry.url}]` : ""}`);
      }
    });
    cdp.on("Audits.issueAdded", ({ issue }) => record("problems", `issue: ${issue.code} ${JSON.stringify(issue.details)}`));
    cdp.on("Network.loadingFailed", (p) => {
      if (!p.canceled) record("problems", `request failed: ${p.errorText} ${p.blockedReason ?? ""} (${p.type})`);
    });
    cdp.on("Network.responseReceived", (p) => {
      if (p.type === "Document") {
        record("documents", { url: p.response.url, status: p.response.status, csp: header(p.response.headers, "content-security-policy") });
      }
    });

    await page("Runtime.enable");
    await page("Runtime.addBinding", { name: BINDING });
    await page("Page.enable");
    await page("Page.addScriptToEvaluateOnNewDocument", { source: LISTENER });
    await page("Log.enable");
    await page("Network.enable");
    await page("Network.setCacheDisabled", { cacheDisabled: true });
    await page("Audits.enable");

    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await page("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails)}`);
      return result.value;
    };
    const visit = async (url, ready) => {
      current = { url, violations: [], problems: [], documents: [] };
      const loaded = cdp.once("Page.loadEventFired");
      const { errorText } = await page("Page.navigate", { url });
      if (errorText) current.problems.push(`navigation: ${errorText}`);
      else await loaded;
      if (ready) await until(() => evaluate(ready), `${ready} on ${url}`);
      // Reports queued during the load (violation events, console messages) arrive
      // over the socket after it: one more round trip through the page's task queue.
      await evaluate("new Promise((r) => setTimeout(r, 50))");
      await sleep(50);
      const seen = current;
      current = null;
      return seen;
    };
    const close = async () => {
      cdp?.close();
      await chrome.kill();
      rmSync(profile, { recursive: true, force: true });
    };
    return { visit, evaluate, stray, close };
  } catch (error) {
    cdp?.close();
    await chrome.kill();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Everything wrong with one visit, as lines: what the clean pages must have none of
 * (and what the deliberately broken page must have). `allow` drops expected log lines.
 */
function problemsOf(seen, { status = 200, allow = [] } = {}) {
  const out = [];
  for (const v of seen.violations) out.push(`CSP violation: ${v.directive} blocked ${v.blocked || "(inline)"} ${v.sample || ""} at ${v.source}:${v.line}`);
  for (const p of seen.problems) if (!allow.some((re) => re.test(p))) out.push(p);
  const doc = seen.documents.find((d) => d.url.split("#")[0] === seen.url.split("#")[0]) ?? seen.documents[0];
  if (!doc) out.push("no document response seen");
  else {
    if (doc.status !== status) out.push(`status ${doc.status}, expected ${status}`);
    if (doc.csp !== plan.csp) out.push(`Content-Security-Policy header ${JSON.stringify(doc.csp)}, expected the one of docs/nginx/security-headers.conf`);
  }
  return out;
}

const RESULTS_READY = "document.querySelectorAll('#results .search-result').length > 0 && document.querySelectorAll('#facets fieldset').length > 0";

test("every page and a search work under the CSP, and a CSP violation would be caught", async (t) => {
  if (typeof globalThis.WebSocket !== "function") {
    assert.fail("globalThis.WebSocket is missing: run this file with `node --experimental-websocket --test` (Node 20) or Node 22+");
  }
  const chrome = await browser();
  try {
    await t.test("the detector reports every kind of violation of a broken page", async (t) => {
      const { url, expect } = plan.unsafe;
      // Following a javascript: link counts as inline script too.
      const seen = await chrome.visit(url, "(document.getElementById('js-link').click(), true)");
      for (const line of problemsOf(seen)) t.diagnostic(`broken page: ${line}`);
      const found = new Set(seen.violations.map((v) => v.directive));
      for (const directive of expect) assert.ok(found.has(directive), `no ${directive} violation reported: ${JSON.stringify(seen.violations)}`);
      const problems = problemsOf(seen);
      assert.ok(problems.length >= expect.length, "the check of the clean pages would fail here");
      assert.ok(
        seen.problems.some((p) => /Content Security Policy/.test(p)),
        `Chromium's own console reports the violations too: ${JSON.stringify(seen.problems)}`,
      );
      // What was blocked did not run.
      assert.equal(await chrome.evaluate("window.__inlineScriptRan ?? null"), null, "inline <script> ran");
      assert.equal(await chrome.evaluate("window.__inlineHandlerRan ?? null"), null, "inline onerror= ran");
      assert.equal(await chrome.evaluate("window.__attachmentRan ?? null"), null, "an attachment ran as a script");
      assert.equal(await chrome.evaluate("window.__javascriptUrlRan ?? null"), null, "a javascript: link ran");
      assert.equal(await chrome.evaluate("document.documentElement.dataset.probe"), "refused", "innerHTML took a string");
      assert.notEqual(await chrome.evaluate("getComputedStyle(document.getElementById('styled')).color"), "rgb(255, 0, 0)");
    });

    await t.test("every page of the example site", async () => {
      const failures = [];
      for (const url of plan.pages) {
        const problems = problemsOf(await chrome.visit(url));
        if (problems.length) failures.push(`${url}\n  ${problems.join("\n  ")}`);
      }
      assert.deepEqual(failures, [], `${failures.length} of ${plan.pages.length} pages:\n${failures.join("\n")}`);
    });

    await t.test("a notice and a search, at the root and under a subfolder", async () => {
      for (const { notice, search, first } of plan.searches) {
        assert.deepEqual(problemsOf(await chrome.visit(notice, "!!document.querySelector('.meta .index-no')")), [], notice);
        const seen = await chrome.visit(search, RESULTS_READY);
        assert.deepEqual(problemsOf(seen), [], search);
        const titles = await chrome.evaluate("[...document.querySelectorAll('#results .result-title a')].map((a) => a.textContent)");
        assert.ok(titles.length > 0, "results appear");
        assert.equal(titles[0], first);
        assert.ok(await chrome.evaluate("!!document.querySelector('#results .result-title mark')"), "the match is marked");
      }
    });

    await t.test("the 404 page", async () => {
      const seen = await chrome.visit(plan.notFound, "!!document.querySelector('main h1')");
      assert.deepEqual(problemsOf(seen, { status: 404, allow: [/status of 404/] }), []);
    });

    await t.test("content that looks like HTML is shown as text", async () => {
      const { search, page, title, issuer } = plan.hostile;
      const seen = await chrome.visit(search, RESULTS_READY);
      assert.deepEqual(problemsOf(seen), [], search);
      assert.equal(await chrome.evaluate("document.querySelector('#results .result-title a').textContent"), title);
      assert.equal(
        await chrome.evaluate("[...document.querySelectorAll('#results .result-issuer')].map((e) => e.textContent).join('|')"),
        issuer,
      );
      assert.ok(
        await chrome.evaluate(`[...document.querySelectorAll('#facets label')].some((l) => l.textContent.startsWith(${JSON.stringify(issuer)}))`),
        "the filter label shows the name as text",
      );
      const injected = "#results :is(img, b, i, script, svg, iframe), #facets :is(img, b, i, script, svg, iframe), [onerror], [onload]";
      assert.equal(await chrome.evaluate(`document.querySelectorAll(${JSON.stringify(injected)}).length`), 0);
      assert.equal(await chrome.evaluate("window.__pwned ?? null"), null);
      // The notice page itself: escaped by the templates and by Markdown.
      const notice = await chrome.visit(page, "!!document.querySelector('.meta .index-no')");
      assert.deepEqual(problemsOf(notice), [], page);
      assert.equal(await chrome.evaluate("document.querySelector('.notice-header h1').textContent"), title);
      // (The one <img> is the Markdown image, its data: source dropped.)
      assert.equal(await chrome.evaluate("document.querySelectorAll('main :is(b, i, script, svg, iframe), [onerror], [onload]').length"), 0);
      assert.equal(await chrome.evaluate("document.querySelectorAll('main img').length"), 1);
      assert.deepEqual(
        await chrome.evaluate("[...document.querySelectorAll('main [href], main [src]')].map((e) => e.href || e.src).filter((u) => !/^https?:/.test(u))"),
        [],
        "no link or image outside http(s)",
      );
      assert.ok(await chrome.evaluate("document.querySelector('.prose').textContent.includes('<script>')"), "raw HTML shown as text");
      assert.equal(await chrome.evaluate("window.__pwned ?? null"), null);
    });

    assert.deepEqual(chrome.stray, [], "reports between page loads");
  } finally {
    await chrome.close();
  }
});
