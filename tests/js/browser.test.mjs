// The /search/ page in a real browser: Debian's Chromium, headless, driven over the Chrome
// DevTools Protocol with Node's WebSocket. The built site (GONGKAI_SITE) is served from a
// subfolder on 127.0.0.1; a query is typed on /search/ and the first result read as a
// reader would see it.
//
//   GONGKAI_SITE=/path/to/public node --experimental-websocket --test tests/js/browser.test.mjs
//
// Skipped only when /usr/bin/chromium (or $CHROMIUM) is missing and GONGKAI_REQUIRE_BROWSER
// is not 1. No npm dependency.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, launch, until } from "./cdp.mjs";
import { SUBFOLDER, serve } from "./static-server.mjs";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

const SITE = process.env.GONGKAI_SITE;
if (!SITE) throw new Error("set GONGKAI_SITE to the public/ folder of a built example site");
const SITE_DIR = path.resolve(SITE);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const QUERY = "联席会议";
/** The newest document with 联席会议 in its title (docs/search.md: ties newest first). */
const EXPECTED_TITLE = "连云港市召开2024年度知识产权联席会议全体会议";
test("a query typed on /search/ shows the expected first result, shareable by URL", async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.GONGKAI_REQUIRE_BROWSER === "1") assert.fail(`${CHROMIUM} is missing (GONGKAI_REQUIRE_BROWSER=1)`);
    t.skip(`${CHROMIUM} is not installed`);
    return;
  }
  if (typeof globalThis.WebSocket !== "function") {
    assert.fail("globalThis.WebSocket is missing: run this file with `node --experimental-websocket --test` (Node 20) or Node 22+");
  }

  // What the same client answers in Node, for the same query.
  const client = await import(pathToFileURL(path.join(SITE_DIR, "search", "gongkai-search.js")).href);
  const nodeSearch = client.createSearch({
    base: pathToFileURL(SITE_DIR + path.sep).href,
    fetch: async (url) => new Response(await readFile(new URL(url))),
  });
  const expected = (await nodeSearch.search(QUERY, { limit: 1, facets: false })).results[0];
  assert.equal(expected?.title, EXPECTED_TITLE);

  const server = await serve(SITE_DIR);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const base = `${origin}${SUBFOLDER}`;
  const profile = mkdtempSync(path.join(tmpdir(), "gongkai-chromium-"));
  const browser = launch(CHROMIUM, profile);
  let cdp;
  try {
    cdp = await connect(await browser.endpoint);
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    const page = (method, params) => cdp.send(method, params, sessionId);
    // Uncaught exceptions and console errors of the page fail the test.
    const errors = [];
    cdp.on("Runtime.exceptionThrown", (p) => errors.push(p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text));
    cdp.on("Runtime.consoleAPICalled", (p) => {
      if (p.type === "error") errors.push(p.args.map((a) => a.value ?? a.description).join(" "));
    });
    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await page("Runtime.evaluate", {
        expression,
        returnByValue: true,
        awaitPromise: true,
      });
      if (exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails)}`);
      return result.value;
    };
    await page("Page.enable");
    await page("Runtime.enable");
    const open = async (url, id = "search-status") => {
      await page("Page.navigate", { url });
      await until(
        () => evaluate(`document.readyState === 'complete' && location.href === ${JSON.stringify(url)} && !!document.getElementById('${id}')`),
        `${url} to load`,
      );
    };
    const results = () =>
      evaluate(`[...document.querySelectorAll('#results .search-result')].map((li) => {
        const a = li.querySelector('.result-title a');
        return { title: a.textContent, href: a.href, text: li.textContent };
      })`);

    // 1. Type the query and press Enter.
    await open(`${base}search/index.html`);
    assert.equal(
      await evaluate("document.querySelector('label[for=q]')?.textContent.trim().length > 0"),
      true,
      "the search box has a label",
    );
    await evaluate("document.getElementById('q').focus()");
    assert.equal(await evaluate("document.activeElement.id"), "q");
    await page("Input.insertText", { text: QUERY });
    await page("Input.dispatchKeyEvent", {
      type: "keyDown",
      key: "Enter",
      code: "Enter",
      windowsVirtualKeyCode: 13,
      nativeVirtualKeyCode: 13,
      text: "\r",
    });
    await page("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
    const list = await until(async () => {
      const r = await results();
      return r.length ? r : null;
    }, "results");
    const first = list[0];
    assert.equal(first.title, expected.title);
    assert.equal(first.href, `${base}${expected.url}index.html`);
    const linked = await fetch(first.href);
    assert.equal(linked.status, 200, `${first.href} resolves`);
    assert.match(await linked.text(), new RegExp(EXPECTED_TITLE));

    const location = await evaluate("location.href");
    assert.ok(location.startsWith(`${base}search/index.html?`), location);
    assert.equal(new URL(location).searchParams.get("q"), QUERY, "the query is in the URL");
    const status = await until(() => evaluate("document.getElementById('search-status').textContent"), "the announcement");
    assert.match(status, /^找到\d+条结果$/);
    assert.equal(await evaluate("document.getElementById('search-status').getAttribute('aria-live')"), "polite");
    assert.ok(await evaluate("document.querySelectorAll('#facets fieldset legend').length > 0"), "filters are shown");
    assert.ok(await evaluate("!!document.querySelector('#results mark')"), "the match is highlighted");

    // 2. A shared URL with a filter: the form, the checkbox and the results follow it.
    await open(`${base}search/index.html?q=${encodeURIComponent(QUERY)}&validity=expired`);
    const filtered = await until(async () => {
      const r = await results();
      return r.length ? r : null;
    }, "filtered results");
    assert.equal(await evaluate("document.getElementById('q').value"), QUERY);
    assert.equal(await evaluate("document.querySelector('#facets input[name=validity][value=expired]')?.checked"), true);
    for (const r of filtered) assert.match(r.text, /失效/, r.title);
    // Unticking the filter with the keyboard: results and URL follow, focus stays put.
    await evaluate("document.querySelector('#facets input[name=validity][value=expired]').focus()");
    await page("Input.dispatchKeyEvent", { type: "keyDown", key: " ", code: "Space", windowsVirtualKeyCode: 32, text: " " });
    await page("Input.dispatchKeyEvent", { type: "keyUp", key: " ", code: "Space", windowsVirtualKeyCode: 32 });
    await until(async () => (await results()).length > filtered.length, "more results without the filter");
    assert.equal(new URL(await evaluate("location.href")).searchParams.get("validity"), null);
    assert.equal(
      await evaluate("document.activeElement?.matches('#facets input[name=validity][value=expired]') && !document.activeElement.checked"),
      true,
      "focus stays on the checkbox",
    );

    // 3. No results: a clear message, announced.
    await open(`${base}search/index.html?q=zzzzqqq`);
    const none = await until(() => evaluate("document.getElementById('search-status').textContent"), "the no-result announcement");
    assert.equal(none, "没有找到与“zzzzqqq”相关的结果");
    assert.match(await evaluate("document.getElementById('results').textContent"), /没有找到与“zzzzqqq”相关的结果/);

    // 3b. Scattered matches: after the exact ones, under their own heading, each marked in
    // words (not by colour alone). 产监督: two exact matches, one scattered.
    await open(`${base}search/index.html?q=${encodeURIComponent("产监督")}`);
    const mixed = await until(async () => {
      const r = await results();
      return r.length === 3 ? r : null;
    }, "exact and scattered results");
    assert.ok(!/分散匹配/.test(mixed[0].text) && !/分散匹配/.test(mixed[1].text), "exact results carry no label");
    assert.match(mixed[2].text, /分散匹配/, "the scattered result says so");
    assert.equal(
      await evaluate("document.querySelector('#results .result-list.scattered .result-scattered')?.textContent"),
      "分散匹配",
    );
    assert.match(await evaluate("document.getElementById('scattered-heading')?.textContent ?? ''"), /分散匹配/);
    assert.match(await evaluate("document.querySelector('#results .list-count').textContent"), /另有1条分散匹配/);

    // 4. The header search box of any page leads to the same search.
    await open(`${base}index.html`, "site-search");
    await evaluate("document.getElementById('site-search').focus()");
    await page("Input.insertText", { text: "67号" });
    await page("Input.dispatchKeyEvent", { type: "keyDown", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13, text: "\r" });
    await page("Input.dispatchKeyEvent", { type: "keyUp", key: "Enter", code: "Enter", windowsVirtualKeyCode: 13 });
    const fromHeader = await until(async () => {
      const href = await evaluate("location.href");
      if (!href.includes("/search/")) return null;
      const r = await results();
      return r.length ? r : null;
    }, "results from the header search box");
    assert.equal(fromHeader[0].href, `${base}notices/k12498411-2014-00065/index.html`);

    assert.deepEqual(errors, [], "no error in the page");
  } finally {
    cdp?.close();
    await browser.kill();
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  }
});
