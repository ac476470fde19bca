/* Checklists: keep ticks per checklist in localStorage, show progress, copy as a Markdown task list, reset. */
(function () {
  "use strict";
  var PREFIX = "costhub.checklist.";

  // The ticked item ids stored for a checklist ([] when none, unreadable or blocked).
  function load(id) {
    try {
      var value = JSON.parse(localStorage.getItem(PREFIX + id) || "[]");
      return Array.isArray(value) ? value : [];
    } catch (error) {
      return [];
    }
  }

  // Store the ticked ids, or forget the checklist when nothing is ticked.
  function save(id, ticked) {
    try {
      if (ticked.length) localStorage.setItem(PREFIX + id, JSON.stringify(ticked));
      else localStorage.removeItem(PREFIX + id);
    } catch (error) {
      /* storage blocked or full: the ticks last for this visit only */
    }
  }

  // The list items of a checklist, each with a stable data-item id.
  function items(section) {
    return Array.prototype.slice.call(section.querySelectorAll("[data-item]"));
  }

  // The ids of the items whose box is ticked, in list order.
  function ticked(section) {
    return items(section).filter(function (item) {
      return item.querySelector("input").checked;
    }).map(function (item) {
      return item.dataset.item;
    });
  }

  // Show how many items are ticked.
  function count(section) {
    section.querySelector("[data-done]").textContent = String(ticked(section).length);
  }

  // Tick what is stored for this list; stored ids of items no longer in it are dropped for good.
  function restore(section) {
    var id = section.dataset.checklist;
    var present = items(section).map(function (item) { return item.dataset.item; });
    var stored = load(id);
    var kept = stored.filter(function (itemId) { return present.indexOf(itemId) >= 0; });
    if (kept.length !== stored.length) save(id, kept);
    items(section).forEach(function (item) {
      item.querySelector("input").checked = kept.indexOf(item.dataset.item) >= 0;
    });
    count(section);
  }

  // Every rendering of one checklist on this page.
  function copies(id) {
    return Array.prototype.slice.call(document.querySelectorAll("[data-checklist]")).filter(function (section) {
      return section.dataset.checklist === id;
    });
  }

  // An item's text as Markdown: <code> goes back to `backticks`.
  function itemText(item) {
    return Array.prototype.map.call(item.querySelector(".costhub-checklist__text").childNodes, function (node) {
      return node.nodeName === "CODE" ? "`" + node.textContent + "`" : node.textContent;
    }).join("").replace(/\s+/g, " ").trim();
  }

  // The checklist as a Markdown task list, one "- [x]" or "- [ ]" line per item.
  function markdown(section) {
    return items(section).map(function (item) {
      return "- [" + (item.querySelector("input").checked ? "x" : " ") + "] " + itemText(item);
    }).join("\n") + "\n";
  }

  // Announce a short message in the checklist's status line.
  function say(section, message) {
    section.querySelector(".costhub-checklist__message").textContent = message;
  }

  // Put the task list on the clipboard; if the browser refuses, show it selected for a manual copy.
  function copy(section) {
    var area = section.querySelector(".costhub-checklist__markdown");
    area.value = markdown(section);
    function fallback() {
      area.hidden = false;
      area.focus();
      area.select();
      say(section, "The clipboard is not available: the task list is selected below, copy it from there.");
    }
    if (!navigator.clipboard || !navigator.clipboard.writeText) {
      fallback();
      return;
    }
    navigator.clipboard.writeText(area.value).then(function () {
      area.hidden = true;
      say(section, "Copied as a Markdown task list.");
    }, fallback);
  }

  // Untick every item and forget the stored ticks.
  function reset(section) {
    save(section.dataset.checklist, []);
    copies(section.dataset.checklist).forEach(restore);
    section.querySelector(".costhub-checklist__markdown").hidden = true;
    say(section, "All ticks cleared.");
  }

  // Wire one checklist: restore its ticks, save on change, show its tools.
  function enhance(section) {
    restore(section);
    section.addEventListener("change", function () {
      save(section.dataset.checklist, ticked(section));
      copies(section.dataset.checklist).forEach(restore);
    });
    section.querySelector("[data-action=copy]").addEventListener("click", function () { copy(section); });
    section.querySelector("[data-action=reset]").addEventListener("click", function () { reset(section); });
    section.querySelector(".costhub-checklist__tools").hidden = false;
  }

  document.querySelectorAll("[data-checklist]").forEach(enhance);
  window.addEventListener("storage", function (event) {
    if (event.key === null || event.key.indexOf(PREFIX) === 0) {
      document.querySelectorAll("[data-checklist]").forEach(restore);
    }
  });
})();
