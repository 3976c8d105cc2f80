// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  window.Medvirk = window.Medvirk || {};
  window.Medvirk.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
})();

// A field the server sent back with an error keeps its error state. Designsystemet's <ds-field>
// (which runs the character counter) sets aria-invalid from the count alone, so it removed the
// server's aria-invalid="true" while the text was under the limit, and it puts the ids it manages
// in front of aria-describedby without removing those the markup already names, so the error was
// read twice. After each of its changes: every id once, and a control that names a shown error
// message is invalid (the counter may still make a valid field invalid when it runs over).
(function () {
  "use strict";
  function shownError(id) {
    var el = document.getElementById(id);
    return !!el && el.classList.contains("ds-validation-message") && !el.hidden;
  }
  function settle(control) {
    var ids = (control.getAttribute("aria-describedby") || "").trim().split(/\s+/).filter(Boolean);
    var once = ids.filter(function (id, i) { return ids.indexOf(id) === i; });
    if (once.length !== ids.length) control.setAttribute("aria-describedby", once.join(" "));
    if (once.some(shownError) && control.getAttribute("aria-invalid") !== "true") {
      control.setAttribute("aria-invalid", "true");
    }
  }
  function watch() {
    var controls = document.querySelectorAll("ds-field [aria-describedby]");
    if (!controls.length) return;
    var observer = new MutationObserver(function (records) {
      records.forEach(function (record) { settle(record.target); });
    });
    Array.prototype.forEach.call(controls, function (control) {
      settle(control);
      observer.observe(control, {attributes: true, attributeFilter: ["aria-invalid", "aria-describedby"]});
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch);
  else watch();
})();
