// paiban preview: refresh the page when the server says what it shows was rebuilt.
// The server renders every page; this script listens (server-sent events), swaps in the newly
// rendered page once its first page images are loaded (no blank flash, scroll kept, the event
// stream stays open), and toggles the trim and bleed marks.
(function () {
  "use strict";
  const body = document.body;
  const target = body.dataset.target || "";

  // Which image width this screen loads, so the server can draw the first pages of a rebuilt
  // target while this page fetches its new HTML.
  function imageWidth() {
    const img = document.querySelector(".sheet img");
    const chosen = img && (img.currentSrc || "").match(/[?&]w=(\d+)/);
    if (chosen) return chosen[1];
    const widths = (body.dataset.widths || "").split(",");
    return widths[window.devicePixelRatio > 1 ? 1 : 0] || "";
  }

  function preload(img) {
    const copy = new Image();
    if (img.srcset) copy.srcset = img.srcset;
    copy.src = img.getAttribute("src");
    return copy.decode().catch(function () {});  // a missing page still lets the swap happen
  }

  // The new page's images for what is on screen now: swap when they are ready, not before.
  function imagesInView(next) {
    const shown = Array.from(document.querySelectorAll(".sheet[data-page], .card")).filter(
      function (el) { const r = el.getBoundingClientRect(); return r.bottom > 0 && r.top < innerHeight; });
    const found = [];
    shown.forEach(function (el) {
      const selector = el.dataset.page ? '.sheet[data-page="' + el.dataset.page + '"] img'
        : '.card[data-target="' + CSS.escape(el.dataset.target) + '"] .thumbs img';
      next.querySelectorAll(selector).forEach(function (img) { found.push(img); });
    });
    return found.length ? found : Array.from(next.querySelectorAll(".sheet img")).slice(0, 2);
  }

  let refreshing = false;
  let again = false;
  async function refresh() {
    if (refreshing) { again = true; return; }
    refreshing = true;
    try {
      const response = await fetch(location.href, {cache: "no-store"});
      if (!response.ok) throw new Error(response.status);
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      await Promise.all(imagesInView(next).map(preload));
      for (const selector of ["header.bar", "main"]) {
        document.querySelector(selector).replaceWith(document.adoptNode(next.querySelector(selector)));
      }
      body.className = next.body.className;
      for (const key of ["revision", "pages", "widths"]) {
        if (next.body.dataset[key] !== undefined) body.dataset[key] = next.body.dataset[key];
      }
      document.title = next.title;
      applyMarks();
      showLive();
    } catch (error) {
      location.reload();  // whatever went wrong, a plain reload is the safe answer
    } finally {
      refreshing = false;
      if (again) { again = false; refresh(); }
    }
  }

  // The start page waits for a burst of builds (a stylesheet save rebuilds every target) to
  // settle, but not longer than 3 s; meanwhile the status labels move.
  let settle = null;
  let firstEvent = 0;
  function refreshWhenSettled() {
    const now = Date.now();
    if (!settle) firstEvent = now;
    clearTimeout(settle);
    settle = setTimeout(function () { settle = null; refresh(); }, now - firstEvent > 3000 ? 0 : 300);
  }

  let url = "/events";
  if (target) url += "?watch=" + encodeURIComponent(target) + "&w=" + imageWidth();
  let source = null;
  function showLive() {
    const live = document.getElementById("live");
    if (live) live.classList.toggle("on", !!source && source.readyState === EventSource.OPEN);
  }
  function connect() {
    if (source) return;
    source = new EventSource(url);
    source.onopen = showLive;
    source.onerror = showLive;
    // On (re)connect the server says what it would render now: catch up on anything missed.
    source.addEventListener("hello", function (e) {
      const data = JSON.parse(e.data);
      if (data.revision && data.revision !== body.dataset.revision) refresh();
    });
    source.addEventListener("built", function (e) {
      const data = JSON.parse(e.data);
      if (!target) refreshWhenSettled();
      else if (data.target === target) refresh();
    });
    source.addEventListener("targets", function () { if (!target) refreshWhenSettled(); });
    source.addEventListener("state", function (e) {
      const data = JSON.parse(e.data);
      document.querySelectorAll('[data-status-for="' + CSS.escape(data.target) + '"]').forEach(
        function (el) { el.textContent = data.state === "idle" ? "" : data.state + "…"; });
    });
  }
  function disconnect() {
    if (source) { source.close(); source = null; }
    showLive();
  }
  // Only visible tabs listen: a browser keeps at most six connections to one server, and every
  // background tab holding a stream would use one up. A tab shown again catches up on "hello";
  // the server rebuilds the targets of visible tabs first.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect(); else connect();
  });
  if (!document.hidden) connect();

  // Trim and bleed marks: on by default, remembered across pages and reloads.
  function marksOn() { return localStorage.getItem("paiban.marks") !== "off"; }
  function applyMarks() {
    body.classList.toggle("no-marks", !marksOn());
    const button = document.getElementById("toggle-marks");
    if (button) button.setAttribute("aria-pressed", marksOn() ? "true" : "false");
  }
  document.addEventListener("click", function (e) {
    if (!e.target.closest || !e.target.closest("#toggle-marks")) return;
    localStorage.setItem("paiban.marks", marksOn() ? "off" : "on");
    applyMarks();
  });
  applyMarks();
})();
