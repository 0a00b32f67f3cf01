// 长者模式 (互联网网站适老化通用设计规范): larger text in two steps, stronger contrast and
// bigger tap targets, switched on in the header and remembered on this device. A classic
// script that only sets classes and attributes (no HTML sink, no inline style: it runs under
// the site's Content-Security-Policy); without JavaScript the buttons stay hidden and the
// pages still follow the browser's own text size.
(function () {
  "use strict";
  var KEY = "gongkai-elder-mode";
  var root = document.documentElement;
  var controls = document.getElementById("elder-controls");
  var toggle = document.getElementById("elder-toggle");
  var bigger = document.getElementById("elder-bigger");
  if (!controls || !toggle || !bigger) return;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return value === "on" || value === "xl" ? value : "";
    } catch (e) {
      return ""; // storage refused (private mode, file://): the mode lasts for this page
    }
  }

  function store(level) {
    try {
      if (level) window.localStorage.setItem(KEY, level);
      else window.localStorage.removeItem(KEY);
    } catch (e) {
      /* nothing to remember it in */
    }
  }

  function apply(level) {
    root.classList.toggle("elder", level !== "");
    root.classList.toggle("elder-xl", level === "xl");
    toggle.setAttribute("aria-pressed", level ? "true" : "false");
    bigger.hidden = !level;
    bigger.setAttribute("aria-pressed", level === "xl" ? "true" : "false");
  }

  var level = stored();
  apply(level);
  controls.hidden = false;
  toggle.addEventListener("click", function () {
    level = level ? "" : "on";
    store(level);
    apply(level);
  });
  bigger.addEventListener("click", function () {
    level = level === "xl" ? "on" : "xl";
    store(level);
    apply(level);
  });
})();
