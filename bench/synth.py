"""Synthetic exercises for the build benchmark: valid, varied, deterministic.

Each exercise is about the size of a real one (``exercises/gyst-prepare.yaml``: five
steps with prompts, six worksheet fields, seven checklist items, three bands,
facilitator notes, a variation). Themes and audiences vary, so every catalog page
(by theme, by audience) exists with a realistic number of cards.
"""

from __future__ import annotations

import datetime as dt
import random

import yaml

AUDIENCES = ["seller", "sales-development", "customer-success", "manager", "leader", "team"]
FORMATS = ["solo", "pair", "one-on-one", "team"]
PEOPLE = {"solo": (1, 8), "pair": (2, 12), "one-on-one": (2, 2), "team": (4, 12)}
DIFFICULTIES = ["introductory", "intermediate", "advanced"]
THEMES = [
    "preparation",
    "customer-meetings",
    "listening",
    "questions",
    "proposals",
    "one-on-ones",
    "feedback",
    "negotiation",
    "follow-up",
    "focus",
    "storytelling",
    "handover",
]
VERBS = ["prepare", "listen", "ask", "map", "plan", "review", "score", "frame", "close", "open"]
NOUNS = ["meeting", "account", "question", "proposal", "call", "pipeline", "story", "goal"]
WORDS = (
    "the customer meeting question answer listen prepare plan reason reader person role "
    "quarter problem change guess note goal outcome agenda decision risk value time team "
    "manager seller conversation follow-up proposal draft silence pause summary promise "
    "next step evidence priority budget pressure trust detail example story habit focus"
).split()


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> str:
    text = _words(rng, low, high)
    return text[:1].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    parts = [_sentence(rng) for _ in range(sentences)]
    # Some Markdown emphasis, as real exercises have.
    head = parts[0].split(" ", 2)
    if len(head) == 3:
        parts[0] = f"**{head[0]} {head[1]}** {head[2]}"
    return " ".join(parts)


def _question(rng: random.Random) -> str:
    text = _words(rng, 6, 12)
    return text[:1].upper() + text[1:] + "?"


def _people(fmt: str) -> dict:
    low, high = PEOPLE[fmt]
    people: dict = {"min": low, "max": high}
    if fmt == "pair":
        people["odd"] = "A group of three takes turns, one of them observing each round."
    return people


