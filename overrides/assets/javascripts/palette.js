// The header's colour toggle. On load: the palette the reader chose last (the theme's inline script has already put
// it on <body> before the first paint), else the one the system's colour preference selects. A click on the toggle,
// Enter on it, or a change of the system preference switches palette; the choice is kept for the next page in the
// theme's own storage. <body> is only touched where a value really changes, so a page load restyles nothing.
(function () {
  "use strict";
  var form = document.querySelector("form[data-costhub-palette]");
  if (!form) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name='__palette']"));
  var KEYS = ["media", "scheme", "primary", "accent"];

  // The palette whose media query the system matches now (the first one when none does).
  function preferred() {
    var index = inputs.findIndex(function (input) { return window.matchMedia(input.getAttribute("data-md-color-media")).matches; });
    return Math.max(index, 0);
  }

  // The palette kept from an earlier page, or null.
  function stored() {
    var kept = typeof window.__md_get === "function" ? window.__md_get("__palette") : null;
    return kept && typeof kept.index === "number" && inputs[kept.index] ? kept.index : null;
  }

  // Put palette number index on <body>, show the toggle that leads away from it, and keep the choice.
  function apply(index, switching) {
    var color = {};
    KEYS.forEach(function (key) { color[key] = inputs[index].getAttribute("data-md-color-" + key); });
    if (switching) document.body.setAttribute("data-md-color-switching", "");
    KEYS.forEach(function (key) {
      if (document.body.getAttribute("data-md-color-" + key) !== color[key]) document.body.setAttribute("data-md-color-" + key, color[key]);
    });
    inputs.forEach(function (input, i) {
      input.checked = i === index;
      var label = input.nextElementSibling;
      if (label instanceof HTMLElement && label.hidden !== (i !== index)) label.hidden = i !== index;
    });
    if (typeof window.__md_set === "function") window.__md_set("__palette", {index: index, color: color});
    if (switching) window.requestAnimationFrame(function () { document.body.removeAttribute("data-md-color-switching"); });
  }

  inputs.forEach(function (input, index) {
    input.addEventListener("change", function () { if (input.checked) apply(index, true); });
  });
  form.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    var next = inputs[(inputs.findIndex(function (input) { return input.checked; }) + 1) % inputs.length];
    next.click();
    next.focus();
  });
  var light = window.matchMedia("(prefers-color-scheme: light)");
  if (light.addEventListener) light.addEventListener("change", function () { apply(preferred(), true); });
  var kept = stored();
  apply(kept === null ? preferred() : kept, false);
})();
