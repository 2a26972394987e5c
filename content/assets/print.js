/* Print bar of an exercise page: "Print worksheet", with my answers or blank, and the
   facilitator version. The choices are classes on <html> (pb-print-blank,
   pb-print-facilitator) that print.css reads, so the browser's own Print follows them too.
   The address can preset them: ?print=blank,facilitator (what `playbook pdf` uses). */
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

  function init() {
    const spot = document.querySelector(".pb-downloads[data-pb-pdf]");
    const wanted = (new URLSearchParams(location.search).get("print") || "").split(",");
    set("blank", wanted.includes("blank"));
    set("facilitator", wanted.includes("facilitator"));
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
        option("checkbox", "pb-print-facilitator", "facilitator version", facilitator, (e) =>
          set("facilitator", e.target.checked)
        )
      );
    }
    spot.before(bar);
    if (!spot.hidden) bar.append(spot);
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
