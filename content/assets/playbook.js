/* Exercise pages: the checklist scores itself, and answers, ticks and saved scores are
   kept in this browser's localStorage only (one entry per exercise, a map keyed by the
   controls' data-pb-key, so edits to an exercise never shift answers). Nothing is sent
   anywhere. If storage fails, the page keeps working in memory and says so once. */
(() => {
  const PREFIX = "engagement-playbook:";
  const FORMAT = "engagement-playbook-answers";
  const VERSION = 1;
  const DAY = /^\d{4}-\d\d-\d\d$/;
  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  const isMap = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  const blank = () => ({ answers: {}, history: [] });
  const h = (tag, attrs = {}, ...kids) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.append(...kids);
    return el;
  };
  const svg = (tag, attrs) => {
    const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  };

  function validRecord(r) {
    return (
      isMap(r) &&
      isMap(r.answers) &&
      Array.isArray(r.history) &&
      Object.values(r.answers).every((v) => typeof v === "string" || v === true) &&
      r.history.every(
        (e) =>
          isMap(e) &&
          DAY.test(e.date) &&
          Number.isInteger(e.score) &&
          Number.isInteger(e.max) &&
          e.score >= 0 &&
          e.max >= 0
      )
    );
  }

  /* Records live in `memory`; localStorage is written through while it works. */
  const store = {
    memory: {},
    persistent: true,
    unreadable: new Set(),
    probe() {
      try {
        localStorage.setItem(PREFIX, "1");
        localStorage.removeItem(PREFIX);
      } catch {
        this.persistent = false;
      }
    },
    get(id) {
      if (!this.memory[id]) {
        let record = blank();
        try {
          const raw = localStorage.getItem(PREFIX + id);
          if (raw !== null) {
            const parsed = JSON.parse(raw);
            if (validRecord(parsed)) record = parsed;
            else this.unreadable.add(id);
          }
        } catch (e) {
          if (e instanceof SyntaxError) this.unreadable.add(id);
          else this.persistent = false;
        }
        this.memory[id] = record;
      }
      return this.memory[id];
    },
    put(id, record) {
      this.memory[id] = record;
      this.unreadable.delete(id);
      if (!this.persistent) return;
      try {
        localStorage.setItem(PREFIX + id, JSON.stringify(record));
      } catch {
        this.persistent = false;
        notice();
      }
    },
    ids() {
      const ids = new Set(Object.keys(this.memory));
      try {
        for (let i = 0; i < localStorage.length; i++) {
          const key = localStorage.key(i);
          if (key.startsWith(PREFIX) && ID.test(key.slice(PREFIX.length)))
            ids.add(key.slice(PREFIX.length));
        }
      } catch {
        /* unavailable storage: memory is all there is */
      }
      return [...ids].sort();
    },
  };
  store.probe();
  addEventListener("storage", () => {
    if (store.persistent) store.memory = {};
  });

  let page = null; // { id, roots, checklist, status, history, notified }

  function notice() {
    if (!page || page.notified) return;
    const text = store.persistent
      ? "Answers saved earlier for this exercise could not be read, so the page starts empty. New answers will be kept."
      : "This browser is not letting the playbook keep your answers (private browsing or full storage). Everything works on this page, but answers will be gone when you close it: use “Export all answers” to keep a copy.";
    page.notified = true;
    page.roots[0].before(h("p", { class: "pb-notice", role: "status" }, text));
  }

  const controls = () => page.roots.flatMap((root) => [...root.querySelectorAll("[data-pb-key]")]);

  function restore() {
    const { answers } = store.get(page.id);
    for (const el of controls()) {
      const value = answers[el.dataset.pbKey];
      if (el.type === "checkbox") el.checked = value === true;
      else if (el.type === "radio") el.checked = value === el.value;
      else el.value = typeof value === "string" ? value : "";
    }
    if (page.checklist) score();
  }

  function band(total) {
    for (const row of document.querySelectorAll(".pb-bands tr[data-pb-min]")) {
      if (total >= +row.dataset.pbMin && total <= +row.dataset.pbMax) return row;
    }
    return null;
  }

  function score() {
    const list = page.checklist;
    let total = 0;
    for (const el of list.querySelectorAll("[data-pb-key]:checked")) total += +el.value || 0;
    const max = +list.dataset.pbMax;
    const hit = band(total);
    for (const row of document.querySelectorAll(".pb-bands tr[data-pb-min]")) {
      row.classList.toggle("pb-band--current", row === hit);
      if (row === hit) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
    const out = list.querySelector("[data-pb-score]");
    const cells = hit ? hit.querySelectorAll("th, td") : [];
    out.replaceChildren(
      h("strong", {}, `Your score: ${total} of ${max}`),
      hit ? ` · ${cells[1].textContent}. ${cells[2].textContent}` : ""
    );
    out.hidden = false;
    return { total, max, label: hit ? cells[1].textContent : "" };
  }

  function onEdit(event) {
    const el = event.target;
    const key = el.dataset && el.dataset.pbKey;
    if (!page || !key || !page.roots.some((root) => root.contains(el))) return;
    const record = store.get(page.id);
    const { answers } = record;
    if (el.type === "checkbox") {
      if (el.checked) answers[key] = true;
      else delete answers[key];
    } else if (el.type === "radio") {
      if (el.checked) answers[key] = el.value;
    } else if (el.value) answers[key] = el.value;
    else delete answers[key];
    store.put(page.id, record);
    if (page.checklist && page.checklist.contains(el)) score();
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  function say(text, problem = false) {
    page.status.textContent = text;
    page.status.classList.toggle("pb-status--problem", problem);
  }

  function today() {
    const d = new Date();
    const two = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  }

  function saveScore() {
    const { total, max } = score();
    const record = store.get(page.id);
    const date = today();
    record.history = record.history.filter((e) => e.date !== date);
    record.history.push({ date, score: total, max });
    record.history.sort((a, b) => a.date.localeCompare(b.date));
    store.put(page.id, record);
    drawHistory();
    say(`Saved your score for ${date}: ${total} of ${max}.`);
  }

  function deleteScore(date) {
    const record = store.get(page.id);
    record.history = record.history.filter((e) => e.date !== date);
    store.put(page.id, record);
    drawHistory();
    const next = page.history.querySelector("button") || page.saveButton;
    next.focus();
    say(`Deleted the score of ${date}.`);
  }

  function chart(entries) {
    const W = 320;
    const H = 120;
    const x = (i) => (entries.length < 2 ? W / 2 : 20 + (i * (W - 40)) / (entries.length - 1));
    const y = (e) => H - 16 - ((H - 32) * e.score) / (e.max || 1);
    const last = entries[entries.length - 1];
    const chartSvg = svg("svg", {
      class: "pb-chart",
      viewBox: `0 0 ${W} ${H}`,
      role: "img",
      "aria-label": `Chart of ${entries.length} saved score${entries.length > 1 ? "s" : ""}, the latest ${last.score} of ${last.max} on ${last.date}`,
    });
    chartSvg.append(
      svg("line", { x1: 0, x2: W, y1: H - 16, y2: H - 16, class: "pb-chart-axis" }),
      svg("line", { x1: 0, x2: W, y1: 16, y2: 16, class: "pb-chart-axis pb-chart-top" }),
      svg("polyline", { points: entries.map((e, i) => `${x(i)},${y(e)}`).join(" ") })
    );
    entries.forEach((e, i) => {
      chartSvg.append(svg("circle", { cx: x(i), cy: y(e), r: 4 }));
      const label = svg("text", { x: x(i), y: y(e) - 8 });
      label.textContent = e.score;
      chartSvg.append(label);
    });
    return chartSvg;
  }

  function drawHistory() {
    const { history } = store.get(page.id);
    const box = page.history;
    box.hidden = !history.length;
    if (!history.length) return box.replaceChildren();
    const rows = history.map((e) => {
      const row = band(e.score);
      const label = row && e.max === +page.checklist.dataset.pbMax ? row.cells[1].textContent : "";
      const remove = h("button", {
        type: "button",
        class: "pb-button pb-button--small",
        "aria-label": `Delete the score of ${e.date}`,
      }, "Delete");
      remove.addEventListener("click", () => deleteScore(e.date));
      return h("tr", {}, h("td", {}, e.date), h("td", {}, `${e.score} of ${e.max}`), h("td", {}, label), h("td", {}, remove));
    });
    box.replaceChildren(
      h("h3", { id: "pb-history-title" }, "Your saved scores"),
      chart(history),
      h(
        "table",
        { class: "pb-history-table" },
        h("caption", {}, "Saved scores, oldest first"),
        h("thead", {}, h("tr", {}, ...["Date", "Score", "Band", "Delete"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, ...rows)
      )
    );
  }

  function exportAll() {
    const exercises = {};
    for (const id of store.ids()) {
      const record = store.get(id);
      if (Object.keys(record.answers).length || record.history.length) exercises[id] = record;
    }
    const data = { format: FORMAT, version: VERSION, exported: new Date().toISOString(), exercises };
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: "application/json" }));
    const link = h("a", { href: url, download: `engagement-playbook-answers-${today()}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    const count = Object.keys(exercises).length;
    say(`Exported answers and scores for ${count} exercise${count === 1 ? "" : "s"}.`);
  }

  /* Returns the exercises map of a valid export, or a sentence saying what is wrong. */
  function checkImport(text) {
    let data;
    try {
      data = JSON.parse(text);
    } catch {
      return "it is not a JSON file";
    }
    if (!isMap(data) || data.format !== FORMAT) return "it is not an answers file exported by the playbook";
    if (!Number.isInteger(data.version) || data.version < 1) return "its version is missing";
    if (data.version > VERSION) return "it was made by a newer version of the playbook";
    if (!isMap(data.exercises)) return "it holds no exercises";
    for (const [id, record] of Object.entries(data.exercises)) {
      if (!ID.test(id) || !validRecord(record)) return `the answers for “${id}” are damaged`;
    }
    return data.exercises;
  }

  async function importFile(file) {
    const result = file.size > 5e6 ? "it is too large" : checkImport(await file.text());
    if (typeof result === "string") {
      return say(`“${file.name}” was not imported: ${result}. Nothing was changed.`, true);
    }
    const ids = Object.keys(result);
    for (const id of ids) store.put(id, result[id]);
    restore();
    if (page.checklist) drawHistory();
    say(`Imported answers and scores for ${ids.length} exercise${ids.length === 1 ? "" : "s"} from “${file.name}”.`);
  }

  function resetAnswers() {
    const ok = confirm("Clear your answers and ticks for this exercise? Your saved scores stay (delete them one by one).");
    if (!ok) return;
    const record = store.get(page.id);
    record.answers = {};
    store.put(page.id, record);
    restore();
    say("Your answers and ticks for this exercise were cleared.");
  }

  function button(text, action, primary) {
    const el = h("button", { type: "button", class: primary ? "pb-button pb-button--primary" : "pb-button" }, text);
    el.addEventListener("click", action);
    return el;
  }

  function tools() {
    const file = h("input", { type: "file", accept: ".json,application/json", hidden: "", "data-pb-import": "" });
    file.addEventListener("change", () => {
      if (file.files[0]) importFile(file.files[0]).finally(() => (file.value = ""));
    });
    page.status = h("p", { class: "pb-status", role: "status" });
    page.history = h("div", { class: "pb-history", hidden: "" });
    const parts = [];
    if (page.checklist) {
      page.saveButton = button("Save today’s score", saveScore, true);
      parts.push(h("p", { class: "pb-actions" }, page.saveButton), page.history);
    }
    parts.push(
      h(
        "p",
        { class: "pb-actions pb-actions--data" },
        button("Export all answers", exportAll),
        button("Import answers…", () => file.click()),
        button("Reset answers…", resetAnswers),
        file
      ),
      page.status
    );
    const box = h("div", { class: "pb-tools", "data-pb-tools": "" }, ...parts);
    const anchor = document.querySelector(".pb-bands") || page.roots[page.roots.length - 1];
    anchor.after(box);
  }

  function init() {
    const roots = [...document.querySelectorAll("[data-pb-exercise]")];
    page = null;
    if (!roots.length) return;
    for (const old of document.querySelectorAll("[data-pb-tools], .pb-notice")) old.remove();
    const checklist = roots.find((root) => root.matches("[data-pb-max]")) || null;
    page = { id: roots[0].dataset.pbExercise, roots, checklist, notified: false };
    if (checklist) {
      const out = checklist.querySelector("[data-pb-score]");
      out.setAttribute("role", "status");
      out.setAttribute("aria-atomic", "true");
    }
    store.get(page.id);
    if (!store.persistent || store.unreadable.has(page.id)) notice();
    tools();
    restore();
    if (checklist) drawHistory();
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