def exercise_id(index: int) -> str:
    verb = VERBS[index % len(VERBS)]
    noun = NOUNS[(index // len(VERBS)) % len(NOUNS)]
    return f"{verb}-the-{noun}-{index:04d}"


def exercise_data(index: int, ids: list[str], rng: random.Random) -> dict:
    """One valid exercise as plain data (what the YAML file holds); ``ids`` are all ids."""
    steps = []
    for s in range(rng.randint(4, 6)):
        step = {
            "title": _words(rng, 2, 5).capitalize(),
            "minutes": rng.randint(2, 8),
            "instructions": _paragraph(rng, 2) + "\n" + _paragraph(rng, 2) + "\n",
        }
        if s % 2 == 1:
            step["prompts"] = [_question(rng) for _ in range(2)]
        steps.append(step)
    total = sum(step["minutes"] for step in steps)

    fields: list[dict] = [
        {"id": "conversation", "type": "short", "label": _sentence(rng, 5, 9)},
        {"id": "their-world", "type": "long", "lines": 5, "label": _sentence(rng, 6, 10)},
        {"id": "why-them", "type": "short", "label": _sentence(rng, 5, 9)},
        {
            "id": "questions",
            "type": "list",
            "items": 3,
            "label": _sentence(rng, 4, 7),
            "help": _sentence(rng, 8, 14),
        },
        {
            "id": "readiness",
            "type": "rating",
            "label": _question(rng),
            "low": "Not yet",
            "high": "Ready",
        },
    ]
    if index % 3 == 0:
        fields.insert(
            3,
            {
                "id": "evidence",
                "type": "table",
                "label": _sentence(rng, 4, 8),
                "columns": ["What I know", "How I know it", "What to ask"],
                "rows": 3,
            },
        )

    items = []
    for i in range(rng.randint(6, 8)):
        item = {"id": f"item-{i + 1}", "text": _sentence(rng, 8, 14)}
        if i % 3 == 2:
            item["points"] = 2
        if i == 5:
            item |= {"kind": "scale", "points": 3}
        items.append(item)
    top = sum(item.get("points", 1) for item in items)
    cut1, cut2 = top // 3, (2 * top) // 3
    bands = [
        {"min": 0, "max": cut1, "label": "Not ready yet", "advice": _sentence(rng, 10, 16)},
        {"min": cut1 + 1, "max": cut2, "label": "Half ready", "advice": _sentence(rng, 10, 16)},
        {"min": cut2 + 1, "max": top, "label": "Ready", "advice": _sentence(rng, 10, 16)},
    ]

    related = sorted({rng.choice(ids) for _ in range(rng.randint(0, 3))} - {ids[index]})
    return {
        "id": ids[index],
        "title": _words(rng, 4, 8).capitalize()[:80].strip(),
        "summary": _sentence(rng, 14, 24)[:200],
        "updated": dt.date(2026, 1, 1) + dt.timedelta(days=index % 300),
        "idea": {"name": _words(rng, 3, 5).capitalize(), "credit": "After " + _sentence(rng)},
        "purpose": _paragraph(rng, 2) + "\n" + _paragraph(rng, 3) + "\n",
        "audiences": rng.sample(AUDIENCES, rng.randint(1, 3)),
        "format": FORMATS[index % len(FORMATS)],
        "people": _people(FORMATS[index % len(FORMATS)]),
        "use_when": [_sentence(rng, 6, 12) for _ in range(2)],
        "not_when": [_sentence(rng, 6, 12)],
        "difficulty": DIFFICULTIES[index % len(DIFFICULTIES)],
        "themes": rng.sample(THEMES, rng.randint(1, 3)),
        "session": {"minutes": total},
        "materials": [_sentence(rng, 4, 8) for _ in range(2)],
        "steps": steps,
        "worksheet": {"fields": fields},
        "checklist": {"items": items, "bands": bands},
        "debrief": [_question(rng) for _ in range(3)],
        "facilitator_notes": _paragraph(rng, 2) + "\n" + _paragraph(rng, 2) + "\n",
        "variations": [{"name": "Remote", "description": _paragraph(rng, 2)}],
        "related": related,
    }


def exercise_files(count: int, seed: int = 7, names: list[str] = ()) -> dict[str, str]:
    """``count`` exercises as {file name: YAML text}; the same seed gives the same files.

    The first ones take the ids in ``names`` (those the hand-written pages link to).
    """
    rng = random.Random(seed)
    ids = [*names[:count], *(exercise_id(i) for i in range(len(names[:count]), count))]
    files = {}
    for index in range(count):
        data = exercise_data(index, ids, rng)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        files[f"{data['id']}.yaml"] = text
    return files


def handwritten_page(data: dict) -> str:
    """The same exercise as a person would write it by hand in plain Markdown: title,
    summary, purpose, numbered steps with their prompts, the worksheet's prompts as bold
    lines, the checklist as a task list and the bands as a list. The baseline that the
    benchmark holds our generated page against."""
    lines = [f"# {data['title']}", "", data["summary"], "", "## Why it matters", ""]
    lines += [data["purpose"], "## Steps", ""]
    for n, step in enumerate(data["steps"], 1):
        lines += [f"{n}. **{step['title']}** ({step['minutes']} min)", ""]
        lines += ["    " + part for part in step["instructions"].strip().splitlines()] + [""]
        lines += [f"    - {prompt}" for prompt in step.get("prompts", [])] + [""]
    lines += ["## Worksheet", ""]
    for field in data["worksheet"]["fields"]:
        lines += [f"**{field['label']}**", ""]
    lines += ["## Checklist", ""]
    lines += [
        f"- [ ] {item['text']} ({item.get('points', 1)})" for item in data["checklist"]["items"]
    ]
    lines += ["", "## Score", ""]
    lines += [
        f"- {band['min']}–{band['max']}: **{band['label']}**. {band['advice']}"
        for band in data["checklist"]["bands"]
    ]
    lines += ["", "## Debrief", ""] + [f"- {q}" for q in data["debrief"]]
    return "\n".join(lines) + "\n"


def handwritten_pages(count: int, seed: int = 7, names: list[str] = ()) -> dict[str, str]:
    """The exercises of ``exercise_files`` (same seed, same ids) as hand-written pages."""
    rng = random.Random(seed)
    ids = [*names[:count], *(exercise_id(i) for i in range(len(names[:count]), count))]
    return {f"{ids[i]}.md": handwritten_page(exercise_data(i, ids, rng)) for i in range(count)}
