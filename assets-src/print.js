/* Print bar of an exercise page: "Print worksheet", with my answers or blank, the
   facilitator version and, where there is one, the worked example. The choices are
   classes on <html> (pb-print-blank, pb-print-facilitator, pb-print-example) that
   print.css reads, so the browser's own Print follows them too.
   The address can preset them: ?print=blank,facilitator (what `playbook pdf` uses).
   The facilitator's run-sheet gets clock times from the start time chosen on screen,
   and opens the facilitator's printout. */
(() => {
  const root = document.documentElement;
  const set = (name, on) => root.classList.toggle(`pb-print-${name}`, on);
  const h = (tag, attrs, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.append(...kids);
    return el;
  };
  const option = (type, name, text, checked, onChange) => {
    const input = h("input", { type, name });
    input.checked = checked;
    input.addEventListener("change", onChange);
    return h("label", {}, input, text);
  };

  /* Clock times of the run-sheet's agenda from a start time ("10:00"). */
  function clocks(sheet, start) {
    const [hours, minutes] = start.split(":").map(Number);
    const begin = (hours || 0) * 60 + (minutes || 0);
    for (const row of sheet.querySelectorAll("tr[data-pb-offset]")) {
      const at = (begin + +row.dataset.pbOffset) % 1440;
      row.cells[0].textContent = `${Math.floor(at / 60)}:${String(at % 60).padStart(2, "0")}`;
    }
  }

  let watcher = null;
  function runSheet(sheet) {
    if (sheet.querySelector(".pb-start")) return;
    if (watcher) watcher.disconnect();
    const input = h("input", { type: "time", value: "10:00", id: "pb-start-time", step: "300" });
    input.addEventListener("input", () => input.value && clocks(sheet, input.value));
    const caption = sheet.querySelector(".pb-agenda");
    if (caption) {
      caption.before(h("p", { class: "pb-start" }, h("label", { for: "pb-start-time" }, "Start time "), input));
      clocks(sheet, input.value);
    }
    /* Its place on screen is the facilitator's section; the facilitator's printout opens with it. */
    const home = h("span", { hidden: "", "data-pb-runsheet-home": "" });
    sheet.before(home);
    const place = () => {
      const top = document.querySelector(".md-content__inner h1");
      if (root.classList.contains("pb-print-facilitator") && top) top.before(sheet);
      else home.after(sheet);
    };
    watcher = new MutationObserver(place);
    watcher.observe(root, { attributes: true, attributeFilter: ["class"] });
    place();
  }

  function init() {
    const spot = document.querySelector(".pb-downloads[data-pb-pdf]");
    const wanted = (new URLSearchParams(location.search).get("print") || "").split(",");
    set("blank", wanted.includes("blank"));
    set("facilitator", wanted.includes("facilitator"));
    set("example", wanted.includes("example"));
    const sheet = document.querySelector("[data-pb-runsheet]");
    if (sheet) runSheet(sheet);
    if (!spot || spot.closest(".pb-printbar")) return;
    const url = document.querySelector(".pb-print-url");
    if (url && !url.textContent) {
      url.textContent = (document.querySelector("link[rel=canonical]") || location).href.split(/[?#]/)[0];
    }
    const blank = wanted.includes("blank");
    const button = h("button", { type: "button", class: "pb-button pb-button--primary" }, "Print worksheet");
    button.addEventListener("click", () => print());
    const answers = h(
      "span",
      { role: "radiogroup", "aria-label": "Answers on the printout" },
      option("radio", "pb-print-answers", "with my answers", !blank, () => set("blank", false)),
      option("radio", "pb-print-answers", "blank", blank, () => set("blank", true))
    );
    const bar = h("div", { class: "pb-printbar", role: "group", "aria-label": "Print" }, button, answers);
    if (document.querySelector(".pb-facilitator")) {
      const facilitator = wanted.includes("facilitator");
      bar.append(
        option("checkbox", "pb-print-facilitator", "facilitator version (run-sheet and notes)", facilitator, (e) =>
          set("facilitator", e.target.checked)
        )
      );
    }
    const example = document.querySelector("details.pb-example");
    if (example) {
      bar.append(
        option("checkbox", "pb-print-example", "worked example", wanted.includes("example"), (e) => {
          set("example", e.target.checked);
          if (e.target.checked) example.open = true;
        })
      );
      if (wanted.includes("example")) example.open = true;
    }
    spot.before(bar);
    if (!spot.hidden) bar.append(spot);
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
