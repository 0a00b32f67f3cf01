// `gongkai serve` in a real browser: a page reloads after its notice changes, a content
// error shows the overlay (file:line:col, the line, the help) over the last good page,
// Esc closes it, a page loaded while the error is current shows it too, and fixing the
// file clears it. All under the Content-Security-Policy serve sends (the production one),
// with no violation, console error or exception.
//
//   GONGKAI_SERVE_URL=http://127.0.0.1:8000/ GONGKAI_SERVE_PAGE=notices/x/ \
//   GONGKAI_SERVE_FILE=/site/content/notices/x.md GONGKAI_SHOTS=/tmp/shots \
//   node --experimental-websocket --test tests/js/serve.test.mjs
//
// Run by tests/serve.rs, which starts serve on a throw-away site. The notice file must
// have `title:` and `issuer:` lines; the test edits them and puts the file back.
// Skipped only when Chromium is missing and GONGKAI_REQUIRE_BROWSER is not 1.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, launch, until } from "./cdp.mjs";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const URL_BASE = process.env.GONGKAI_SERVE_URL;
const PAGE = process.env.GONGKAI_SERVE_PAGE;
const FILE = process.env.GONGKAI_SERVE_FILE;
const SHOTS = process.env.GONGKAI_SHOTS;
if (!URL_BASE || !PAGE || !FILE || !SHOTS) {
  throw new Error("set GONGKAI_SERVE_URL, GONGKAI_SERVE_PAGE, GONGKAI_SERVE_FILE and GONGKAI_SHOTS");
}
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

/** The 1-based line of the first line of `text` starting with `field:`, and its value. */
function field(text, name) {
  const lines = text.split("\n");
  const index = lines.findIndex((l) => l.startsWith(`${name}:`));
  assert.ok(index >= 0, `${FILE} has a ${name}: line`);
  const value = lines[index].slice(name.length + 1).trim();
  return { line: index + 1, column: lines[index].indexOf(value) + 1, value, text: lines[index] };
}

