/* Exercise pages: the worksheet is fillable and the checklist scores itself, in named
   copies ("My copy", "Sam, 2026-11-23", …); the My worksheets page lists every copy.
   Answers, ticks and saved scores are kept in this browser's localStorage only, nothing
   is sent anywhere.

   One localStorage entry per exercise, "engagement-playbook:<exercise id>", holding
     { title, url, open: <copy id>,
       copies: { <copy id>: { answers: { <data-pb-key>: string | true },
                              history: [{ date, score, max, parts? }] } } }
   `title` and `url` (the page's address from the site's root) are the exercise page's
   when it last saved, for the My worksheets page; `open` is the copy last open there.
   The reader's own copy has the id "me"; other copies get a new id each. A copy's person
   and date are its worksheet header's answers "@name" and "@date", so they fill the
   header on screen and in print, and typing in the header renames the copy.
   An entry in the layout before copies, { answers, history }, reads as the copy "me";
   it is written in the new layout at its next change.
   Answers are a map by the controls' stable keys, so an edit of the exercise that adds
   or removes items never shifts them. The inputs on screen are the single source of
   truth: answers are restored into them, and read back from them as the user types.
   If storage fails, the page keeps working in memory and says so once. An entry or a
   copy that cannot be read is left out, with a notice, and the rest is used.

   Export files: { format, version: 2, exported, exercises: { <id>: { title, url,
   copies } } }; version 1 files ({ <id>: { answers, history } }) import as "me".

   Exercise ids, copy ids and field keys come from content and from imported files, so
   any of them may be "constructor" or "__proto__": every dictionary is a Map or an object
   without a prototype (`dict`), never a plain object looked up by such a name.

   Built into playbook/assets/playbook.js by `npm run build:js`. */
