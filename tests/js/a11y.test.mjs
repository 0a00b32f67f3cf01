// Accessibility (WCAG 2.1 AA, the basis of GB/T 37668-2019) in a real browser: axe-core
// (tests/js/node_modules, `npm ci` in tests/js) runs in Debian's headless Chromium over the
// DevTools Protocol on one page of every type of the built example site (GONGKAI_SITE), on
// a desktop and a phone width and in 长者模式; every data table in main has a caption and
// every th a scope; and the keyboard: the first Tab lands on the skip link, every focused
// element shows a focus ring, and Tab reaches the footer (no trap).
//
//   GONGKAI_SITE=/path/to/public node --experimental-websocket --test tests/js/a11y.test.mjs
//
// Skipped only when Chromium or axe-core is missing and GONGKAI_REQUIRE_BROWSER is not 1;
// with GONGKAI_REQUIRE_BROWSER=1 (CI) a missing one fails.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, launch, until, sleep } from "./cdp.mjs";
import { serve } from "./static-server.mjs";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PAGE_TYPES } from "./pages.mjs";

const SITE = process.env.GONGKAI_SITE;
if (!SITE) throw new Error("set GONGKAI_SITE to the public/ folder of a built example site");
const SITE_DIR = path.resolve(SITE);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const AXE = path.join(path.dirname(fileURLToPath(import.meta.url)), "node_modules", "axe-core", "axe.min.js");

/** One page of every type. Served at the domain root (not a subfolder) so that 404.html,
 * whose links start from base_url's path, gets its stylesheet like a real 404 does. */
export const PAGES = [
  ...PAGE_TYPES,
  "search/index.html?q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83",
  "404.html",
];
/** Pages whose axe run is repeated at phone width and in 长者模式 (where layout and colours
 * change). */
const ELDER_PAGES = [
  "index.html",
  "notices/k12498411-2014-00065/index.html",
  "progress/gz-2007-ip-demo-city/index.html",
  "search/index.html?q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83",
];
const RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

function missing() {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is missing`;
  if (!existsSync(AXE)) return `${AXE} is missing (run \`npm ci\` in tests/js)`;
  if (typeof globalThis.WebSocket !== "function") return "globalThis.WebSocket is missing: run with `node --experimental-websocket --test` (Node 20) or Node 22+";
  return null;
}

/** A browser with one tab on the site served at the root; `fn(tab)` runs the checks. */
async function withBrowser(t, fn) {
  const why = missing();
  if (why) {
    if (process.env.GONGKAI_REQUIRE_BROWSER === "1" || why.includes("WebSocket")) assert.fail(`${why} (GONGKAI_REQUIRE_BROWSER=1)`);
    t.skip(why);
    return;
  }
  const server = await serve(SITE_DIR, "/");
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(path.join(tmpdir(), "gongkai-chromium-"));
  const browser = launch(CHROMIUM, profile);
  let cdp;
  try {
    cdp = await connect(await browser.endpoint);
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    const send = (method, params) => cdp.send(method, params, sessionId);
    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await send("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw new Error(`${expression.slice(0, 200)}: ${JSON.stringify(exceptionDetails)}`);
      return result.value;
    };
    await send("Page.enable");
    await send("Runtime.enable");
    const size = (width, height, mobile = false) =>
      send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile });
    await size(1280, 900);
    const open = async (relative) => {
      const url = base + relative;
      await send("Page.navigate", { url });
      await until(() => evaluate(`document.readyState === 'complete' && location.href === ${JSON.stringify(url)}`), `${url} to load`);
      if (relative.startsWith("search/")) {
        await until(() => evaluate("document.querySelectorAll('#results .search-result').length > 0"), "search results");
      }
    };
    await fn({ send, evaluate, open, size });
  } finally {
    cdp?.close();
    await browser.kill();
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  }
}

/** axe-core's violations on the open page, one line each with its elements. */
async function axe(tab) {
  if (!(await tab.evaluate("typeof window.axe === 'object'"))) await tab.evaluate(readFileSync(AXE, "utf8"));
  const violations = await tab.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(RULES)} }, resultTypes: ['violations'] })
    .then((r) => ({ ran: r.passes.length + r.violations.length + r.incomplete.length,
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), why: n.failureSummary })) })) }))`);
  assert.ok(violations.ran >= 10, `axe-core ran its rules (${violations.ran})`);
  return violations.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n` + v.nodes.map((n) => `    ${n.target}\n      ${n.html}\n      ${(n.why || "").replace(/\n/g, " ")}`).join("\n"),
  );
}

