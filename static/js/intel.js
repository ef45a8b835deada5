/* intel: small progressive enhancements. Every form works without this file.
 *
 * - Search-as-you-type for pickers (.autocomplete): a search box above the select
 *   asks /lookup/<kind>/?q= and offers the matches as options of the select itself,
 *   so the native, accessible select stays the control that is submitted.
 * - "Add another citation": clones the empty citation row of the formset.
 */
(function () {
  "use strict";

  function debounce(fn, ms) {
    let timer;
    return function (...args) {
      clearTimeout(timer);
      timer = setTimeout(() => fn.apply(this, args), ms);
    };
  }

  function setupAutocomplete(box) {
    const search = box.querySelector(".autocomplete-search");
    const select = box.querySelector("select");
    if (!search || !select || box.dataset.ready) return;
    box.dataset.ready = "1";
    search.hidden = false;
    if (select.multiple) select.size = Math.max(select.size || 0, 4);
    const url = box.dataset.lookup;
    let controller = null;

    const refresh = debounce(async function () {
      const query = search.value.trim();
      // Keep what is chosen; replace the other options with the new matches.
      for (const option of Array.from(select.options)) {
        if (!option.selected && option.value !== "") option.remove();
      }
      if (!query) return;
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(url + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          signal: controller.signal,
          credentials: "same-origin",
        });
        if (!response.ok) return;
        const data = await response.json();
        const present = new Set(Array.from(select.options).map((option) => option.value));
        for (const result of data.results) {
          const value = String(result.id);
          if (present.has(value)) continue;
          select.add(new Option(result.label, value));
        }
        if (!select.multiple && data.results.length) {
          select.size = Math.min(data.results.length + 1, 8);
        }
        box.classList.toggle("has-results", data.results.length > 0);
      } catch (error) {
        if (error.name !== "AbortError") console.warn("lookup failed", error);
      }
    }, 200);

    search.addEventListener("input", refresh);
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select.focus();
      } else if (event.key === "Enter") {
        event.preventDefault(); // never submit the whole form from the search box
      }
    });
    select.addEventListener("change", function () {
      if (!select.multiple) select.size = 0;
    });
  }

  function setupFormset(section) {
    const prefix = section.dataset.formsetPrefix;
    const total = section.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const template = section.querySelector("template");
    const button = section.querySelector(".add-citation");
    const rows = section.querySelector(".citation-rows");
    if (!total || !template || !button || !rows) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      rows.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const added = rows.lastElementChild;
      added.querySelectorAll(".autocomplete").forEach(setupAutocomplete);
      const first = added.querySelector(".autocomplete-search, textarea, input:not([type=hidden])");
      if (first) first.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".autocomplete").forEach(function (box) {
      if (!box.closest("template")) setupAutocomplete(box);
    });
    document.querySelectorAll("[data-formset-prefix]").forEach(setupFormset);
  });
})();
