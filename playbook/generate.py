"""Exercises → Markdown pages (exercise pages and catalog pages).

Nothing here imports MkDocs: the pages are plain Markdown with YAML front matter,
so any engine that reads a folder of Markdown can build them (``playbook generate``
writes them to disk; the MkDocs plugin hands them over in memory).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import is_
from pathlib import Path, PurePosixPath

import jinja2
import yaml
from markupsafe import Markup, escape

from .reference import (
    PUBLISHED_SCHEMA_PATH,
    REFERENCE_PATH,
    published_schema,
    reference_markdown,
)
from .render import slug_title
from .schema import AUDIENCE_LABELS, FORMAT_LABELS, Exercise

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

EXERCISES_DIR = "exercises"
THEMES_DIR = "themes"
AUDIENCES_DIR = "audiences"


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes (relative to the docs folder) and its text."""

    path: str
    content: str
    exercise_id: str | None = None


@dataclass
class RenderCache:
    """Rendered exercise pages and catalog cards, reused while the exercise and its
    context are unchanged.

    The loader hands back the very same Exercise object for an unchanged file, so
    identity (plus the titles of related exercises, which the page shows) is the key.
    What everything was rendered with (templates, site URL) is the caller's ``key``:
    see ``keep_for``.
    """

    pages: dict[str, tuple[Exercise, tuple, str]]
    cards: dict[str, dict[str, tuple[Exercise, Markup]]]  # by link prefix, then by id
    card_lists: dict[str, tuple[list[Exercise], Markup]]  # by page

    def __init__(self) -> None:
        self.pages = {}
        self.cards = {}
        self.card_lists = {}
        self.key: object = None
        self.hits = 0
        self.misses = 0

    def keep_for(self, key: object) -> None:
        """Forget everything rendered if it was rendered with another ``key`` (e.g. the
        templates' modification times: an edited template re-renders every page)."""
        if key != self.key:
            self.pages.clear()
            self.cards.clear()
            self.card_lists.clear()
            self.key = key


def exercise_path(exercise_id: str) -> str:
    return f"{EXERCISES_DIR}/{exercise_id}.md"


def generate_pages(
    exercises: Iterable[Exercise],
    env: jinja2.Environment,
    *,
    cache: RenderCache | None = None,
) -> list[Page]:
    exercises = sorted(exercises, key=lambda ex: ex.title.lower())
    by_id = {ex.id: ex for ex in exercises}
    pages = [_exercise_page(ex, by_id, env, cache) for ex in exercises]
    pages += _catalog_pages(exercises, env, cache)
    pages.append(Page(REFERENCE_PATH, reference_markdown()))
    pages.append(Page(PUBLISHED_SCHEMA_PATH, published_schema()))
    return pages


def _exercise_page(
    ex: Exercise, by_id: dict[str, Exercise], env: jinja2.Environment, cache: RenderCache | None
) -> Page:
    related = tuple((rid, by_id[rid].title) for rid in ex.related if rid in by_id)
    if cache is not None:
        hit = cache.pages.get(ex.id)
        if hit is not None and hit[0] is ex and hit[1] == related:
            cache.hits += 1
            return Page(exercise_path(ex.id), hit[2], ex.id)
        cache.misses += 1
    # MkDocs renders theme templates without autoescaping, so the values the theme
    # prints (<title>, meta description, nav) are escaped here, once.
    front = {
        "title": str(escape(ex.title)),
        "description": str(escape(ex.summary)),
        "tags": [slug_title(t) for t in ex.themes],
        "playbook_exercise": ex.id,
    }
    content = env.get_template("exercise.md.j2").render(
        ex=ex,
        front_matter=_front_matter(front),
        related=[{"id": rid, "title": title} for rid, title in related],
        themes_dir=f"../{THEMES_DIR}",
        audiences_dir=f"../{AUDIENCES_DIR}",
    )
    if cache is not None:
        cache.pages[ex.id] = (ex, related, content)
    return Page(exercise_path(ex.id), content, ex.id)