(() => {
  const PREFIX = "engagement-playbook:";
  const FORMAT = "engagement-playbook-answers";
  const VERSION = 2;
  const ME = "me";
  const DAY = /^\d{4}-\d\d-\d\d$/;
  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  /* A page's address from the site's root: no scheme, no host, nothing above the root. */
  const PATH = /^([\w-]+\/)*[\w.-]*$/;
  /* The site's root and the planner's data (which lists every exercise's title and address). */
  const SCRIPT = document.currentScript?.src || location.href;
  const ROOT = new URL("../../", SCRIPT);
  const PLANNER = new URL("planner.json", SCRIPT);

  const isMap = (v) => !!v && typeof v === "object" && !Array.isArray(v);
  /* JSON.parse makes "__proto__" an own key; Object.assign onto a prototype-free object keeps it one. */
  const dict = (from) => Object.assign(Object.create(null), from);
  const blank = () => ({ answers: dict(), history: [] });
  const plural = (n, one, many = one + "s") => `${n} ${n === 1 ? one : many}`;
  const count = (n) => plural(n, "exercise");
  const used = (copy) => Object.keys(copy.answers).length || copy.history.length;
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
  /* "My copy", "Sam, 2026-11-23", "My copy, Ana". */
  const label = (id, { answers: a }) =>
    [id === ME && "My copy", a["@name"], a["@date"]].filter(Boolean).join(", ") || "Unnamed copy";

  const validCopy = (r) =>
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

  /* A stored or imported entry as a record, and whether any of it had to be left out. */
  function readRecord(data) {
    if (validCopy(data)) data = { copies: { [ME]: data } };
    const record = { copies: dict() };
    let bad = !isMap(data) || !isMap(data.copies);
    if (!bad) {
      for (const [id, copy] of Object.entries(data.copies)) {
        if (ID.test(id) && validCopy(copy)) record.copies[id] = { answers: dict(copy.answers), history: copy.history };
        else bad = true;
      }
      for (const key of ["title", "url", "open"]) if (typeof data[key] === "string") record[key] = data[key];
      if (record.url && !PATH.test(record.url)) delete record.url;
    }
    return [record, bad];
  }

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
    let data = null;
    try {
      data = JSON.parse(localStorage.getItem(PREFIX + id));
    } catch (e) {
      if (e instanceof SyntaxError) unreadable.add(id);
      else persistent = false;
    }
    if (data === null) return readRecord({ copies: {} })[0];
    const [record, bad] = readRecord(data);
    if (bad) unreadable.add(id);
    return record;
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

  /* The page on screen (set up again after each instant navigation): an exercise page
     (`exercise` set), or the My worksheets page, or neither. */
  let exercise = null;
  let host, roots, checklist, status, historyBox, saveButton, notified, copyId, picker, copyStatus, refresh;

  function notice(message) {
    if (!host || notified) return;
    notified = true;
    host.before(
      make(
        "p",
        { class: "pb-notice", role: "status" },
        message ||
          (persistent
            ? "Some answers saved earlier for this exercise could not be read and were left out. New answers will be kept."
            : "This browser is not letting the playbook keep your answers (private browsing or full storage): they last until you close the page. Export them to keep a copy.")
      )
    );
  }

  /* The exercise's record and the open copy in it (a blank "My copy" when there is none). */
  function current() {
    const record = load(exercise);
    record.copies[copyId] ||= blank();
    return [record, record.copies[copyId]];
  }

  /* Saves the exercise's record, with the page's title and address for My worksheets. */
  function keep(record) {
    const h1 = document.querySelector(".md-content h1");
    if (h1) record.title = text(h1).replace("¶", "").trim();
    const path = location.pathname;
    if (path.startsWith(ROOT.pathname)) record.url = path.slice(ROOT.pathname.length);
    record.open = copyId;
    save(exercise, record);
  }

  function restore() {
    const { answers } = current()[1];
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

  /* Everything on screen that shows the open copy. */
  function show() {
    drawCopies();
    restore();
    if (checklist) drawHistory();
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
    const [record, { answers }] = current();
    if (el.type === "checkbox") {
      if (el.checked) answers[key] = true;
      else delete answers[key];
    } else if (el.type === "radio") {
      if (el.checked) answers[key] = el.value;
    } else if (el.value) answers[key] = el.value;
    else delete answers[key];
    keep(record);
    if (checklist?.contains(el)) score();
    if (key[0] === "@") drawCopies();
  }
  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);

  function say(message, problem, out = status) {
    out.textContent = message;
    out.classList.toggle("pb-status--problem", !!problem);
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
    const [record, copy] = current();
    copy.history = change(copy.history).sort(byDate);
    keep(record);
    drawHistory();
    say(message);
  }

  function saveScore() {
    const { total, max, parts } = score();
    const date = today();
    const entry = parts ? { date, score: total, max, parts } : { date, score: total, max };
    keepScores(
      (history) => [...history.filter((e) => e.date !== date), entry],
      `Saved the score of ${label(copyId, current()[1])} for ${date}: ${total} of ${max}.`
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
        "aria-label": `Chart of ${plural(entries.length, "saved score")}, the latest ${last.score} of ${last.max} on ${last.date}`,
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
    const { history } = current()[1];
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
      make("h3", {}, `Saved scores: ${label(copyId, current()[1])}`),
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

  /* --- Copies ------------------------------------------------------------------------ */

  const ordered = (copies) =>
    Object.keys(copies).sort((a, b) => (b === ME) - (a === ME) || label(a, copies[a]).localeCompare(label(b, copies[b])));

  function drawCopies() {
    const { copies } = current()[0];
    picker.replaceChildren(...ordered(copies).map((id) => make("option", { value: id }, label(id, copies[id]))));
    picker.value = copyId;
  }

  /* Opens the copy `id` of `record` (which holds it) and saves that it is the open one. */
  function openCopy(id, message, record = load(exercise)) {
    copyId = id;
    keep(record);
    show();
    say(message || `Opened ${label(id, current()[1])}.`, false, copyStatus);
  }

  function startCopy(event) {
    event.preventDefault();
    const [, person, day] = event.target.elements; // after the fieldset
    if (!person.value.trim()) {
      person.focus();
      return say("Type whose copy it is first.", true, copyStatus);
    }
    const [record] = current();
    let id = "c" + Date.now().toString(36);
    while (record.copies[id]) id += "x";
    record.copies[id] = { answers: dict({ "@name": person.value.trim(), "@date": day.value || today() }), history: [] };
    person.value = "";
    openCopy(id, `Started the copy ${label(id, record.copies[id])}; it is open below.`, record);
  }

  function renameCopy() {
    const [record, copy] = current();
    const name = prompt("Whose copy is it? (the name on its worksheet)", copy.answers["@name"] || "");
    if (name === null) return;
    if (name.trim()) copy.answers["@name"] = name.trim();
    else delete copy.answers["@name"];
    keep(record);
    show();
    say(`Renamed it ${label(copyId, copy)}.`, false, copyStatus);
  }

  function deleteCopy() {
    const [record, copy] = current();
    const id = copyId;
    const name = label(id, copy);
    delete record.copies[id];
    copyId = ordered(record.copies)[0] || ME;
    keep(record);
    show();
    const undo = button("Undo", () => {
      const again = load(exercise);
      again.copies[id] = copy;
      openCopy(id, `Brought back ${name}.`, again);
      picker.focus();
    });
    say(`Deleted the copy ${name}; ${label(copyId, current()[1])} is open. `, false, copyStatus);
    copyStatus.append(undo);
    undo.focus();
  }

  function addCopyBar() {
    picker = make("select", { id: "pb-copy" });
    picker.addEventListener("change", () => openCopy(picker.value));
    copyStatus = make("p", { class: "pb-copy-status", role: "status" });
    const field = (id, name, attrs) => [make("label", { for: id }, name), make("input", { id, ...attrs })];
    const form = make(
      "form",
      { class: "pb-actions" },
      make(
        "fieldset",
        {},
        make("legend", {}, "Start a copy for someone"),
        ...field("pb-copy-person", "Person", { type: "text", autocomplete: "off" }),
        ...field("pb-copy-date", "Date", { type: "date", value: today() }),
        make("button", { class: "pb-button" }, "Start a copy")
      )
    );
    form.addEventListener("submit", startCopy);
    host.before(
      make(
        "div",
        { class: "pb-tools pb-copies", "data-pb-tools": "", role: "group", "aria-label": "Copies of this worksheet" },
        make(
          "p",
          { class: "pb-actions" },
          make("label", { for: "pb-copy" }, "Copy open"),
          picker,
          button("Rename…", renameCopy),
          button("Delete this copy", deleteCopy)
        ),
        form,
        copyStatus
      )
    );
  }

  /* --- Export and import --------------------------------------------------------------- */

  function exportAll() {
    const exercises = dict();
    let copies = 0;
    for (const id of storedIds()) {
      const { title, url, copies: held } = load(id);
      const kept = Object.entries(held).filter(([, copy]) => used(copy));
      copies += kept.length;
      if (kept.length) exercises[id] = { title, url, copies: Object.fromEntries(kept) };
    }
    const data = { format: FORMAT, version: VERSION, exported: new Date().toISOString(), exercises };
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1)], { type: "application/json" }));
    const link = make("a", { href: url, download: `engagement-playbook-answers-${today()}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1e3);
    say(`Exported ${plural(copies, "copy", "copies")} of ${count(Object.keys(exercises).length)}.`);
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
    const found = [];
    for (const [id, entry] of Object.entries(data.exercises)) {
      const [record, bad] = readRecord(entry);
      if (!ID.test(id) || bad) return `the answers for “${id}” are damaged`;
      found.push([id, record]);
    }
    return found;
  }

  /* Import merges each of the file's copies into the one kept here with the same id (a
     version 1 file's answers are the reader's own copy, "me"); copies not here are added.
     Scores: the union of both histories, an entry being its date, score and maximum,
     sorted by date (this browser's first on a day both have). Two devices may each have
     saved a score on one day, and neither is known to be the later, so both stay.
     Answers: these, or the file's when there are none here. When the file has an answer
     these lack or change, the reader is asked once, for all such copies, which to keep. */
  async function importFile(file) {
    const name = `“${file.name}”`;
    const found = file.size > 5e6 ? "it is too large" : readExport(await file.text());
    if (typeof found === "string") {
      return say(`${name} was not imported: ${found}. Nothing was changed.`, true);
    }
    let added = 0;
    let joined = 0;
    let copies = 0;
    const conflicts = []; // [copy here, the file's answers, its name]
    const records = found.map(([id, theirs]) => {
      const mine = load(id);
      mine.title ||= theirs.title;
      mine.url ||= theirs.url;
      for (const [cid, { answers, history }] of Object.entries(theirs.copies)) {
        copies++;
        const copy = mine.copies[cid];
        if (!copy || !used(copy)) {
          added++;
          mine.copies[cid] = { answers, history };
          continue;
        }
        const union = new Map([...copy.history, ...history].map((e) => [entryKey(e), e]));
        if (union.size > copy.history.length) joined++;
        copy.history = [...union.values()].sort(byDate);
        // (copy.answers has no prototype: a key it lacks reads as undefined)
        if (!Object.keys(copy.answers).length) copy.answers = answers;
        else if (Object.keys(answers).some((k) => answers[k] !== copy.answers[k])) {
          conflicts.push([copy, answers, `${id} (${label(cid, copy)})`]);
        }
      }
      return [id, mine];
    });
    const useTheirs =
      conflicts.length &&
      confirm(`${name} has other answers than yours for ${conflicts.map((c) => c[2]).join(", ")}.\nOK: use the file’s. Cancel: keep yours.`);
    if (useTheirs) for (const [copy, answers] of conflicts) copy.answers = answers;
    const failed = saveAll(records);
    if (failed) {
      const fitted = `${failed.length} of ${count(found.length)} fitted`;
      return say(`${name} was not imported: the storage is full (${fitted}). Nothing was changed.`, true);
    }
    refresh();
    const replaced = useTheirs ? conflicts.length : 0;
    const kept = copies - added - replaced;
    say(
      `Imported ${name}: added ${plural(added, "copy", "copies")}, kept ${kept} that ${kept === 1 ? "was" : "were"} already here, replaced ${replaced}` +
        (joined ? `; score histories joined for ${joined}` : "") +
        "."
    );
  }

  function resetAnswers() {
    if (!confirm("Clear your answers and ticks in this copy? Its name, date and saved scores stay.")) return;
    const [record, copy] = current();
    copy.answers = dict(Object.fromEntries(Object.entries(copy.answers).filter(([k]) => k[0] === "@")));
    keep(record);
    restore();
    say("The answers and ticks of this copy were cleared.");
  }

  function button(name, action, extra = "") {
    const el = make("button", { type: "button", class: "pb-button" + extra }, name);
    el.addEventListener("click", action);
    return el;
  }

  /* Export, import and a status line; the controls that only work with JavaScript are
     made here, so without it they never show. */
  function dataTools(exportName, ...more) {
    const file = make("input", { type: "file", accept: ".json,application/json", hidden: "", "data-pb-import": "" });
    file.addEventListener("change", () => {
      if (file.files[0]) importFile(file.files[0]).finally(() => (file.value = ""));
    });
    status = make("p", { class: "pb-status", role: "status" });
    const actions = make("p", { class: "pb-actions" }, button(exportName, exportAll), button("Import answers…", () => file.click()), ...more, file);
    return make("div", { class: "pb-tools", "data-pb-tools": "" }, actions, status);
  }

  function addTools() {
    historyBox = make("div", { class: "pb-history", hidden: "" });
    saveButton = button("Save today’s score", saveScore, " pb-button--primary");
    const tools = dataTools("Export all answers", button("Reset answers…", resetAnswers));
    if (checklist) tools.prepend(make("p", { class: "pb-actions" }, saveButton), historyBox);
    (document.querySelector(".pb-bands") || roots.at(-1)).after(tools);
  }

  /* --- My worksheets -------------------------------------------------------------------- */

  /* id → { title, url } of every exercise of the site, from the planner's data. */
  let known;
  const titles = () =>
    (known ||= fetch(PLANNER)
      .then((r) => r.json())
      .then((data) => new Map(data.exercises.map((e) => [e.id, e])), () => new Map()));

  async function drawList(box) {
    const site = await titles();
    const rows = [];
    for (const id of storedIds()) {
      const record = load(id);
      const { title = id, url = `exercises/${id}/` } = { ...record, ...site.get(id) };
      for (const cid of ordered(record.copies)) {
        const copy = record.copies[cid];
        if (used(copy)) rows.push([title, new URL(url, ROOT), cid, copy]);
      }
    }
    rows.sort((a, b) => a[0].localeCompare(b[0]));
    const cells = ([title, url, cid, copy]) => {
      const last = copy.history.at(-1);
      const open = new URL(url);
      open.searchParams.set("copy", cid);
      return make(
        "tr",
        {},
        make("th", { scope: "row" }, make("a", { href: url }, title)),
        make("td", {}, make("a", { href: open }, copy.answers["@name"] || (cid === ME ? "My copy" : "Unnamed copy"))),
        make("td", {}, copy.answers["@date"] || ""),
        make("td", {}, last ? `${last.score} of ${last.max} (${last.date})` : "No score saved")
      );
    };
    box.replaceChildren(
      rows.length
        ? make(
            "table",
            { class: "pb-history-table pb-copies-table" },
            make("caption", {}, `${plural(rows.length, "saved copy", "saved copies")}; open one by its person`),
            make("thead", {}, make("tr", {}, ...["Exercise", "Person", "Date", "Latest score"].map((t) => make("th", { scope: "col" }, t)))),
            make("tbody", {}, ...rows.map(cells))
          )
        : make("p", {}, "No worksheets are saved in this browser yet.")
    );
    if (unreadable.size) notice(`Some saved answers (${[...unreadable].join(", ")}) could not be read and are left out; the rest is listed.`);
  }

  function init() {
    for (const old of all("[data-pb-tools], .pb-notice")) old.remove();
    notified = false;
    roots = all("[data-pb-exercise]");
    exercise = roots.length ? roots[0].dataset.pbExercise : null;
    const mine = document.querySelector("[data-pb-my-worksheets]");
    host = roots[0] || mine;
    if (!exercise) {
      if (!mine) return;
      const list = make("div", { class: "pb-my-list" });
      refresh = () => drawList(list);
      mine.replaceChildren(list, dataTools("Export everything"));
      if (!persistent) notice();
      return refresh();
    }
    checklist = roots.find((root) => root.dataset.pbMax);
    if (checklist) {
      const out = checklist.querySelector("[data-pb-score]");
      out.setAttribute("role", "status");
      out.setAttribute("aria-atomic", "true");
    }
    const record = load(exercise);
    const address = new URL(location);
    const asked = address.searchParams.get("copy");
    copyId = record.copies[asked] ? asked : record.copies[record.open] ? record.open : ordered(record.copies)[0] || ME;
    if (!persistent || unreadable.has(exercise)) notice();
    addCopyBar();
    addTools();
    refresh = show;
    show();
    if (asked) {
      address.searchParams.delete("copy");
      history.replaceState(history.state, "", address);
      if (asked === copyId) keep(record);
      else say("The copy asked for is not saved in this browser.", true, copyStatus);
    }
  }

  if (window.document$) window.document$.subscribe(init);
  else init();
})();
