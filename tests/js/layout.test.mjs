// Phones and print in a real browser (Debian's headless Chromium over the DevTools
// Protocol, no npm dependency), on the built example site (GONGKAI_SITE):
// - the 工作分解表 is one card per task on a phone, and on a desktop its header stays in
//   view while the table scrolls (with the page where the table fits, in its box where not);
// - a notice on a phone opens with its key facts, then the title, then the text, the rest of
//   the metadata folded (CSS only, so without script too) but in the HTML;
// - printed, a notice shows its whole metadata block and its address, and no navigation,
//   search or 长者模式 controls; a plan prints on A4 landscape, a notice on A4 portrait.
//
//   GONGKAI_SITE=/path/to/public node --experimental-websocket --test tests/js/layout.test.mjs
//
// Skipped only when /usr/bin/chromium (or $CHROMIUM) is missing and GONGKAI_REQUIRE_BROWSER
// is not 1.

import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, launch, sleep, until } from "./cdp.mjs";
import { serve } from "./static-server.mjs";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const SITE = process.env.GONGKAI_SITE;
if (!SITE) throw new Error("set GONGKAI_SITE to the public/ folder of a built example site");
const SITE_DIR = path.resolve(SITE);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const PLAN = "progress/gz-2007-ip-demo-city/index.html";
const NOTICE = "notices/k12498411-2014-00065/index.html";
/** The example site's base_url: the printed address starts with it. */
const BASE_URL = "https://ip.example.gov.cn/";

async function withTab(t, fn) {
  if (!existsSync(CHROMIUM)) {
    if (process.env.GONGKAI_REQUIRE_BROWSER === "1") assert.fail(`${CHROMIUM} is missing (GONGKAI_REQUIRE_BROWSER=1)`);
    t.skip(`${CHROMIUM} is not installed`);
    return;
  }
  if (typeof globalThis.WebSocket !== "function") {
    assert.fail("globalThis.WebSocket is missing: run this file with `node --experimental-websocket --test` (Node 20) or Node 22+");
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
    const size = (width, height, mobile = false) => send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile });
    const open = async (relative) => {
      const url = base + relative;
      await send("Page.navigate", { url });
      await until(() => evaluate(`document.readyState === 'complete' && location.href === ${JSON.stringify(url)}`), `${url} to load`);
    };
    await fn({ send, evaluate, open, size, base });
  } finally {
    cdp?.close();
    await browser.kill();
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
    rmSync(profile, { recursive: true, force: true });
  }
}

test("the 工作分解表 is one card per task on a phone", async (t) => {
  await withTab(t, async (tab) => {
    await tab.size(390, 844, true);
    await tab.open(PLAN);
    const cards = await tab.evaluate(`(() => {
      const table = document.querySelector('.plan-table');
      const starts = [...table.querySelectorAll('tbody tr.task-start')];
      const width = document.documentElement.clientWidth;
      const head = table.querySelector('thead').getBoundingClientRect();
      const first = starts[0];
      const cell = (sel) => first.querySelector(sel).getBoundingClientRect();
      const label = (sel) => getComputedStyle(first.querySelector(sel), '::before').content;
      return {
        tasks: starts.length,
        display: getComputedStyle(first).display,
        sideways: document.documentElement.scrollWidth - width,
        boxScrolls: document.querySelector('.plan-scroll').scrollWidth > document.querySelector('.plan-scroll').clientWidth,
        wider: starts.filter((tr) => tr.getBoundingClientRect().width > width).length,
        headHeight: head.height,
        headingAbove: cell('.category-name').bottom <= cell('.task-content').top + 1,
        contentAboveUnits: cell('.task-content').bottom <= cell('.units.lead').top + 1,
        unitsAboveStatus: cell('.units.lead').bottom <= cell('.status-cell').top + 1,
        labels: [label('.deadline'), label('.units.lead'), label('.units.partners'), label('.status-cell')],
      };
    })()`);
    assert.ok(cards.tasks >= 10, `tasks: ${cards.tasks}`);
    assert.notEqual(cards.display, "table-row", "a task row is a card box, not a table row");
    assert.ok(cards.sideways <= 0 && !cards.boxScrolls && cards.wider === 0, `no sideways scroll: ${JSON.stringify(cards)}`);
    assert.ok(cards.headHeight <= 1, `the column headers are left to screen readers (${cards.headHeight} px)`);
    assert.ok(cards.headingAbove, "类号、项目分类 head the group, above the first task");
    assert.ok(cards.contentAboveUnits && cards.unitsAboveStatus, `工作内容, then 负责单位, then 状态: ${JSON.stringify(cards)}`);
    assert.deepEqual(cards.labels, ['"工作进度："', '"负责单位："', '"参与单位："', '"状态："']);
  });
});

