/* Exercise pages: the checklist scores itself; answers, ticks and saved scores are kept
   in this browser's localStorage only, nothing is sent anywhere.

   One localStorage entry per exercise, "engagement-playbook:<exercise id>", holding
   { answers: { <data-pb-key>: string | true }, history: [{ date, score, max }] }.
   Answers are a map by the controls' stable keys, so an edit of the exercise that adds
   or removes items never shifts them. The inputs on screen are the single source of
   truth: answers are restored into them, and read back from them as the user types.
   If storage fails, the page keeps working in memory and says so once.

   Exercise ids and field keys come from content and from imported files, so any of them
   may be "constructor" or "__proto__": every dictionary is a Map or an object without a
   prototype (`dict`), never a plain object looked up by such a name.

   Built into content/assets/playbook.js by `npm run build:js`. */
(() => {
  const PREFIX = "engagement-playbook:";
  const FORMAT = "engagement-playbook-answers";
  const VERSION = 1;
  const DAY = /^\d{4}-\d\d-\d\d$/;
  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  const isMap = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  /* JSON.parse makes "__proto__" an own key; Object.assign onto a prototype-free object keeps it one. */
  const dict = (from) => Object.assign(Object.create(null), from);
  const blank = () => ({ answers: dict(), history: [] });
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
        e.max >= 0 &&
        (e.parts === undefined || (Array.isArray(e.parts) && e.parts.every(validPart)))
    );
  /* A saved score's parts: [when, score, max], e.g. ["session", 6, 8]. */
  const validPart = (p) =>
    Array.isArray(p) && p.length === 3 && ["session", "follow-up"].includes(p[0]) && Number.isInteger(p[1]) && Number.isInteger(p[2]);

  /* Storage: records that could not be written stay in `memory`. */
  const memory = new Map();
  const unreadable = new Set();
  let persistent = true;
  try {
    localStorage.setItem(PREFIX, "1");
    localStorage.removeItem(PREFIX);
  } catch {
    persistent = false;
  }

  function load(id) {
    if (memory.has(id)) return memory.get(id);
    try {
      const raw = localStorage.getItem(PREFIX + id);
      if (raw !== null) {
        const record = JSON.parse(raw);
        if (validRecord(record)) return { answers: dict(record.answers), history: record.history };
        unreadable.add(id);
      }
    } catch (e) {
      if (e instanceof SyntaxError) unreadable.add(id);
      else persistent = false;
    }
    return blank();
  }

  /* Writes all records or none: when a write fails (full storage), the ones already
     written get their previous values back. Those are all removed first and then the
     old values put back, so the storage holds exactly what it held before, which fitted.
     Returns nothing when all were written, else the [key, old value] pairs it had written. */
  function saveAll(records) {
    const written = [];
    try {
      for (const [id, record] of records) {
        if (persistent) {
          const key = PREFIX + id;
          const old = localStorage.getItem(key);
          localStorage.setItem(key, JSON.stringify(record));
          written.push([key, old]);
        } else memory.set(id, record);
        unreadable.delete(id);
      }
    } catch {
      for (const [key] of written) localStorage.removeItem(key);
      for (const [key, old] of written) if (old !== null) localStorage.setItem(key, old);
      return written;
    }
  }

  function save(id, record) {
    if (saveAll([[id, record]])) {
      persistent = false;
      notice();
      memory.set(id, record);
    }
  }

  function storedIds() {
    const ids = new Set(memory.keys());
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

  const bandLabel = (row) => text(row.querySelector(".pb-band-label") || row.cells[1]);

  /* The score of each part of the checklist (in the session, after the follow-up) and
     the total. Parts are kept apart so that a score saved at the end of the session is
     not read as a low total. */
  function score() {
    const parts = all("ul[data-pb-when]", checklist).map((list) => {
      let got = 0;
      let most = 0;
      for (const item of all("[data-pb-points]", list)) most += +item.dataset.pbPoints;
      for (const el of all("[data-pb-key]:checked", list)) got += +el.value || 0;
      return [list.dataset.pbWhen, got, most];
    });
    const total = parts.reduce((sum, p) => sum + p[1], 0);
    const max = +checklist.dataset.pbMax;
    const band = bandOf(total);
    for (const row of bandRows()) {
      row.classList.toggle("pb-band--current", row === band);
      if (row === band) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    }
    const out = checklist.querySelector("[data-pb-score]");
    const split = parts.length > 1;
    out.replaceChildren(
      make("strong", {}, split ? `Total: ${total} of ${max}` : `Your score: ${total} of ${max}`),
      split ? ` (in the session ${parts[0][1]} of ${parts[0][2]}, after the follow-up ${parts[1][1]} of ${parts[1][2]})` : "",
      band ? ` · ${bandLabel(band)}. ${text(band.cells[2])}` : "",
      split && !parts[1][1] ? " The follow-up items count once you have done the follow-up." : ""
    );
    out.hidden = false;
    return { total, max, parts: split ? parts : undefined };
  }

  function onEdit({ target: el }) {
    const key = el.dataset?.pbKey;
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
    if (checklist?.contains(el)) score();
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

  /* Saved scores, oldest first: one a day (saving again the same day replaces it), except
     that an import may bring a second score of a day from another device (see importFile). */
  const entryKey = (e) => `${e.date} ${e.score} ${e.max} ${JSON.stringify(e.parts || [])}`;
  const byDate = (a, b) => a.date.localeCompare(b.date);
  function keepScores(change, message) {
    const record = load(exercise);
    record.history = change(record.history).sort(byDate);
    save(exercise, record);
    drawHistory();
    say(message);
  }

  function saveScore() {
    const { total, max, parts } = score();
    const date = today();
    const entry = parts ? { date, score: total, max, parts } : { date, score: total, max };
    keepScores(
      (history) => [...history.filter((e) => e.date !== date), entry],
      `Saved your score for ${date}: ${total} of ${max}.`
    );
  }

  function deleteScore(entry) {
    keepScores(
      (history) => history.filter((e) => entryKey(e) !== entryKey(entry)),
      `Deleted the score of ${entry.date}.`
    );
    (historyBox.querySelector("button") || saveButton).focus();
  }

  function chart(entries) {
    const x = (i) => (entries.length < 2 ? 160 : 20 + (280 * i) / (entries.length - 1));
    const y = (e) => 104 - (88 * e.score) / (e.max || 1);
    const last = entries.at(-1);
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
    const split = all("ul[data-pb-when]", checklist).length > 1;
    historyBox.hidden = !history.length;
    historyBox.replaceChildren();
    if (!history.length) return;
    const rows = history.map((e) => {
      const band = e.max === max && bandOf(e.score);
      const remove = make(
        "button",
        {
          type: "button",
          class: "pb-button pb-button--small",
          "aria-label": `Delete the score of ${e.date} (${e.score} of ${e.max})`,
        },
        "Delete"
      );
      remove.addEventListener("click", () => deleteScore(e));
      const part = (when) => {
        const p = (e.parts || []).find((x) => x[0] === when);
        return p ? `${p[1]} of ${p[2]}` : "";
      };
      return make(
        "tr",
        {},
        make("td", {}, e.date),
        make("td", {}, `${e.score} of ${e.max}`),
        ...(split ? [make("td", {}, part("session")), make("td", {}, part("follow-up"))] : []),
        make("td", {}, band ? bandLabel(band) : ""),
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
        make("thead", {}, make("tr", {}, ...["Date", "Score", ...(split ? ["In the session", "After the follow-up"] : []), "Band", "Delete"].map((t) => make("th", { scope: "col" }, t)))),
        make("tbody", {}, ...rows)
      )
    );
  }

  function exportAll() {
    const exercises = dict();
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

  /* The [id, record] pairs of a valid export file, or what is wrong with it. */
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
    const found = Object.entries(data.exercises);
    for (const [id, record] of found) {
      if (!ID.test(id) || !validRecord(record)) return `the answers for “${id}” are damaged`;
      record.answers = dict(record.answers);
    }
    return found;
  }

  /* Import merges each of the file's records into the one kept here.
     Scores: the union of both histories, an entry being its date, score and maximum,
     sorted by date (this browser's first on a day both have). Two devices may each have
     saved a score on one day, and neither is known to be the later, so both stay.
     Answers: these, or the file's when there are none here. When the file has an answer
     these lack or change, the reader is asked once, for all such exercises, which to keep. */
  async function importFile(file) {
    const name = `“${file.name}”`;
    const found = file.size > 5e6 ? "it is too large" : readExport(await file.text());
    if (typeof found === "string") {
      return say(`${name} was not imported: ${found}. Nothing was changed.`, true);
    }
    let fresh = 0;
    /* [id, merged record, the file's answers when they conflict with these] */
    const records = found.map(([id, { answers, history }]) => {
      const mine = load(id);
      const joined = new Map([...mine.history, ...history].map((e) => [entryKey(e), e]));
      const none = !Object.keys(mine.answers).length;
      if (none && !mine.history.length) fresh++;
      return [
        id,
        { answers: none ? answers : mine.answers, history: [...joined.values()].sort(byDate) },
        // (mine.answers has no prototype: a key it lacks reads as undefined)
        !none && Object.keys(answers).some((k) => answers[k] !== mine.answers[k]) && answers,
      ];
    });
    const conflicts = records.filter((r) => r[2]);
    const ids = conflicts.map((r) => r[0]).join(", ");
    const useTheirs =
      conflicts.length &&
      confirm(`${name} has other answers than yours for ${ids}.\nOK: use the file’s. Cancel: keep yours.`);
    if (useTheirs) for (const [, record, answers] of conflicts) record.answers = answers;
    const failed = saveAll(records);
    if (failed) {
      const fitted = `${failed.length} of ${count(found.length)} fitted`;
      return say(`${name} was not imported: the storage is full (${fitted}). Nothing was changed.`, true);
    }
    restore();
    if (checklist) drawHistory();
    const merged = found.length - fresh;
    const choice = conflicts.length ? (useTheirs ? "; the file’s answers used" : "; your answers kept") : "";
    say(
      `Imported ${count(found.length)} from ${name}: ${fresh} new` +
        (merged ? `, ${merged} merged (score histories joined${choice})` : "") +
        "."
    );
  }

  function resetAnswers() {
    if (!confirm("Clear your answers and ticks for this exercise? Your saved scores stay.")) return;
    const record = load(exercise);
    record.answers = dict();
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
    (document.querySelector(".pb-bands") || roots.at(-1)).after(tools);
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
