// The API reference at /api/v1/docs: Swagger UI (self-hosted in static/vendor/swagger-ui by
// `make vendor`) rendering the OpenAPI document; a static file, as the CSP allows no inline script.
(function () {
  var target = document.getElementById("api-reference");
  if (!target || typeof window.SwaggerUIBundle !== "function") return;

  // Swagger UI's markup is fitted into the page after each render, by attributes only (its
  // React tree stays untouched): its headings continue below the page's <h1> without skipping
  // a level, its own <main> is not a second main landmark, and the server list has a name.
  function headingLevel(el) {
    return parseInt(el.tagName.substring(1), 10);
  }

  function fitHeadings() {
    var headings = target.querySelectorAll("h1, h2, h3, h4, h5, h6");
    if (!headings.length) return;
    var top = 6;
    headings.forEach(function (h) { top = Math.min(top, headingLevel(h)); });
    var previous = 1; // the page's own <h1>
    headings.forEach(function (h) {
      var wanted = Math.min(6, headingLevel(h) - top + 2, previous + 1);
      if (String(wanted) !== h.getAttribute("aria-level")) {
        h.setAttribute("role", "heading");
        h.setAttribute("aria-level", String(wanted));
      }
      previous = wanted;
    });
  }

  function fitLandmarks() {
    // Not role=presentation: Swagger UI's <main> takes focus (tabindex=-1), which keeps its role.
    target.querySelectorAll("main").forEach(function (el) {
      if (el.getAttribute("role") !== "group") el.setAttribute("role", "group");
    });
    target.querySelectorAll("select:not([aria-labelledby]):not([aria-label])").forEach(function (select, i) {
      var title = select.closest(".servers") ? document.querySelector(".servers-title") : null;
      if (title) {
        title.id = title.id || "api-servers-title-" + i;
        select.setAttribute("aria-labelledby", title.id);
      }
    });
  }

  var scheduled = false;
  function fit() {
    scheduled = false;
    fitHeadings();
    fitLandmarks();
    if (target.querySelector(".opblock-tag")) target.setAttribute("data-fitted", "true");
  }
  new MutationObserver(function () {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(fit);
    }
  }).observe(target, {childList: true, subtree: true});

  window.SwaggerUIBundle({
    url: target.getAttribute("data-spec-url"),
    domNode: target,
    // Deep links put a link inside each operation's toggle button (interactive in interactive).
    deepLinking: false,
    tryItOutEnabled: false,
    validatorUrl: null,
  });
})();
