/* Catalog filters: the form is in the page (hidden until this runs); without JavaScript
   every card stays listed. Each <select> names the card attribute it matches
   (data-pb-match): "minutes" means "up to" (a session given as a range counts by its
   shorter end), "band" a length band written "low-high" (high empty for the last band),
   "people" a head-count within the card's range, the others a word in the card's list. */
(() => {
  function init() {
    const form = document.querySelector("form.pb-filters");
    if (!form || form.dataset.pbReady) return;
    form.dataset.pbReady = "1";
    const cards = document.querySelectorAll(".pb-cards .pb-card");
    const selects = [...form.querySelectorAll("select")];
    const status = form.querySelector("[role=status]");
    const query = new URLSearchParams(location.search);
    for (const s of selects) {
      const v = query.get(s.name);
      if ([...s.options].some((o) => o.value === v)) s.value = v;
    }
    const apply = () => {
      let shown = 0;
      for (const card of cards) {
        const ok = selects.every(({ value, dataset }) => {
          const field = dataset.pbMatch === "band" ? "minutes" : dataset.pbMatch;
          const have = card.dataset["pb" + field[0].toUpperCase() + field.slice(1)] || "";
          if (!value) return true;
          if (dataset.pbMatch === "minutes") return have !== "" && +have <= +value;
          if (dataset.pbMatch === "band") {
            const [low, high] = value.split("-");
            return have !== "" && +low <= +have && (high === "" || +have <= +high);
          }
          if (dataset.pbMatch === "people") {
            const [low, high] = have.split(" ").map(Number);
            return low <= +value && +value <= high;
          }
          return have.split(" ").includes(value);
        });
        card.hidden = !ok;
        shown += ok;
      }
      status.textContent = `${shown} exercise${shown === 1 ? "" : "s"} shown`;
      const params = new URLSearchParams(location.search);
      for (const s of selects) s.value ? params.set(s.name, s.value) : params.delete(s.name);
      const search = params.toString();
      history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
    };
    form.addEventListener("change", apply);
    form.addEventListener("reset", () => setTimeout(apply));
    form.addEventListener("submit", (event) => event.preventDefault());
    form.hidden = false;
    apply();
  }
  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
