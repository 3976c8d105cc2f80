// Staff pickers (templates/portfolio/_target_search.html), progressive enhancement only:
// without this file the search is a GET form whose page lists the matches with a button each.
// With it, the search field is a combobox (WAI-ARIA APG "list autocomplete"): suggestions while
// typing from a small JSON endpoint, arrow keys move through them (aria-activedescendant),
// Enter or a click chooses, Escape closes; the choice fills the hidden field of the form that
// posts, and a live region says what happened.
(function () {
  "use strict";

  function fill(template, value) {
    return (template || "").replace("%s", value).replace("%d", String(value));
  }

  function setup(box) {
    var input = box.querySelector("[data-target-input]");
    var listbox = box.querySelector("[data-target-listbox]");
    var status = box.querySelector("[data-target-status]");
    var chosenText = box.querySelector("[data-target-chosen-text]");
    var hidden = document.getElementById(box.getAttribute("data-target-for"));
    if (!input || !listbox || !hidden || !window.fetch) return;
    var url = box.getAttribute("data-url");
    var items = [];
    var active = -1;
    var timer = null;
    var last = "";
    var controller = null;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = listbox.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      hidden.value = String(item.id);
      input.value = item.title;
      last = item.title;
      var said = fill(box.getAttribute("data-chosen"), item.title);
      if (chosenText) chosenText.textContent = said;
      status.textContent = said;
      close();
    }

    function render(list) {
      items = list;
      listbox.textContent = "";
      if (!list.length) {
        close();
        status.textContent = input.value.trim() ? box.getAttribute("data-none") : "";
        return;
      }
      list.forEach(function (item, index) {
        var li = document.createElement("li");
        li.id = listbox.id + "-" + index;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "target-search__option";
        li.textContent = item.title;
        if (item.meta) {
          var meta = document.createElement("span");
          meta.className = "target-search__meta";
          meta.textContent = " – " + item.meta;
          li.appendChild(meta);
        }
        // mousedown, not click: the field keeps the focus.
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(index); });
        listbox.appendChild(li);
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
      status.textContent = fill(box.getAttribute("data-count"), list.length);
    }

    function lookup() {
      var text = input.value.trim();
      if (text === last) return;
      last = text;
      if (text.length < 2) { render([]); return; }
      if (controller && controller.abort) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" },
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) { return response.ok ? response.json() : { items: [] }; })
        .then(function (body) { render(body.items || []); })
        .catch(function () { /* a lookup that fails shows nothing; the search button still works */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden && items.length;
      if (event.key === "ArrowDown") {
        if (!open) { last = ""; lookup(); return; }
        event.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault(); // choose, rather than send the search
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    var boxes = document.querySelectorAll("[data-target-search]");
    for (var i = 0; i < boxes.length; i++) setup(boxes[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