test("reload after a change, the error overlay appears, closes with Esc and clears", async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.GONGKAI_REQUIRE_BROWSER === "1") assert.fail(`${CHROMIUM} is missing (GONGKAI_REQUIRE_BROWSER=1)`);
    t.skip(`${CHROMIUM} is not installed`);
    return;
  }
  if (typeof globalThis.WebSocket !== "function") {
    assert.fail("globalThis.WebSocket is missing: run this file with `node --experimental-websocket --test` (Node 20) or Node 22+");
  }
  const original = readFileSync(FILE, "utf8");
  const title = field(original, "title");
  const issuer = field(original, "issuer");
  const newTitle = `${title.value}（修订）`;
  const retitled = original.replace(title.text, `title: ${newTitle}`);
  const wrongIssuer = `${issuer.value.replace(/^\[/, "")}x`;
  const broken = retitled.replace(issuer.text, `issuer: ${wrongIssuer}`);
  const url = new URL(PAGE, URL_BASE).href;

  const profile = mkdtempSync(path.join(tmpdir(), "gongkai-chromium-"));
  const browser = launch(CHROMIUM, profile);
  let cdp;
  try {
    cdp = await connect(await browser.endpoint);
    const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank" });
    const { sessionId } = await cdp.send("Target.attachToTarget", { targetId, flatten: true });
    const page = (method, params) => cdp.send(method, params, sessionId);
    const problems = [];
    cdp.on("Runtime.exceptionThrown", (p) => problems.push(`exception: ${p.exceptionDetails?.exception?.description ?? p.exceptionDetails?.text}`));
    cdp.on("Runtime.consoleAPICalled", (p) => {
      if (p.type === "error" || p.type === "warning") problems.push(`console: ${p.args.map((a) => a.value ?? a.description).join(" ")}`);
    });
    cdp.on("Log.entryAdded", ({ entry }) => {
      if (entry.level === "error" || entry.level === "warning") problems.push(`log: ${entry.text} ${entry.url ?? ""}`);
    });
    await page("Page.enable");
    await page("Runtime.enable");
    await page("Log.enable");
    await page("Emulation.setDeviceMetricsOverride", { width: 1100, height: 760, deviceScaleFactor: 1, mobile: false });
    // CSP violations of any page, recorded before its scripts run.
    await page("Page.addScriptToEvaluateOnNewDocument", {
      source: `document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));`,
    });
    const evaluate = async (expression) => {
      const { result, exceptionDetails } = await page("Runtime.evaluate", { expression, returnByValue: true, awaitPromise: true });
      if (exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails)}`);
      return result.value;
    };
    /** Like evaluate, but null while the page is between documents (reloading). */
    const probe = (expression) => evaluate(expression).catch(() => null);
    const listening = () => probe(`document.readyState === "complete" && document.documentElement.dataset.gongkaiLive === "open"`);
    const heading = () => probe(`document.querySelector("main h1")?.textContent.trim()`);
    const overlay = () =>
      probe(`(() => {
        const o = document.getElementById("gongkai-overlay");
        if (!o) return { shown: false };
        return {
          shown: true,
          role: o.getAttribute("role"),
          modal: o.getAttribute("aria-modal"),
          lang: o.lang,
          label: document.getElementById(o.getAttribute("aria-labelledby"))?.textContent,
          text: o.textContent,
          focused: document.activeElement?.className,
          width: o.getBoundingClientRect().width,
          background: getComputedStyle(o).backgroundColor,
        };
      })()`);
    const shot = async (name) => {
      const { data } = await page("Page.captureScreenshot", { format: "png" });
      writeFileSync(path.join(SHOTS, name), Buffer.from(data, "base64"));
    };

    try {
      // 1. The page loads and listens.
      await page("Page.navigate", { url });
      await until(listening, `${url} to load and listen`);
      assert.equal(await heading(), title.value);
      assert.equal((await overlay()).shown, false);

      // 2. Its notice is retitled: the page reloads by itself with the new title.
      await evaluate(`window.__before_reload = true`);
      writeFileSync(FILE, retitled);
      await until(async () => (await heading()) === newTitle, "the page to reload with the new title", 30_000);
      assert.equal(await probe(`window.__before_reload ?? false`), false, "a real reload");
      await until(listening, "the reloaded page to listen");
      await shot("serve-preview.png");

      // 3. A content error: the overlay shows where and what, over the last good page.
      writeFileSync(FILE, broken);
      const shown = await until(async () => {
        const o = await overlay();
        return o?.shown ? o : null;
      }, "the overlay", 30_000);
      // The file as the publisher knows it: relative to the site root (content/…).
      const parts = path.resolve(FILE).split(path.sep);
      const relative = parts.slice(parts.lastIndexOf("content")).join("/");
      const where = `${relative}:${issuer.line}:${issuer.column}`;
      assert.ok(shown.text.includes(where), `${where} in ${shown.text}`);
      assert.ok(shown.text.includes(wrongIssuer), shown.text);
      assert.ok(shown.text.includes(`issuer: ${wrongIssuer}`), "the source line");
      assert.ok(shown.text.includes("提示："), "the help");
      assert.equal(shown.role, "alertdialog");
      assert.equal(shown.modal, "true");
      assert.equal(shown.lang, "zh-CN");
      assert.match(shown.label, /错误/);
      assert.equal(shown.focused, "gk-close", "focus on the close button");
      assert.notEqual(shown.background, "rgba(0, 0, 0, 0)", "live.css applies");
      assert.equal(await heading(), newTitle, "the last good page stays under it");
      await shot("serve-overlay.png");

      // 4. Esc closes it.
      await page("Input.dispatchKeyEvent", { type: "keyDown", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
      await page("Input.dispatchKeyEvent", { type: "keyUp", key: "Escape", code: "Escape", windowsVirtualKeyCode: 27 });
      await until(async () => (await overlay())?.shown === false, "Esc to close the overlay");

      // 5. A page loaded while the error is current shows it.
      await page("Page.reload", {});
      await until(async () => (await overlay())?.shown === true, "the overlay after a reload", 30_000);

      // 6. Fixing the file clears it.
      writeFileSync(FILE, retitled);
      await until(async () => (await overlay())?.shown === false, "the overlay to clear", 30_000);
      assert.equal(await heading(), newTitle);
    } finally {
      writeFileSync(FILE, original);
    }
    assert.deepEqual(problems, [], "no CSP violation, console error or exception");
  } finally {
    cdp?.close();
    await browser.kill();
    rmSync(profile, { recursive: true, force: true });
  }
});
