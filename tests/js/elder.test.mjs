// 长者模式 and small screens in a real browser (Debian's Chromium over the DevTools
// Protocol, no npm dependency): the built site (GONGKAI_SITE) is served from a subfolder;
// at 320 px width the header's 长者模式 switch makes text 20 px then 24 px, is remembered
// across pages, every text on every page type keeps 7:1 contrast (WCAG 1.4.6) and no page
// scrolls sideways in the biggest step, nor with the root font size doubled and no script
// at all.
//
//   GONGKAI_SITE=/path/to/public node --experimental-websocket --test tests/js/elder.test.mjs
//
// Skipped only when /usr/bin/chromium (or $CHROMIUM) is missing and GONGKAI_REQUIRE_BROWSER
// is not 1.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, launch, until } from "./cdp.mjs";
import { SUBFOLDER, serve } from "./static-server.mjs";
import { PAGE_TYPES } from "./pages.mjs";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const SITE = process.env.GONGKAI_SITE;
if (!SITE) throw new Error("set GONGKAI_SITE to the public/ folder of a built example site");
const SITE_DIR = path.resolve(SITE);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
/** One page of each type (not 404.html: it links from base_url's path, not this server's
 * subfolder; tests/js/a11y.test.mjs serves it at the root). */
const PAGES = [...PAGE_TYPES, "search/index.html"];
/** The lowest contrast ratio (WCAG 2.1 relative luminance) of any visible text on the page
 * against the background it is drawn on, and where. Backgrounds are walked up to the first
 * opaque one; text in an SVG or over an image is left out. */
const LOWEST_CONTRAST = `(() => {
  const rgb = (c) => { const m = c.match(/[\\d.]+/g); return m ? m.map(Number) : [0, 0, 0, 0]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (e) => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if ((c[3] ?? 1) >= 1) return c; } return [255, 255, 255]; };
  let lowest = { ratio: 99, where: '' };
  for (const e of document.querySelectorAll('body *')) {
    if (e.closest('svg, .visually-hidden, [hidden]') || !e.offsetParent && getComputedStyle(e).position !== 'fixed') continue;
    if (![...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.opacity === '0') continue;
    const a = lum(rgb(s.color)), b = lum(background(e));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < lowest.ratio) lowest = { ratio: Math.round(ratio * 100) / 100, where: e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') + ' "' + e.textContent.trim().slice(0, 20) + '" ' + s.color + ' on ' + background(e).join(',') };
  }
  return lowest;
})()`;
test("长者模式 makes text bigger in two steps, is remembered, and no page scrolls sideways on a phone", async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.GONGKAI_REQUIRE_BROWSER === "1") assert.fail(`${CHROMIUM} is missing (GONGKAI_REQUIRE_BROWSER=1)`);
    t.skip(`${CHROMIUM} is not installed`);
    return;
  }
  if (typeof globalThis.WebSocket !== "function") {
    assert.fail("globalThis.WebSocket is missing: run this file with `node --experimental-websocket --test` (Node 20) or Node 22+");
  }
  const server = await serve(SITE_DIR);
  const base = `http://127.0.0.1:${server.address().port}${SUBFOLDER}`;
  const profile = mkdtempSync(path.join(tmpdir(), "gongkai-chromium-"));
  const browser = launch(CHROMIUM, profile);
  let cdp;
  try {
    cdp = await connect(await browser.endpoint);
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    const page = (method, params) => cdp.send(method, params, sessionId);
    const errors = [];
    cdp.on("Runtime.exceptionThrown", (p) => errors.push(p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text));
    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await page("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails)}`);
      return result.value;
    };
    await page("Page.enable");
    await page("Runtime.enable");
    await page("Emulation.setDeviceMetricsOverride", { width: 320, height: 640, deviceScaleFactor: 1, mobile: true });
    const open = async (relative) => {
      const url = base + relative;
      await page("Page.navigate", { url });
      await until(() => evaluate(`document.readyState === 'complete' && location.href === ${JSON.stringify(url)}`), `${url} to load`);
    };
    const bodyPx = () => evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main li, main td') || document.body).fontSize)");
    const sideways = () => evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    /** What sticks out on the right, for the message. */
    const offenders = () =>
      evaluate(`[...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().width) + 'px')`);

    // The switch: hidden without script, shown with it; 20 px, then 24 px.
    await open(PAGES[3]);
    await until(() => evaluate("!document.getElementById('elder-controls').hidden"), "the 长者模式 switch to show");
    assert.equal(await evaluate("document.getElementById('elder-toggle').getAttribute('aria-pressed')"), "false");
    const normal = await bodyPx();
    assert.equal(await evaluate("document.getElementById('elder-bigger').hidden"), true);
    await evaluate("document.getElementById('elder-toggle').click()");
    assert.equal(await evaluate("document.getElementById('elder-toggle').getAttribute('aria-pressed')"), "true");
    const elder = await bodyPx();
    assert.ok(elder >= 18 && elder > normal, `body text ${normal} px → ${elder} px`);
    await evaluate("document.getElementById('elder-bigger').click()");
    const biggest = await bodyPx();
    assert.ok(biggest > elder, `one more step: ${elder} px → ${biggest} px`);
    const targets = await evaluate(`[...document.querySelectorAll('header button, .site-nav a')]
      .filter((e) => e.offsetParent !== null).map((e) => Math.round(e.getBoundingClientRect().height))`);
    assert.ok(targets.length > 0 && targets.every((h) => h >= 44), `tap targets ≥ 44 px: ${targets}`);

    // Remembered on the next page, with no reload needed when switched.
    for (const relative of PAGES) {
      await open(relative);
      await until(() => evaluate("document.documentElement.classList.contains('elder-xl')"), `${relative} in the biggest step`);
      const over = await sideways();
      assert.ok(over <= 0, `${relative} scrolls sideways in 长者模式 at 320 px: ${over} px (${over > 0 ? (await offenders()).join(", ") : ""})`);
      // High contrast, really: every visible text at 7:1 or more (WCAG 1.4.6, AAA).
      const lowest = await evaluate(LOWEST_CONTRAST);
      assert.ok(lowest.ratio >= 7, `${relative} in 长者模式 has text below 7:1 contrast: ${lowest.ratio} at ${lowest.where}`);
    }

    // Switched off again; then without script, the root font doubled: still no sideways scroll.
    await evaluate("document.getElementById('elder-toggle').click()");
    assert.equal(await evaluate("document.documentElement.classList.contains('elder')"), false);
    await page("Emulation.setScriptExecutionDisabled", { value: true });
    for (const relative of PAGES) {
      await page("Page.navigate", { url: base + relative });
      await new Promise((r) => setTimeout(r, 300));
      await page("Emulation.setScriptExecutionDisabled", { value: false });
      await evaluate("document.documentElement.style.fontSize = '200%'");
      const over = await sideways();
      const wide = over > 0 ? await offenders() : [];
      await page("Emulation.setScriptExecutionDisabled", { value: true });
      assert.ok(over <= 0, `${relative} scrolls sideways at 320 px with text at 200 %: ${over} px (${wide.join(", ")})`);
    }
    assert.deepEqual(errors, [], "no script error");
  } finally {
    cdp?.close();
    await browser.kill();
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  }
});
