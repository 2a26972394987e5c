/* Plan a session (the page at plan/). From the minutes, people and audience the reader
   gives, it proposes exercises that fit, with clock times and the prep and follow-up
   they bring; the reader can swap, remove, reorder and add blocks. The plan lives in the
   page's address (?minutes=45&people=6&audience=team&start=10:00&plan=a,b), so a reload
   or a shared link gives the same plan. The printout is the agenda, then each exercise's
   worksheet, fetched from its page and printed with print.css like the page's own print.

   The rule (the page says it too): an exercise fits when it is for the audience, takes
   that many people and has a set session length no longer than the minutes still free;
   a theme or a difficulty narrows the choice. A pathway's exercises come first, in its
   order; then the longest that fits, again and again, equal lengths by id. No exercise
   comes twice, and nothing is random: the same inputs give the same plan. */
(() => {
  const kids = (list) => list.flat(9).filter((kid) => kid != null && kid !== false);
  const h = (tag, attrs, ...content) => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) if (v != null && v !== false) el.setAttribute(k, v === true ? "" : v);
    el.append(...kids(content));
    return el;
  };
  const clock = (m) => `${Math.floor((m / 60) % 24)}:${String(m % 60).padStart(2, "0")}`;
  const count = (n, one, many = one + "s") => `${n} ${n === 1 ? one : many}`;
  const length = (ex) => (ex.session && (ex.session[1] ?? ex.session[0])) ?? null;
  const byLength = (a, b) => length(b) - length(a) || (a.id < b.id ? -1 : 1);
  const byTitle = (a, b) => a.title.localeCompare(b.title);

  async function init() {
    const root = document.querySelector("[data-pb-planner]");
    if (!root || root.dataset.pbReady) return;
    root.dataset.pbReady = "1";
    const dataUrl = new URL(root.dataset.pbData, location.href);
    let data;
    try {
      data = await (await fetch(dataUrl)).json();
    } catch {
      root.append(h("p", { class: "pb-notice" }, "The planner could not load its data: reload the page to try again."));
      return;
    }
    const site = new URL("../../", dataUrl); // the data is at assets/playbook/planner.json
    const { exercises, words, pathways = [], formatPeople = {} } = data;
    const byId = Object.fromEntries(exercises.map((ex) => [ex.id, ex]));
    for (const el of root.querySelectorAll(".pb-planner-noscript")) el.remove();

    /* The form (in the page, hidden until now): what the reader has. */
    const form = root.querySelector("form");
    const f = form.elements;
    const options = [
      [f.audience, Object.entries(words.audiences)],
      [f.theme, Object.entries(words.themes)],
      [f.difficulty, Object.entries(words.difficulties)],
      [f.pathway, pathways.map((p) => [p.id, p.title])],
    ];
    for (const [select, entries] of options) {
      select.append(...entries.map(([v, t]) => h("option", { value: v }, t)));
      select.parentNode.hidden = select.options.length < 2;
    }
    const query = new URLSearchParams(location.search);
    for (const el of f) {
      if (query.has(el.name)) el.value = query.get(el.name);
      if (el.selectedIndex < 0) el.selectedIndex = 0;
      if (!el.value && el.defaultValue) el.value = el.defaultValue;
    }
    let state = {};
    const read = () => {
      const number = (el, max) => {
        const v = Math.min(parseInt(el.value, 10), max);
        return (el.value = v > 0 ? v : state[el.name] || el.defaultValue);
      };
      const [hours, minutes] = (f.start.value || f.start.defaultValue).split(":");
      state = {
        minutes: +number(f.minutes, 1440),
        people: +number(f.people, 500),
        audience: f.audience.value,
        theme: f.theme.value,
        difficulty: f.difficulty.value,
        pathway: f.pathway.value,
        start: hours * 60 + +minutes,
      };
    };

    /* The rule. */
    const takes = (ex, n) => ex.people[0] <= n && n <= ex.people[1];
    const fits = (ex, s) => ex.audiences.includes(s.audience) && takes(ex, s.people) && length(ex) != null;
    const wanted = (ex, s) => (!s.theme || ex.themes.includes(s.theme)) && (!s.difficulty || ex.difficulty === s.difficulty);
    const pathOf = (s) => pathways.find((p) => p.id === s.pathway);
    function propose(s) {
      const pool = exercises.filter((ex) => fits(ex, s) && wanted(ex, s));
      const ids = [];
      const why = {};
      let left = s.minutes;
      const take = (ex, reason) => {
        ids.push(ex.id);
        why[ex.id] = reason;
        left -= length(ex);
      };
      for (const id of pathOf(s)?.exercises || []) {
        const ex = byId[id];
        if (pool.includes(ex) && !ids.includes(id) && length(ex) <= left) take(ex, `first on the pathway to fit the ${left} minutes left`);
      }
      for (let next; (next = pool.filter((ex) => !ids.includes(ex.id) && length(ex) <= left).sort(byLength)[0]); ) {
        take(next, `the longest that fits the ${left} minutes left`);
      }
      return [ids, why];
    }

    /* Why nothing fits, and what would. */
    function explain(s) {
      const aud = `for ${words.audiences[s.audience]}`;
      const timed = exercises.filter((ex) => ex.audiences.includes(s.audience) && length(ex) != null);
      const people = timed.filter((ex) => takes(ex, s.people));
      const pool = people.length ? people : timed;
      const narrowed = pool.filter((ex) => wanted(ex, s));
      const shortest = (narrowed.length ? narrowed : pool).sort(byLength).at(-1);
      const n = count(s.people, "person", "people");
      return [
        !timed.length && `No exercise ${aud} has a set length.`,
        timed.length && !people.length &&
          `No exercise ${aud} takes ${n}: they take ${Math.min(...timed.map((ex) => ex.people[0]))} to ${Math.max(...timed.map((ex) => ex.people[1]))}.`,
        pool.length && !narrowed.length && "None of them has the theme and difficulty you chose.",
        shortest && length(shortest) > s.minutes &&
          `The shortest exercise ${aud}${people.length ? " for " + n : ""}${narrowed.length && (s.theme || s.difficulty) ? " with your theme and difficulty" : ""} is ${length(shortest)} minutes (“${shortest.title}”); you have ${s.minutes}.`,
      ];
    }

    /* The plan on screen: blocks with clock times, why each is there, prep and follow-up. */
    let plan = [];
    let why = {};
    const [section, summary, status, body, printButton, sheets] = [".pb-plan", ".pb-plan-for", "[role=status]", ".pb-plan-body", ".pb-plan-print", ".pb-planner-sheets"].map((q) => root.querySelector(q));
    const title = h("h2", { id: "pb-plan-title", tabindex: "-1" }, "Session plan");
    section.prepend(title);
    form.hidden = section.hidden = false;

    const followUp = (ex) =>
      ex.followUp && `${ex.followUp[0] != null ? ex.followUp[0] + " min " : ""}${ex.followUp[1] != null ? "within " + count(ex.followUp[1], "day") : "afterwards"}`;
    function reasons(ex, s, path) {
      const n = count(s.people, "person", "people");
      const [low, high] = ex.people;
      const formats = ex.formats.filter((id) => !formatPeople[id] || takes({ people: formatPeople[id] }, s.people));
      const step = path ? path.exercises.indexOf(ex.id) : -1;
      return [
        `${takes(ex, s.people) ? "fits" : "does not fit"} ${n} (it takes ${low === high ? low : low + "–" + high})`,
        formats.length && `${formats.map((id) => words.formats[id] || id).join(" or ").toLowerCase()} session`,
        `${ex.audiences.includes(s.audience) ? "" : "not "}for ${words.audiences[s.audience]}`,
        s.theme && ex.themes.includes(s.theme) && `theme ${words.themes[s.theme]}`,
        s.difficulty && ex.difficulty === s.difficulty && words.difficulties[s.difficulty].toLowerCase(),
        step >= 0 && `step ${step + 1} of “${path.title}”`,
        why[ex.id] || "added by you",
      ]
        .filter(Boolean)
        .join("; ");
    }

    function render(focusKey) {
      const s = state;
      const path = pathOf(s);
      const blocks = plan.map((id) => byId[id]);
      const total = blocks.reduce((sum, ex) => sum + length(ex), 0);
      const left = s.minutes - total;
      const fitsLeft = (ex, room) => !plan.includes(ex.id) && fits(ex, s) && length(ex) <= room;
      const button = (act, text, i, ex, disabled) =>
        h("button", { type: "button", class: "pb-button pb-button--small", "data-pb-act": act, "data-pb-at": i, "data-pb-key": `${act}:${ex.id}`, "aria-label": `${text}: ${ex.title}`, disabled }, text);
      let at = s.start;
      const items = blocks.map((ex, i) => {
        const from = at;
        at += length(ex);
        const choices = exercises.filter((o) => o === ex || fitsLeft(o, left + length(ex))).sort(byTitle);
        const extra = [ex.prep != null && `prep ${ex.prep} min before`, ex.followUp && `follow-up ${followUp(ex)}`].filter(Boolean);
        return h(
          "li",
          { class: "pb-block", "data-pb-id": ex.id },
          h("p", { class: "pb-block-head" }, h("span", { class: "pb-block-time" }, `${clock(from)}–${clock(at)}`), " ", h("a", { href: new URL(ex.url, site).href }, ex.title), ` (${length(ex)} min)`),
          h("p", { class: "pb-block-why" }, "Why: ", reasons(ex, s, path), "."),
          extra.length > 0 && h("p", { class: "pb-block-extra" }, extra.join("; ")),
          h(
            "p",
            { class: "pb-block-tools" },
            h("label", { for: `pb-swap-${i}` }, "Swap for"),
            h("select", { id: `pb-swap-${i}`, "data-pb-at": i, "data-pb-key": `swap:${ex.id}`, "aria-label": `Swap “${ex.title}” for` },
              choices.map((o) => h("option", { value: o.id, selected: o === ex }, `${o.title} (${length(o)} min)`))),
            button("up", "Move up", i, ex, i === 0),
            button("down", "Move down", i, ex, i === blocks.length - 1),
            button("remove", "Remove", i, ex)
          )
        );
      });
      const addable = exercises.filter((o) => fitsLeft(o, left)).sort(byTitle);
      const proposable = blocks.length > 0 || propose(s)[0].length > 0;
      const list = (heading, rows, none) => [h("h3", {}, heading), rows.length ? h("ul", {}, rows.map((row) => h("li", {}, row))) : h("p", {}, none)];
      body.replaceChildren(
        ...kids([
        blocks.length
          ? h("ol", { class: "pb-plan-blocks" }, items)
          : h("div", { class: "pb-notice" }, h("p", {}, h("strong", {}, proposable ? "The plan is empty." : "Nothing fits.")), !proposable && explain(s).map((t) => t && h("p", {}, t))),
        proposable &&
          h(
            "p",
            { class: "pb-plan-add" },
            addable.length
              ? [
                  h("label", { for: "pb-plan-add" }, "Add an exercise"),
                  h("select", { id: "pb-plan-add", "data-pb-key": "add" }, addable.map((o) => h("option", { value: o.id }, `${o.title} (${length(o)} min)`))),
                  h("button", { type: "button", class: "pb-button pb-button--small", "data-pb-act": "add" }, "Add"),
                ]
              : left > 0 && `Nothing else fits the ${left} minutes left.`
          ),
        blocks.length > 0 && [
          list("Before the session", blocks.filter((ex) => ex.prep != null).map((ex) => `${ex.title}: ${ex.prep} min`), "Nothing to prepare."),
          list("After the session", blocks.filter((ex) => ex.followUp).map((ex) => `${ex.title}: ${followUp(ex)}`), "No follow-up."),
        ],
        ])
      );
      const prep = blocks.reduce((sum, ex) => sum + (ex.prep || 0), 0);
      const after = blocks.reduce((sum, ex) => sum + ((ex.followUp && ex.followUp[0]) || 0), 0);
      summary.textContent = `${s.minutes} minutes from ${clock(s.start)} · ${count(s.people, "person", "people")} · ${words.audiences[s.audience]}${path ? " · pathway: " + path.title : ""}`;
      status.textContent = blocks.length
        ? `${count(blocks.length, "exercise")}, ${total} of ${s.minutes} minutes (${clock(s.start)}–${clock(s.start + total)})${left < 0 ? `, ${-left} minutes over` : ""}; prep ${prep} min${after ? `; follow-up ${after} min` : ""}.`
        : "No plan.";
      printButton.hidden = !blocks.length;
      const params = new URLSearchParams({ minutes: s.minutes, people: s.people, audience: s.audience, theme: s.theme, difficulty: s.difficulty, pathway: s.pathway, start: clock(s.start).padStart(5, "0"), plan });
      for (const [k, v] of [...params]) if (!v && k !== "plan") params.delete(k);
      const search = String(params).replace(/%3A/g, ":").replace(/%2C/g, ",");
      history.replaceState(history.state, "", `${location.pathname}?${search}${location.hash}`);
      if (focusKey) (body.querySelector(`[data-pb-key="${focusKey}"]:not(:disabled)`) || title).focus();
      loadSheets();
    }

    body.addEventListener("click", (event) => {
      const act = event.target.closest("button[data-pb-act]");
      if (!act) return;
      const i = +act.dataset.pbAt;
      const id = plan[i];
      let key;
      if (act.dataset.pbAct === "add") {
        plan.push(body.querySelector("#pb-plan-add").value);
        key = "add";
      } else if (act.dataset.pbAct === "remove") {
        plan.splice(i, 1);
        key = plan[i] ? `swap:${plan[i]}` : plan[i - 1] ? `swap:${plan[i - 1]}` : "add";
      } else {
        const j = act.dataset.pbAct === "up" ? i - 1 : i + 1;
        [plan[i], plan[j]] = [plan[j], plan[i]];
        key = j === 0 ? `down:${id}` : j === plan.length - 1 ? `up:${id}` : `${act.dataset.pbAct}:${id}`;
      }
      render(key);
    });
    body.addEventListener("change", (event) => {
      const select = event.target;
      if (!select.id.startsWith("pb-swap-")) return;
      plan[+select.dataset.pbAt] = select.value;
      render(`swap:${select.value}`);
    });
    const update = (repropose) => {
      read();
      if (repropose) [plan, why] = propose(state);
      render();
    };
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      update(true);
    });
    form.addEventListener("change", (event) => update(event.target.name !== "start"));

    /* Worksheets for the printout: each exercise's article, its ids made unique. */
    const pages = new Map();
    const fetchPage = (url) => {
      if (!pages.has(url)) pages.set(url, fetch(url).then((r) => (r.ok ? r.text() : null)).catch(() => null));
      return pages.get(url);
    };
    function sheet(ex, text, i) {
      const base = new URL(ex.url, site);
      const box = h("div", { class: "pb-planner-sheet", "data-pb-sheet": ex.id });
      const article = text && new DOMParser().parseFromString(text, "text/html").querySelector("article");
      if (!article) return h("div", { class: "pb-planner-sheet" }, `Print “${ex.title}” from ${base.href}`);
      for (const el of article.querySelectorAll("script, .md-content__button, .md-tags, .headerlink")) el.remove();
      for (const el of article.querySelectorAll("*")) {
        for (const name of ["href", "src"]) if (el.hasAttribute(name)) el.setAttribute(name, new URL(el.getAttribute(name), base).href);
        for (const name of ["id", "for", "aria-labelledby", "aria-describedby"]) {
          if (el.hasAttribute(name)) el.setAttribute(name, el.getAttribute(name).replace(/\S+/g, `$&--pb${i}`));
        }
      }
      box.append(...article.childNodes);
      return box;
    }
    let loading = Promise.resolve();
    let generation = 0;
    function loadSheets() {
      const mine = ++generation;
      const blocks = plan.map((id) => byId[id]);
      loading = Promise.all(blocks.map((ex) => fetchPage(new URL(ex.url, site).href))).then((texts) => {
        if (mine === generation) sheets.replaceChildren(...blocks.map((ex, i) => sheet(ex, texts[i], i)));
      });
    }
    printButton.addEventListener("click", async () => {
      await loading;
      print();
    });

    read();
    [plan, why] = propose(state);
    if (query.has("plan")) plan = query.get("plan").split(",").filter((id, i, all) => byId[id] && all.indexOf(id) === i);
    render();
  }

  if (window.document$) window.document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
