// Screenshots of the example site for the README and docs: home, a notice, a plan, search
// with results and 长者模式, each at a desktop and a phone width, taken with Debian's headless
// Chromium (fonts-noto-cjk for the Chinese text) over the DevTools Protocol.
//
//   node --experimental-websocket docs/screenshots/shoot.mjs
//
// Builds the example site with `cargo run -- build` into a temporary folder, or takes the
// built one in GONGKAI_SITE; serves it with tests/js/static-server.mjs and writes
// docs/screenshots/<name>.png. Each shot is the first screen or two of its page (clipped,
// not the whole page) at a device scale of 1, so that each PNG stays small.
//
// Needs: chromium and fonts-noto-cjk (`apt-get install -y chromium fonts-noto-cjk`).

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connect, launch, sleep, until } from "../../tests/js/cdp.mjs";
import { serve } from "../../tests/js/static-server.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SEARCH = "search/index.html?q=" + encodeURIComponent("知识产权");

/** name, page, width, height (the clip), phone?, 长者模式 step ("" | "on" | "xl"), and the
 * element the clip starts at (else the top of the page). */
const SHOTS = [
  ["home-desktop", "index.html", 1280, 1000, false, ""],
  ["home-phone", "index.html", 390, 1100, true, ""],
  ["notice-desktop", "notices/k12498411-2014-00065/index.html", 1280, 1000, false, ""],
  ["notice-phone", "notices/k12498411-2014-00065/index.html", 390, 1100, true, ""],
  ["plan-desktop", "progress/gz-2007-ip-demo-city/index.html", 1280, 1000, false, ""],
  ["plan-table-desktop", "progress/gz-2007-ip-demo-city/index.html", 1280, 900, false, "", "#table-heading"],
  ["plan-phone", "progress/gz-2007-ip-demo-city/index.html", 390, 1300, true, "", "#table-heading"],
  ["search-desktop", SEARCH, 1280, 1000, false, ""],
  ["search-phone", SEARCH, 390, 1100, true, ""],
  ["report-desktop", "reports/2024/index.html", 1280, 1100, false, "", "#section-3"],
  ["report-phone", "reports/2024/index.html", 390, 1100, true, "", "#section-2"],
  ["elder-desktop", "notices/k12498411-2014-00065/index.html", 1280, 1000, false, "on"],
  ["elder-phone", "notices/k12498411-2014-00065/index.html", 390, 1100, true, "xl"],
];

if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk`);
if (!existsSync("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")) {
  console.warn("fonts-noto-cjk is not installed: the shots will use whatever CJK font there is");
}

let built;
let site = process.env.GONGKAI_SITE;
if (!site) {
  built = mkdtempSync(path.join(tmpdir(), "gongkai-shots-"));
  site = path.join(built, "public");
  execFileSync("cargo", ["run", "--quiet", "--", "build", "--root", REPO, "--out", site], { cwd: REPO, stdio: "inherit" });
}

// At the domain root, like a deployed site (base_url's path is "/").
const server = await serve(path.resolve(site), "/");
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
    if (exceptionDetails) throw new Error(`${expression}: ${JSON.stringify(exceptionDetails)}`);
    return result.value;
  };
  await send("Page.enable");
  await send("Runtime.enable");
  for (const [name, page, width, height, mobile, elder, from] of SHOTS) {
    await send("Emulation.setDeviceMetricsOverride", { width, height: mobile ? 844 : 800, deviceScaleFactor: 1, mobile });
    // The 长者模式 choice lives in localStorage, as the header's switch leaves it.
    await send("Page.navigate", { url: base + "index.html" });
    await until(() => evaluate("document.readyState === 'complete'"), "the home page");
    await evaluate(elder ? `localStorage.setItem('gongkai-elder-mode', '${elder}')` : "localStorage.removeItem('gongkai-elder-mode')");
    const url = base + page;
    await send("Page.navigate", { url });
    await until(() => evaluate(`document.readyState === 'complete' && location.href === ${JSON.stringify(url)}`), url);
    if (page.startsWith("search/")) await until(() => evaluate("document.querySelectorAll('#results .search-result').length > 0"), "search results");
    await evaluate("document.fonts.ready.then(() => true)");
    await sleep(200);
    const full = await evaluate("document.documentElement.scrollHeight");
    const y = from ? await evaluate(`Math.max(0, Math.round(document.querySelector(${JSON.stringify(from)}).getBoundingClientRect().top + scrollY - 12))`) : 0;
    const clip = { x: 0, y, width, height: Math.min(height, full - y), scale: 1 };
    const { data } = await send("Page.captureScreenshot", { format: "png", clip, captureBeyondViewport: true });
    const file = path.join(HERE, `${name}.png`);
    writeFileSync(file, Buffer.from(data, "base64"));
    console.log(`${path.relative(REPO, file)}  ${width}×${clip.height}  ${Math.round(statSync(file).size / 1024)} KB`);
  }
} finally {
  cdp?.close();
  await browser.kill();
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  rmSync(profile, { recursive: true, force: true });
  if (built) rmSync(built, { recursive: true, force: true });
}