def _catalog_pages(
    exercises: list[Exercise], env: jinja2.Environment, cache: RenderCache | None = None
) -> list[Page]:
    by_theme: dict[str, list[Exercise]] = defaultdict(list)
    by_audience: dict[str, list[Exercise]] = defaultdict(list)
    for ex in exercises:
        for theme in ex.themes:
            by_theme[theme].append(ex)
        for audience in ex.audiences:
            by_audience[audience].append(ex)
    themes = sorted(by_theme)
    audiences = [a for a in AUDIENCE_LABELS if a in by_audience]

    all_cards = cache.cards if cache is not None else {}
    card_lists = cache.card_lists if cache is not None else {}

    def render(path: str, template: str, **context) -> Page:
        depth = len(PurePosixPath(path).parts) - 1
        up = "../" * depth

        def exercise_link(ex: Exercise) -> str:
            return f"{up}{exercise_path(ex.id)}"

        def card_list(exercises: list[Exercise]) -> Markup:
            """The exercises' cards; each is rendered once and reused on every page."""
            last = card_lists.get(path)
            if last and len(last[0]) == len(exercises) and all(map(is_, last[0], exercises)):
                return last[1]
            cards = all_cards.setdefault(up, {})
            texts = []
            for ex in exercises:
                hit = cards.get(ex.id)
                if hit is None or hit[0] is not ex:
                    card = env.get_template("_card.md.j2")
                    text = card.render(ex=ex, exercise_link=exercise_link)
                    hit = cards[ex.id] = (ex, Markup(text))
                texts.append(hit[1])
            card_lists[path] = (list(exercises), Markup("".join(texts)))
            return card_lists[path][1]

        text = env.get_template(template).render(
            exercise_link=exercise_link,
            card_list=card_list,
            theme_link=lambda t: f"{up}{THEMES_DIR}/{t}.md",
            audience_link=lambda a: f"{up}{AUDIENCES_DIR}/{a}.md",
            catalog_link=f"{up}{EXERCISES_DIR}/index.md",
            **context,
        )
        return Page(path, text)

    pages = [
        render(
            f"{EXERCISES_DIR}/index.md",
            "catalog.md.j2",
            exercises=exercises,
            themes=themes,
            audiences=audiences,
            **catalog_filters(exercises),
            front_matter=_front_matter({"title": "All exercises"}),
        ),
        render(
            f"{THEMES_DIR}/index.md",
            "groups.md.j2",
            kind="theme",
            groups=[(t, slug_title(t), by_theme[t]) for t in themes],
            front_matter=_front_matter({"title": "Exercises by theme"}),
        ),
        render(
            f"{AUDIENCES_DIR}/index.md",
            "groups.md.j2",
            kind="audience",
            groups=[(a, AUDIENCE_LABELS[a], by_audience[a]) for a in audiences],
            front_matter=_front_matter({"title": "Exercises by audience"}),
        ),
    ]
    for theme in themes:
        pages.append(
            render(
                f"{THEMES_DIR}/{theme}.md",
                "group.md.j2",
                heading=slug_title(theme),
                kind="theme",
                exercises=by_theme[theme],
                front_matter=_front_matter({"title": f"Theme: {slug_title(theme)}"}),
            )
        )
    for audience in audiences:
        label = AUDIENCE_LABELS[audience]
        pages.append(
            render(
                f"{AUDIENCES_DIR}/{audience}.md",
                "group.md.j2",
                heading=label,
                kind="audience",
                exercises=by_audience[audience],
                front_matter=_front_matter({"title": f"For {label.lower()}"}),
            )
        )
    return pages


TIME_LIMITS = (15, 30, 45, 60, 90, 120, 240)


def catalog_filters(exercises: list[Exercise]) -> dict:
    """Choices for the catalog's filters: the formats in use, and the time limits
    (minutes, how many exercises fit) that each narrow the list a little further."""
    used = {ex.format for ex in exercises}
    minutes = sorted(ex.minutes for ex in exercises)
    limits: list[tuple[int, int]] = []
    for limit in TIME_LIMITS:
        fitting = bisect.bisect_right(minutes, limit)
        if fitting and (not limits or fitting > limits[-1][1]) and fitting < len(minutes):
            limits.append((limit, fitting))
    return {"formats": [f for f in FORMAT_LABELS if f in used], "time_limits": limits}


def _front_matter(data: dict) -> Markup:
    # libyaml's emitter: the same text as yaml.safe_dump, six times faster.
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return Markup(f"---\n{text}---\n")


def write_pages(pages: Iterable[Page], out_dir: Path) -> list[Path]:
    """Write pages under ``out_dir`` (for engines other than MkDocs); returns the paths."""
    written = []
    for page in pages:
        target = out_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_text(encoding="utf-8") != page.content:
            target.write_text(page.content, encoding="utf-8")
        written.append(target)
    return written
