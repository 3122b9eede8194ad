/* arsip — small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  // Search page: the filters are a <details> so phones can fold them away; open them on wide screens.
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 56rem)").matches) {
    panel.open = true;
  }

  // Document page: the server marks the passage named by ?p=; a bare #p-N fragment is marked here.
  var marked = document.querySelector(".doc-passage.is-marked");
  if (!marked && /^#p-\d+$/.test(window.location.hash)) {
    marked = document.getElementById(window.location.hash.slice(1));
    if (marked && marked.classList.contains("doc-passage")) {
      marked.classList.add("is-marked");
      marked.setAttribute("aria-current", "true");
    } else {
      marked = null;
    }
  }
  if (marked && marked.scrollIntoView) {
    marked.scrollIntoView({ block: "center", behavior: "auto" });
    // keyboard and screen-reader users start reading at the passage too
    if (!marked.hasAttribute("tabindex")) {
      marked.setAttribute("tabindex", "-1");
    }
    marked.focus({ preventScroll: true });
  }
})();