test("axe-core finds no WCAG 2.1 A/AA violation on any page type (desktop, phone, 长者模式)", async (t) => {
  await withBrowser(t, async (tab) => {
    const found = [];
    for (const relative of PAGES) {
      await tab.open(relative);
      for (const v of await axe(tab)) found.push(`${relative} (desktop): ${v}`);
    }
    await tab.size(320, 640, true);
    for (const relative of ELDER_PAGES) {
      await tab.open(relative);
      for (const v of await axe(tab)) found.push(`${relative} (320 px): ${v}`);
    }
    await tab.open(PAGES[0]);
    await until(() => tab.evaluate("!document.getElementById('elder-controls').hidden"), "the 长者模式 switch");
    await tab.evaluate("document.getElementById('elder-toggle').click()");
    for (const relative of ELDER_PAGES) {
      await tab.open(relative);
      await until(() => tab.evaluate("document.documentElement.classList.contains('elder')"), `${relative} in 长者模式`);
      for (const v of await axe(tab)) found.push(`${relative} (长者模式, 320 px): ${v}`);
    }
    assert.equal(found.length, 0, `axe-core violations:\n${found.join("\n")}`);
  });
});

test("every data table in main has a caption and every th a scope", async (t) => {
  await withBrowser(t, async (tab) => {
    const problems = [];
    let tables = 0;
    for (const relative of PAGES) {
      await tab.open(relative);
      const report = await tab.evaluate(`(() => {
        const out = { tables: 0, problems: [] };
        document.querySelectorAll('main table').forEach((table, i) => {
          out.tables++;
          const caption = table.querySelector(':scope > caption');
          if (!caption || !caption.textContent.trim()) out.problems.push('table ' + i + ' (' + table.className + ') has no caption');
          table.querySelectorAll('th').forEach((th) => {
            if (!['row', 'col', 'rowgroup', 'colgroup'].includes(th.getAttribute('scope')))
              out.problems.push('table ' + i + ' th "' + th.textContent.trim().slice(0, 20) + '" has no scope');
          });
        });
        return out;
      })()`);
      tables += report.tables;
      for (const p of report.problems) problems.push(`${relative}: ${p}`);
    }
    assert.ok(tables >= 3, `the example site has data tables to check (found ${tables})`);
    assert.deepEqual(problems, []);
  });
});

test("keyboard: the first Tab reaches the skip link, focus is always visible, Tab reaches the footer", async (t) => {
  await withBrowser(t, async (tab) => {
    const press = async (shift = false) => {
      const common = { key: "Tab", code: "Tab", windowsVirtualKeyCode: 9, nativeVirtualKeyCode: 9, modifiers: shift ? 8 : 0 };
      await tab.send("Input.dispatchKeyEvent", { type: "keyDown", ...common });
      await tab.send("Input.dispatchKeyEvent", { type: "keyUp", ...common });
      await sleep(20);
    };
    const focused = () =>
      tab.evaluate(`(() => {
        const e = document.activeElement;
        if (!e || e === document.body) return null;
        const s = getComputedStyle(e);
        const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow && s.boxShadow !== 'none');
        const r = e.getBoundingClientRect();
        return { path: e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') + ' "' + (e.textContent || e.value || '').trim().slice(0, 20) + '"',
          skip: e.classList.contains('skip-link'), footer: !!e.closest('footer'), ring, onScreen: r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0 && r.left < innerWidth };
      })()`);
    for (const relative of ["notices/k12498411-2014-00065/index.html", "progress/gz-2007-ip-demo-city/index.html", "search/index.html?q=%E7%9F%A5%E8%AF%86%E4%BA%A7%E6%9D%83"]) {
      await tab.open(relative);
      await tab.evaluate("document.activeElement && document.activeElement.blur(), window.scrollTo(0, 0)");
      await press();
      const first = await focused();
      assert.ok(first?.skip, `${relative}: the first Tab lands on the skip link, not ${first?.path}`);
      assert.ok(first.ring && first.onScreen, `${relative}: the skip link shows when focused (${JSON.stringify(first)})`);
      // Following the skip link moves focus to main.
      await tab.send("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" });
      await tab.send("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
      await until(() => tab.evaluate("location.hash === '#main'"), "the skip link to be followed");
      let reached = null;
      let stops = 0;
      for (let i = 0; i < 2000 && !reached; i++) {
        await press();
        const now = await focused();
        assert.ok(now, `${relative}: Tab ${i + 1} left focus on nothing`);
        assert.ok(now.ring, `${relative}: ${now.path} shows no focus ring (outline or box-shadow)`);
        stops++;
        if (now.footer) reached = now;
        else if (now.skip) assert.fail(`${relative}: Tab came back to the skip link before the footer (a cycle that skips the footer)`);
      }
      assert.ok(reached, `${relative}: Tab reaches the footer (not reached in ${stops} stops: a keyboard trap)`);
      // And Shift+Tab goes back out of the footer (no trap there either).
      await press(true);
      const back = await focused();
      assert.ok(back && !back.footer, `${relative}: Shift+Tab leaves the footer's first link (${back?.path})`);
    }
  });
});
