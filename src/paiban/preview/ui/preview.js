// paiban preview: reload when the server says this page's target was rebuilt.
// The server renders every page; this script only listens (server-sent events) and toggles marks.
(function () {
  "use strict";
  const body = document.body;
  const target = body.dataset.target || "";
  const revision = body.dataset.revision || "";
  const live = document.getElementById("live");
  let reloading = false;

  function reload(delay) {
    if (reloading) return;
    reloading = true;
    setTimeout(function () { location.reload(); }, delay);
  }

  // The start page waits for a burst of builds (a stylesheet save rebuilds every target) to
  // end before reloading, but not longer than 5 s; meanwhile the status labels move.
  let settle = null;
  let firstEvent = 0;
  function reloadWhenSettled() {
    const now = Date.now();
    if (!settle) firstEvent = now;
    clearTimeout(settle);
    settle = setTimeout(function () { reload(0); }, now - firstEvent > 5000 ? 0 : 800);
  }

  // Tell the server which image width this screen loads, so it can render the first pages
  // of a rebuilt target while this page reloads.
  function imageWidth() {
    const img = document.querySelector(".sheet img");
    const chosen = img && (img.currentSrc || "").match(/[?&]w=(\d+)/);
    if (chosen) return chosen[1];
    const widths = (body.dataset.widths || "").split(",");
    return widths[window.devicePixelRatio > 1 ? 1 : 0] || "";
  }
  let url = "/events";
  if (target) url += "?watch=" + encodeURIComponent(target) + "&w=" + imageWidth();
  const source = new EventSource(url);
  source.onopen = function () { live && live.classList.add("on"); };
  source.onerror = function () { live && live.classList.remove("on"); };
  // On (re)connect the server says what it would render now: catch up on anything missed.
  source.addEventListener("hello", function (e) {
    const data = JSON.parse(e.data);
    if (data.revision && data.revision !== revision) reload(0);
  });
  source.addEventListener("built", function (e) {
    const data = JSON.parse(e.data);
    if (target) {
      if (data.target === target) reload(0);
    } else {
      reloadWhenSettled();
    }
  });
  source.addEventListener("targets", function () { if (!target) reloadWhenSettled(); });
  source.addEventListener("state", function (e) {
    const data = JSON.parse(e.data);
    document.querySelectorAll('[data-status-for="' + CSS.escape(data.target) + '"]').forEach(
      function (el) { el.textContent = data.state === "idle" ? "" : data.state + "…"; });
  });

  // Trim and bleed marks: on by default, remembered across reloads.
  const button = document.getElementById("toggle-marks");
  function applyMarks(on) {
    body.classList.toggle("no-marks", !on);
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  applyMarks(localStorage.getItem("paiban.marks") !== "off");
  if (button) button.addEventListener("click", function () {
    const on = body.classList.contains("no-marks");
    localStorage.setItem("paiban.marks", on ? "on" : "off");
    applyMarks(on);
  });
})();