test("on a desktop the 工作分解表's header stays in view while it scrolls", async (t) => {
  await withTab(t, async (tab) => {
    // Wide enough for the table: the header sticks to the window as the page scrolls.
    await tab.size(1280, 800);
    await tab.open(PLAN);
    const stuck = await tab.evaluate(`(() => {
      const table = document.querySelector('.plan-table');
      const rect = table.getBoundingClientRect();
      window.scrollTo(0, rect.top + scrollY + rect.height / 2);
      const th = table.querySelector('thead th').getBoundingClientRect();
      return { top: Math.round(th.top), tableTop: Math.round(table.getBoundingClientRect().top), sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    })()`);
    assert.ok(stuck.tableTop < -200, `the table's top is scrolled out of view (${stuck.tableTop})`);
    assert.ok(Math.abs(stuck.top) <= 1, `the header sticks to the top of the window: ${JSON.stringify(stuck)}`);
    assert.ok(stuck.sideways <= 0, `no sideways scroll at 1280 px: ${stuck.sideways}`);

    // Too narrow for it (or in 长者模式): the table scrolls in its box and the header
    // sticks to the box's top.
    await tab.size(900, 800);
    await tab.open(PLAN);
    const boxed = await tab.evaluate(`(() => {
      const box = document.querySelector('.plan-scroll');
      box.scrollIntoView();
      box.scrollTop = 600;
      const th = box.querySelector('thead th').getBoundingClientRect();
      const b = box.getBoundingClientRect();
      return { scrolls: box.scrollHeight > box.clientHeight && box.scrollWidth > box.clientWidth, fits: b.height <= innerHeight, top: Math.round(th.top - b.top), scrolled: box.scrollTop };
    })()`);
    assert.ok(boxed.scrolls && boxed.fits, `the box scrolls both ways and fits the window: ${JSON.stringify(boxed)}`);
    assert.ok(boxed.scrolled > 0 && Math.abs(boxed.top) <= 2, `the header sticks to the box's top: ${JSON.stringify(boxed)}`);
  });
});

test("a notice on a phone opens with its key facts, the title, then the text; the rest folds without script", async (t) => {
  await withTab(t, async (tab) => {
    await tab.size(390, 844, true);
    await tab.send("Emulation.setScriptExecutionDisabled", { value: true });
    await tab.send("Page.navigate", { url: tab.base + NOTICE });
    await sleep(500);
    await tab.send("Emulation.setScriptExecutionDisabled", { value: false });
    const facts = () =>
      tab.evaluate(`(() => {
        const rows = [...document.querySelectorAll('.meta > div')];
        const shown = rows.filter((r) => r.getClientRects().length > 0).map((r) => r.querySelector('dt').textContent.replace(/\\s/g, ''));
        const top = (sel) => document.querySelector(sel).getBoundingClientRect().top;
        const lastShown = rows.filter((r) => r.getClientRects().length > 0).pop();
        return { all: rows.length, shown, factsAboveTitle: lastShown.getBoundingClientRect().bottom <= top('.notice-header h1'),
          titleAboveText: top('.notice-header h1') < top('.prose'), toggle: document.querySelector('.meta-toggle-label').getBoundingClientRect().height };
      })()`);
    const folded = await facts();
    assert.deepEqual(folded.shown, ["索引号", "发布机构", "发文日期", "时效"]);
    assert.ok(folded.all >= 10, `the whole block is in the HTML (${folded.all} rows)`);
    assert.ok(folded.factsAboveTitle && folded.titleAboveText, `key facts, title, text: ${JSON.stringify(folded)}`);
    assert.ok(folded.toggle >= 44, `the 显示全部文件信息 switch is a 44 px target (${folded.toggle})`);
    await tab.evaluate("document.querySelector('.meta-toggle-label').click()");
    const unfolded = await facts();
    assert.equal(unfolded.shown.length, unfolded.all, `all rows after 显示全部文件信息: ${unfolded.shown}`);

    // On a desktop nothing folds and there is no switch.
    await tab.size(1280, 800);
    await tab.open(NOTICE);
    const desktop = await facts();
    assert.equal(desktop.shown.length, desktop.all);
    assert.equal(desktop.toggle, 0);
  });
});

test("printed: a notice with its metadata and address, no controls; a plan on A4 landscape", async (t) => {
  await withTab(t, async (tab) => {
    await tab.size(390, 844, true); // even from a phone, where the block folds on screen
    await tab.open(NOTICE);
    await tab.send("Emulation.setEmulatedMedia", { media: "print" });
    const printed = await tab.evaluate(`(() => {
      const shown = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
      const rows = [...document.querySelectorAll('.meta > div')];
      const url = document.querySelector('.print-url');
      return { rows: rows.length, shownRows: rows.filter((r) => r.getClientRects().length > 0).length,
        url: url && url.getClientRects().length > 0 ? url.textContent : null,
        canonical: document.querySelector('link[rel=canonical]').href,
        hidden: ['.site-nav', '.header-search', '.elder-controls', '.skip-link', '.breadcrumb', '.meta-toggle-label'].filter((s) => shown(s)) };
    })()`);
    assert.equal(printed.shownRows, printed.rows, "the whole metadata block prints");
    assert.ok(printed.url && printed.url.includes(printed.canonical) && printed.canonical.startsWith(BASE_URL), `the address prints: ${JSON.stringify(printed)}`);
    assert.deepEqual(printed.hidden, [], "navigation, search and 长者模式 controls do not print");
    await tab.send("Emulation.setEmulatedMedia", { media: "" });

    // The page size the stylesheet asks for, read from the PDF Chromium prints.
    const pageSize = async () => {
      const { data } = await tab.send("Page.printToPDF", { preferCSSPageSize: true });
      const pdf = Buffer.from(data, "base64").toString("latin1");
      const box = pdf.match(/\/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]/);
      assert.ok(box, "a MediaBox in the PDF");
      return { width: Number(box[3]) - Number(box[1]), height: Number(box[4]) - Number(box[2]) };
    };
    await tab.size(1280, 800);
    await tab.open(PLAN);
    const plan = await pageSize();
    // A4 is 595 × 842 pt.
    assert.ok(Math.abs(plan.width - 842) < 3 && Math.abs(plan.height - 595) < 3, `a plan prints on A4 landscape: ${JSON.stringify(plan)}`);
    await tab.open(NOTICE);
    const notice = await pageSize();
    assert.ok(notice.height > notice.width, `a notice prints portrait: ${JSON.stringify(notice)}`);
  });
});
