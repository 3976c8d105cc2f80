// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  window.Medvirk = window.Medvirk || {};
  window.Medvirk.csrfToken = function () {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  };
})();
