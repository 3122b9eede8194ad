/* arsip — small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  // Search page: the filters are a <details> so phones can fold them away; open them on wide screens.
  var panel = document.getElementById("filters-panel");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 56rem)").matches) {
    panel.open = true;
  }

  // Results page: changing the mode, the order or exact forms runs the search again at once (without
  // this file they are part of the search form: one press of Search applies them, export links included).
  var form = document.getElementById("search-form");
  if (form && document.querySelector(".results-bar")) {
    var controls = form.querySelectorAll("input[name=mode], select[name=sort], input[name=exact]");
    Array.prototype.forEach.call(controls, function (control) {
      control.addEventListener("change", function () {
        if (form.requestSubmit) {
          form.requestSubmit();
        } else {
          form.submit();
        }
      });
    });
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
