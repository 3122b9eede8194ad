/* arsip — this browser's recent searches, kept in localStorage only (no server-side profile).
   The search page records each search it showed results for; the list re-runs one in a click and
   can be cleared. Without JavaScript (or storage) the section stays hidden and nothing else changes. */
(function () {
  "use strict";

  var KEY = "arsip.searchHistory";
  var MAX = 20;
  var DROP = ["page", "ui"]; // where the list was, not what was searched
  var FILTERS = ["source", "collection", "lang", "language", "date_from", "date_to"];
  var section = document.getElementById("search-history");
  if (!section) { return; }

  function load() {
    try {
      var items = JSON.parse(window.localStorage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter(function (i) { return i && typeof i.url === "string"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function save(items) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(items));
      return true;
    } catch (e) {
      return false;
    }
  }

  function currentSearch() {
    var params = new URLSearchParams(window.location.search);
    DROP.forEach(function (name) { params.delete(name); });
    var kept = new URLSearchParams();
    params.forEach(function (value, name) { if (value !== "") { kept.append(name, value); } });
    var query = kept.toString();
    var extras = [];
    FILTERS.forEach(function (name) {
      kept.getAll(name).forEach(function (value) { extras.push(value); });
    });
    return {
      url: window.location.pathname + (query ? "?" + query : ""),
      q: (kept.get("q") || "").trim(),
      extras: extras.join(" · "),
    };
  }

  function render(items) {
    var list = section.querySelector(".history-list");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.q || section.getAttribute("data-filters-only");
      li.appendChild(link);
      if (item.extras) {
        var hint = document.createElement("span");
        hint.className = "hint";
        hint.textContent = " " + item.extras;
        li.appendChild(hint);
      }
      list.appendChild(li);
    });
    section.hidden = items.length === 0;
  }

  var items = load();
  if (section.getAttribute("data-record") === "true") {
    var entry = currentSearch();
    items = [entry].concat(items.filter(function (i) { return i.url !== entry.url; })).slice(0, MAX);
    save(items);
  }
  render(items);

  section.querySelector(".history-clear").addEventListener("click", function () {
    try { window.localStorage.removeItem(KEY); } catch (e) { /* storage unavailable: nothing kept */ }
    render([]);
    var box = document.getElementById("q");
    if (box) { box.focus(); }
  });
})();
