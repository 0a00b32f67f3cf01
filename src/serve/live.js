// gongkai serve: reloads the page after a rebuild that changed it, and shows content
// errors in an overlay while the last good site stays on screen.
//
// Injected by the server into HTML responses only (never written into a built site) as
//   <script type="module" src="/__gongkai/live.js?page=notices/x/index.html&s=SESSION&v=N">
// `page` is the output file this page is, `s`/`v` the serve session and rebuild it was
// served at. Works under the site's Content-Security-Policy (script-src 'self', Trusted
// Types): every element is made with createElement and filled with textContent; styles
// come from /__gongkai/live.css.

const params = new URL(import.meta.url).searchParams;
const PAGE = params.get("page") ?? "";
const SESSION = params.get("s") ?? "";
const VERSION = Number(params.get("v") ?? "-1");
const OVERLAY_ID = "gongkai-overlay";

const style = document.createElement("link");
style.rel = "stylesheet";
style.href = "/__gongkai/live.css";
document.head.append(style);

/** Whether a rebuild that wrote/removed `paths` changed what this page shows. */
function affects(paths) {
  return paths.some(
    (p) =>
      p === PAGE ||
      p === `${PAGE}/index.html` ||
      p.startsWith("assets/") ||
      (PAGE.startsWith("search/") && p.startsWith("search/")),
  );
}

let dismissedAt = null; // the version whose errors the reader closed
let previousFocus = null;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function problemItem(problem) {
  const item = element("li", "gk-item");
  const where = element("p", "gk-where");
  where.append(
    element("span", "gk-severity", problem.severity === "warning" ? "警告" : "错误"),
    " ",
    element("code", "gk-location", `${problem.file}:${problem.line}:${problem.column}`),
  );
  item.append(where, element("p", "gk-message", problem.message));
  if (problem.line_text) {
    // The offending character marked (a caret under it would drift: CJK characters are
    // two columns wide in a monospace font).
    const chars = Array.from(problem.line_text);
    const at = Math.max(0, problem.column - 1);
    const source = element("pre", "gk-source");
    source.setAttribute("aria-label", `第 ${problem.line} 行`);
    source.append(
      element("span", "gk-gutter", `${problem.line} │ `),
      chars.slice(0, at).join(""),
      element("mark", "gk-at", chars[at] ?? " "),
      chars.slice(at + 1).join(""),
    );
    item.append(source);
  }
  if (problem.help) {
    const help = element("p", "gk-help");
    help.append(element("span", "gk-help-label", "提示："), problem.help);
    item.append(help);
  }
  return item;
}

function hideOverlay() {
  const overlay = document.getElementById(OVERLAY_ID);
  if (!overlay) return;
  overlay.remove();
  document.removeEventListener("keydown", onKeydown, true);
  if (previousFocus && document.contains(previousFocus)) previousFocus.focus();
  previousFocus = null;
}

function onKeydown(event) {
  const overlay = document.getElementById(OVERLAY_ID);
  if (!overlay) return;
  if (event.key === "Escape") {
    event.preventDefault();
    dismissedAt = Number(overlay.dataset.version);
    hideOverlay();
  } else if (event.key === "Tab") {
    // The dialog is modal: focus stays on its one control.
    event.preventDefault();
    overlay.querySelector(".gk-close")?.focus();
  }
}

function showOverlay(errors, version) {
  if (dismissedAt === version) return;
  const wasOpen = Boolean(document.getElementById(OVERLAY_ID));
  if (!wasOpen) previousFocus = document.activeElement;
  document.getElementById(OVERLAY_ID)?.remove();

  const overlay = element("div");
  overlay.id = OVERLAY_ID;
  overlay.lang = "zh-CN";
  overlay.dataset.version = String(version);
  overlay.setAttribute("role", "alertdialog");
  overlay.setAttribute("aria-modal", "true");
  overlay.setAttribute("aria-labelledby", "gongkai-overlay-title");
  overlay.setAttribute("aria-describedby", "gongkai-overlay-hint");

  const panel = element("div", "gk-panel");
  const header = element("div", "gk-header");
  const title = element("h2", "gk-title", `内容有 ${errors.length} 处错误，站点未更新`);
  title.id = "gongkai-overlay-title";
  const close = element("button", "gk-close", "关闭");
  close.type = "button";
  close.setAttribute("aria-label", "关闭错误提示（Esc）");
  close.addEventListener("click", () => {
    dismissedAt = version;
    hideOverlay();
  });
  header.append(title, close);
  const hint = element(
    "p",
    "gk-hint",
    "页面显示的是上一次成功生成的站点。改正下列文件并保存后，站点会重新生成，此提示自动消失。",
  );
  hint.id = "gongkai-overlay-hint";
  const list = element("ol", "gk-list");
  for (const problem of errors) list.append(problemItem(problem));
  const footer = element("p", "gk-footer", "按 Esc 关闭 · gongkai serve");
  panel.append(header, hint, list, footer);
  overlay.append(panel);
  document.body.append(overlay);
  if (!wasOpen) document.addEventListener("keydown", onKeydown, true);
  close.focus();
}

/** The last rebuild this page heard of (or was served at). */
let known = VERSION;

function onMessage(state) {
  const missed = state.kind === "state" && (state.session !== SESSION || state.version !== known);
  known = state.version;
  if (state.errors.length > 0) {
    showOverlay(state.errors, state.version);
    return;
  }
  hideOverlay();
  if (state.kind === "build") {
    if (affects([...(state.written ?? []), ...(state.removed ?? [])])) location.reload();
  } else if (missed) {
    // Rebuilt while this page was not listening (between being served and connecting,
    // or while the stream was down), or serve was restarted.
    location.reload();
  }
}

const events = new EventSource("/__gongkai/events");
events.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
// Whether the page is listening (read by tests and visible in the inspector); the browser
// reconnects by itself after serve restarts.
events.addEventListener("open", () => (document.documentElement.dataset.gongkaiLive = "open"));
events.addEventListener("error", () => (document.documentElement.dataset.gongkaiLive = "closed"));
