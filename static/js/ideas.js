// Ideas pages, progressive enhancement only: every form here also works without this file.
// - vote without reloading the page (through the JSON API), announcing the new count;
// - similar ideas while the title is typed (debounced), in an aria-live region;
// - the SDG picker refuses a fourth goal with a message.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function fill(template, n) {
    return (template || "").replace("%d", String(n));
  }

  // --- voting -------------------------------------------------------------------------------
  function setupVote(form) {
    var box = form.closest("[data-vote-box]");
    var count = box.querySelector("[data-vote-count]");
    var noun = box.querySelector("[data-vote-noun]");
    var status = box.querySelector("[data-vote-status]");
    var note = box.querySelector("[data-vote-note]");
    var action = form.querySelector("[data-vote-action]");
    var button = form.querySelector("[data-vote-button]");
    var busy = false;

    form.addEventListener("submit", function (event) {
      if (!window.fetch) return; // old browser: the form posts as usual
      event.preventDefault();
      if (busy) return;
      busy = true;
      button.setAttribute("aria-disabled", "true");
      var removing = action.value === "remove";
      fetch(form.getAttribute("data-api"), {
        method: removing ? "DELETE" : "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
        })
        .then(function (result) {
          // Signed out, not allowed (blocked, verification needed), voting closed meanwhile:
          // the page's own form shows the reason where everybody sees it (or asks to verify),
          // instead of a message only a screen reader would hear.
          if (!result.ok) { form.submit(); return; }
          var n = result.body.vote_count;
          var voted = result.body.voted;
          count.textContent = String(n);
          noun.textContent = n === 1 ? noun.getAttribute("data-one") : noun.getAttribute("data-other");
          action.value = voted ? "remove" : "add";
          button.textContent = form.getAttribute(voted ? "data-label-remove" : "data-label-add");
          button.setAttribute("data-variant", voted ? "secondary" : "primary");
          if (note) note.hidden = !voted;
          status.textContent = form.getAttribute(voted ? "data-said-add" : "data-said-remove") + " " +
            fill(form.getAttribute(n === 1 ? "data-said-count-one" : "data-said-count-other"), n);
        })
        .catch(function () { form.submit(); })
        .then(function () { busy = false; button.removeAttribute("aria-disabled"); });
    });
  }

  // --- similar ideas while typing -------------------------------------------------------------
  function setupSimilar(form) {
    var title = form.querySelector('input[name="title"]');
    var region = form.querySelector("[data-similar-results]");
    if (!title || !region) return;
    var url = form.getAttribute("data-similar-url");
    var timer = null;
    var last = "";
    var controller = null;

    function render(items) {
      region.textContent = "";
      if (!items.length) return;
      var heading = document.createElement("p");
      heading.className = "ds-paragraph similar-live__heading";
      heading.textContent = region.getAttribute("data-heading");
      var list = document.createElement("ul");
      list.className = "ds-list similar-live__list";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.className = "ds-link";
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = item.title + " " + region.getAttribute("data-new-tab");
        var votes = document.createElement("span");
        votes.className = "similar-live__votes";
        votes.textContent = " – " + fill(region.getAttribute(item.vote_count === 1 ? "data-votes-one" : "data-votes-other"), item.vote_count);
        li.appendChild(link);
        li.appendChild(votes);
        list.appendChild(li);
      });
      region.appendChild(heading);
      region.appendChild(list);
    }

    function lookup() {
      var text = title.value.trim();
      if (text === last) return;
      last = text;
      if (text.length < 5) { render([]); return; }
      if (controller && controller.abort) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?text=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { render(body.items || []); })
        .catch(function () { /* a lookup that fails just shows nothing */ });
    }

    title.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 400);
    });
  }

  // --- at most three SDGs ------------------------------------------------------------------------
  function setupSdgPicker(fieldset) {
    var max = parseInt(fieldset.getAttribute("data-max"), 10) || 3;
    var message = fieldset.querySelector("[data-sdg-message]");
    fieldset.addEventListener("change", function (event) {
      var box = event.target;
      if (box.type !== "checkbox") return;
      var checked = fieldset.querySelectorAll('input[type="checkbox"]:checked').length;
      if (box.checked && checked > max) {
        box.checked = false;
        message.textContent = fieldset.getAttribute("data-too-many");
      } else {
        message.textContent = "";
      }
    });
  }

  // --- a link to a comment on another page of the discussion -----------------------------
  // Links written before the discussion was paged end in #comment-N without ?cpage=: when that
  // comment is not on this page, the server's /comments/N knows which page it is on (its answer
  // always names the page, so this never runs twice).
  function findLinkedComment() {
    var match = /^#comment-(\d{1,12})$/.exec(window.location.hash);
    var section = document.querySelector("[data-comment-link]");
    if (!match || !section || document.getElementById("comment-" + match[1])) return;
    if (/[?&]cpage=/.test(window.location.search)) return;
    window.location.replace(section.getAttribute("data-comment-link").replace(/0$/, match[1]));
  }

  function init() {
    findLinkedComment();
    Array.prototype.forEach.call(document.querySelectorAll("[data-sdg-picker]"), setupSdgPicker);
    if (!window.fetch) return;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-vote-form]"), setupVote);
    Array.prototype.forEach.call(document.querySelectorAll("form[data-similar-url]"), setupSimilar);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
