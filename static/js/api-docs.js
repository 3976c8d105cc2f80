// The API reference at /api/v1/docs: Swagger UI (self-hosted in static/vendor/swagger-ui by
// `make vendor`) rendering the OpenAPI document; a static file, as the CSP allows no inline script.
(function () {
  var target = document.getElementById("api-reference");
  if (!target || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: target.getAttribute("data-spec-url"),
    domNode: target,
    deepLinking: true,
    tryItOutEnabled: false,
    validatorUrl: null,
  });
})();
