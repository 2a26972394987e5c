/* Exercise pages: the checklist scores itself; answers, ticks and saved scores are kept
   in this browser's localStorage only, nothing is sent anywhere.

   One localStorage entry per exercise, "engagement-playbook:<exercise id>", holding
   { answers: { <data-pb-key>: string | true }, history: [{ date, score, max }] }.
   Answers are a map by the controls' stable keys, so an edit of the exercise that adds
   or removes items never shifts them. The inputs on screen are the single source of
   truth: answers are restored into them, and read back from them as the user types.
   If storage fails, the page keeps working in memory and says so once.

   Built into content/assets/playbook.js by `npm run build:js`. */
(() => {
  const PREFIX = "engagement-playbook:";
  const FORMAT = "engagement-playbook-answers";
  const VERSION = 1;
  const DAY = /^\d{4}-\d\d-\d\d$/;
  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  const isMap = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  const blank = () => ({ answers: {}, history: [] });
  const count = (n) => `${n} exercise${n === 1 ? "" : "s"}`;
  const text = (el) => el.textContent;
  const all = (selector, root = document) => [...root.querySelectorAll(selector)];
  function make(tag, attrs = {}, ...kids) {
    const el = tag.startsWith("svg:")
      ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
      : document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
    el.append(...kids);
    return el;
  }

  const validRecord = (r) =>
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
    );

  /* Storage: records that could not be written stay in `memory`. */
  const memory = {};
  const unreadable = new Set();
  let persistent = true;
  try {
    localStorage.setItem(PREFIX, "1");
    localStorage.removeItem(PREFIX);
  } catch {
    persistent = false;
  }

  function load(id) {
    if (memory[id]) return memory[id];
    try {
      const raw = localStorage.getItem(PREFIX + id);
      if (raw !== null) {
        const record = JSON.parse(raw);
        if (validRecord(record)) return record;
        unreadable.add(id);
      }
    } catch (e) {
      if (e instanceof SyntaxError) unreadable.add(id);
      else persistent = false;
    }
    return blank();
  }

  function save(id, record) {
    unreadable.delete(id);
    if (persistent) {
      try {
        localStorage.setItem(PREFIX + id, JSON.stringify(record));
        return;
      } catch {
        persistent = false;
        notice();
      }
    }
    memory[id] = record;
  }

  function storedIds() {
    const ids = new Set(Object.keys(memory));
    try {
      for (const key of Object.keys(localStorage)) {
        const id = key.slice(PREFIX.length);
        if (key.startsWith(PREFIX) && ID.test(id)) ids.add(id);
      }
    } catch {
      /* unreachable storage: memory is all there is */
    }
    return [...ids].sort();
  }

  /* The exercise page on screen (set up again after each instant navigation). */
  let exercise = null;
  let roots, checklist, status, historyBox, saveButton, notified;

  function notice() {
    if (!exercise || notified) return;
    notified = true;
    roots[0].before(
      make(
        "p",
        { class: "pb-notice", role: "status" },
        persistent
          ? "Answers saved earlier for this exercise could not be read, so the page starts empty. New answers will be kept."
          : "This browser is not letting the playbook keep your answers (private browsing or full storage): they last until you close the page. Export them to keep a copy."
      )
    );
  }

  function restore() {
    const { answers } = load(exercise);
    for (const root of roots) {
      for (const el of all("[data-pb-key]", root)) {
        const value = answers[el.dataset.pbKey];
        if (el.type === "checkbox") el.checked = value === true;
        else if (el.type === "radio") el.checked = value === el.value;
        else el.value = typeof value === "string" ? value : "";
      }
    }
    if (checklist) score();
  }

  const bandRows = () => all(".pb-bands tr[data-pb-min]");
  const bandOf = (total) =>
    bandRows().find((row) => total >= +row.dataset.pbMin && total <= +row.dataset.pbMax);

  function score() {
    let total = 0;
    for (const el of all("[data-pb-key]:checked", checklist)) total += +el.value || 0;
    const max = +checklist.dataset.pbMax;
    const band = bandOf(total);
    for (const row of bandRows()) {
      row.classList.toggle("pb-band--current", row === band);
      if (row === band) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
    const out = checklist.querySelector("[data-pb-score]");
    out.replaceChildren(
      make("strong", {}, `Your score: ${total} of ${max}`),
      band ? ` · ${text(band.cells[1])}. ${text(band.cells[2])}` : ""
    );
    out.hidden = false;
    return { total, max };
  }

  function onEdit({ target: el }) {
    const key = el.dataset && el.dataset.pbKey;
    if (!exercise || !key || !roots.some((root) => root.contains(el))) return;
    const record = load(exercise);
    const { answers } = record;
    if (el.type === "checkbox") {
      if (el.checked) answers[key] = true;
      else delete answers[key];
    } else if (el.type === "radio") {
      if (el.checked) answers[key] = el.value;
    } else if (el.value) answers[key] = el.value;
    else delete answers[key];
    save(exercise, record);
    if (checklist && checklist.contains(el)) score();
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  function say(message, problem) {
    status.textContent = message;
    status.classList.toggle("pb-status--problem", !!problem);
  }

  function today() {
    const d = new Date();
    const two = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  }

  /* Saved scores: one a day (saving again the same day replaces it), oldest first. */
  function keepScores(change, message) {
    const record = load(exercise);
    record.history = change(record.history).sort((a, b) => a.date.localeCompare(b.date));
    save(exercise, record);
    drawHistory();
    say(message);
  }

  function saveScore() {
    const { total, max } = score();
    const date = today();
    keepScores(
      (history) => [...history.filter((e) => e.date !== date), { date, score: total, max }],
      `Saved your score for ${date}: ${total} of ${max}.`
    );
  }

  function deleteScore(date) {
    keepScores((history) => history.filter((e) => e.date !== date), `Deleted the score of ${date}.`);
    (historyBox.querySelector("button") || saveButton).focus();
  }

  function chart(entries) {
    const x = (i) => (entries.length < 2 ? 160 : 20 + (280 * i) / (entries.length - 1));
    const y = (e) => 104 - (88 * e.score) / (e.max || 1);
    const last = entries[entries.length - 1];
    return make(
      "svg:svg",
      {
        class: "pb-chart",
        viewBox: "0 0 320 120",
        role: "img",
        "aria-label": `Chart of ${entries.length} saved score${entries.length > 1 ? "s" : ""}, the latest ${last.score} of ${last.max} on ${last.date}`,
      },
      make("svg:line", { x1: 0, x2: 320, y1: 104, y2: 104 }),
      make("svg:line", { x1: 0, x2: 320, y1: 16, y2: 16, class: "pb-chart-top" }),
      make("svg:polyline", { points: entries.map((e, i) => `${x(i)},${y(e)}`).join(" ") }),
      ...entries.flatMap((e, i) => [
        make("svg:circle", { cx: x(i), cy: y(e), r: 4 }),
        make("svg:text", { x: x(i), y: y(e) - 8 }, e.score),
      ])
    );
  }

  function drawHistory() {
    const { history } = load(exercise);
    const max = +checklist.dataset.pbMax;
    historyBox.hidden = !history.length;
    historyBox.replaceChildren();
    if (!history.length) return;
    const rows = history.map((e) => {
      const band = e.max === max && bandOf(e.score);
      const remove = make(
        "button",
        { type: "button", class: "pb-button pb-button--small", "aria-label": `Delete the score of ${e.date}` },
        "Delete"
      );
      remove.addEventListener("click", () => deleteScore(e.date));
      return make(
        "tr",
        {},
        make("td", {}, e.date),
        make("td", {}, `${e.score} of ${e.max}`),
        make("td", {}, band ? text(band.cells[1]) : ""),
        make("td", {}, remove)
      );
    });
    historyBox.append(
      make("h3", {}, "Your saved scores"),
      chart(history),
      make(
        "table",
        { class: "pb-history-table" },
        make("caption", {}, "Saved scores, oldest first"),
        make("thead", {}, make("tr", {}, ...["Date", "Score", "Band", "Delete"].map((t) => make("th", { scope: "col" }, t)))),
        make("tbody", {}, ...rows)
      )
    );
  }

  function exportAll() {
    const exercises = {};
    for (const id of storedIds()) {
      const record = load(id);
      if (Object.keys(record.answers).length || record.history.length) exercises[id] = record;
    }
    const data = { format: FORMAT, version: VERSION, exported: new Date().toISOString(), exercises };
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: "application/json" }));
    const link = make("a", { href: url, download: `engagement-playbook-answers-${today()}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1e3);
    say(`Exported answers and scores for ${count(Object.keys(exercises).length)}.`);
  }

  /* The exercises of a valid export file, or what is wrong with it. */
  function readExport(json) {
    let data;
    try {
      data = JSON.parse(json);
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
    const found = file.size > 5e6 ? "it is too large" : readExport(await file.text());
    if (typeof found === "string") {
      return say(`“${file.name}” was not imported: ${found}. Nothing was changed.`, true);
    }
    for (const [id, record] of Object.entries(found)) save(id, record);
    restore();
    if (checklist) drawHistory();
    say(`Imported answers and scores for ${count(Object.keys(found).length)} from “${file.name}”.`);
  }

  function resetAnswers() {
    if (!confirm("Clear your answers and ticks for this exercise? Your saved scores stay.")) return;
    const record = load(exercise);
    record.answers = {};
    save(exercise, record);
    restore();
    say("Your answers and ticks for this exercise were cleared.");
  }

  function button(label, action, extra = "") {
    const el = make("button", { type: "button", class: "pb-button" + extra }, label);
    el.addEventListener("click", action);
    return el;
  }

  /* The controls that only work with JavaScript are made here, so without it they never show. */
  function addTools() {
    const file = make("input", { type: "file", accept: ".json,application/json", hidden: "", "data-pb-import": "" });
    file.addEventListener("change", () => {
      if (file.files[0]) importFile(file.files[0]).finally(() => (file.value = ""));
    });
    status = make("p", { class: "pb-status", role: "status" });
    historyBox = make("div", { class: "pb-history", hidden: "" });
    saveButton = button("Save today’s score", saveScore, " pb-button--primary");
    const data = make(
      "p",
      { class: "pb-actions" },
      button("Export all answers", exportAll),
      button("Import answers…", () => file.click()),
      button("Reset answers…", resetAnswers),
      file
    );
    const tools = make("div", { class: "pb-tools", "data-pb-tools": "" }, data, status);
    if (checklist) tools.prepend(make("p", { class: "pb-actions" }, saveButton), historyBox);
    (document.querySelector(".pb-bands") || roots[roots.length - 1]).after(tools);
  }

  function init() {
    for (const old of all("[data-pb-tools], .pb-notice")) old.remove();
    roots = all("[data-pb-exercise]");
    exercise = roots.length ? roots[0].dataset.pbExercise : null;
    if (!exercise) return;
    notified = false;
    checklist = roots.find((root) => root.dataset.pbMax);
    if (checklist) {
      const out = checklist.querySelector("[data-pb-score]");
      out.setAttribute("role", "status");
      out.setAttribute("aria-atomic", "true");
    }
    load(exercise);
    if (!persistent || unreadable.has(exercise)) notice();
    addTools();
    restore();
    if (checklist) drawHistory();
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
