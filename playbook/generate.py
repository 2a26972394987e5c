"""Exercises → Markdown pages (exercise pages, catalog pages, reference pages) and the
small files other steps read (the redirect pages of old addresses, a manifest).

Nothing here imports MkDocs: the pages are plain Markdown with YAML front matter,
so any engine that reads a folder of Markdown can build them (``playbook generate``
writes them to disk; the MkDocs plugin hands them over in memory).
"""

from __future__ import annotations

import bisect
import json
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import is_
from pathlib import Path, PurePosixPath

import jinja2
import yaml
from markupsafe import Markup, escape

from .config import Settings
from .reference import reference_pages
from .render import Blocks
from .rules import band_needs_follow_up
from .schema import Exercise, Pathway

PACKAGE_TEMPLATES = (Path(__file__).parent / "templates").resolve()

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

EXERCISES_DIR = "exercises"
THEMES_DIR = "themes"
AUDIENCES_DIR = "audiences"
PATHWAYS_DIR = "pathways"
LEVELS_PATH = "levels.md"
# What later steps (playbook pdf) read instead of the built HTML: one entry a page.
MANIFEST_PATH = "playbook-manifest.json"
# What the planner page reads: the exercises' times, group sizes and words, small.
PLANNER_DATA_PATH = "assets/playbook/planner.json"
PLANNER_PATH = "plan.md"
MY_WORKSHEETS_PATH = "my-worksheets.md"


@dataclass(frozen=True)
class Page:
    """One generated page: where it goes (relative to the docs folder) and its text."""

    path: str
    content: str
    exercise_id: str | None = None
    in_nav: bool = False
    # The key of the file it is made from, in the sources the plugin knows (edit links).
    source: str | None = None
    # Finished HTML the content stands in for with tokens (``render.Blocks``): only
    # when pages are made for the plugin; ``playbook generate`` writes them inline.
    blocks: Blocks | None = None

    @property
    def source_key(self) -> str | None:
        return self.source or self.exercise_id


@dataclass
class RenderCache:
    """Rendered exercise pages and catalog cards, reused while the exercise and its
    context are unchanged.

    The loader hands back the very same Exercise object for an unchanged file, so
    identity (plus the titles of related exercises, which the page shows) is the key.
    What everything was rendered with (templates, site URL) is the caller's ``key``:
    see ``keep_for``.
    """

    pages: dict[str, tuple[Exercise, tuple, str, Blocks | None]] = field(default_factory=dict)
    cards: dict[str, dict[str, tuple[Exercise, Markup]]] = field(default_factory=dict)
    card_lists: dict[str, tuple[list[Exercise], Markup, list]] = field(default_factory=dict)
    # Files made from every exercise (manifest, planner data): name → (exercises,
    # pathways, use_directory_urls, text), reused while all of them are the same.
    whole: dict[str, tuple[list[Exercise], list[Pathway], bool, str]] = field(default_factory=dict)
    json_parts: dict[tuple, tuple[Exercise, str]] = field(default_factory=dict)
    key: object = None
    hits: int = 0
    misses: int = 0

    def keep_for(self, key: object) -> None:
        """Forget everything rendered if it was rendered with another ``key`` (e.g. the
        templates' modification times: an edited template re-renders every page)."""
        if key != self.key:
            self.pages.clear()
            self.cards.clear()
            self.card_lists.clear()
            self.whole.clear()
            self.json_parts.clear()
            self.key = key

    def made_from_all(
        self, name: str, exercises: list[Exercise], pathways: list[Pathway], urls: bool, make
    ) -> str:
        """``make()`` again only when an exercise (by identity: the loader hands back the
        same object for an unchanged file), a pathway or the address style changed."""
        last = self.whole.get(name)
        if (
            last is not None
            and last[2] == urls
            and len(last[0]) == len(exercises)
            and all(map(is_, last[0], exercises))
            and last[1] == pathways
        ):
            return last[3]
        text = make()
        self.whole[name] = (list(exercises), list(pathways), urls, text)
        return text


def exercise_path(exercise_id: str) -> str:
    """The one place that says where an exercise's page is (relative to the docs)."""
    return f"{EXERCISES_DIR}/{exercise_id}.md"


def page_url(path: str, use_directory_urls: bool = True) -> str:
    """The address of a generated page (``themes/listening.md``), relative to the root."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative_href(source: str, target: str, use_directory_urls: bool = True) -> str:
    """The address of the page ``target`` (``themes/x.md``) as a link written in the page
    ``source``: what MkDocs would make of a Markdown link, for links written as HTML."""
    here = posixpath.dirname(page_url(source, use_directory_urls))
    url = page_url(target, use_directory_urls)
    relative = posixpath.relpath(url or ".", here or ".")
    if relative == ".":
        relative = "./"
    return relative + "/" if url.endswith("/") and not relative.endswith("/") else relative


def exercise_url(exercise_id: str, use_directory_urls: bool = True) -> str:
    """The address of an exercise's page, relative to the site's root."""
    if use_directory_urls:
        return f"{EXERCISES_DIR}/{exercise_id}/"
    return f"{EXERCISES_DIR}/{exercise_id}.html"


def generate_pages(
    exercises: Iterable[Exercise],
    env: jinja2.Environment,
    *,
    cache: RenderCache | None = None,
    use_directory_urls: bool = True,
    pathways: Iterable[Pathway] = (),
    blocks: bool = False,
) -> list[Page]:
    """Every generated page. With ``blocks`` (the plugin), the finished HTML of exercise
    and catalog pages stands in their Markdown as tokens, and each page carries its
    ``Blocks`` to put back after Markdown; without (``playbook generate``), the pages
    are complete Markdown files."""
    settings: Settings = env.globals["playbook"]
    exercises = sorted(exercises, key=lambda ex: ex.title.lower())
    pathways = list(pathways)
    by_id = {ex.id: ex for ex in exercises}
    pages = [_exercise_page(ex, by_id, env, cache, blocks) for ex in exercises]
    pages += _catalog_pages(exercises, env, settings, cache, pathways, blocks)
    pages += _pathway_pages(pathways, by_id, env)
    if settings.config.difficulties:
        pages.append(_levels_page(env))
    pages += [Page(path, text) for path, text in reference_pages(settings)]
    pages += _redirect_pages(exercises, use_directory_urls)
    made = cache.made_from_all if cache is not None else _make_now
    memo = cache.json_parts if cache is not None else None
    pages.append(
        Page(
            MANIFEST_PATH,
            made(
                MANIFEST_PATH,
                exercises,
                pathways,
                use_directory_urls,
                lambda: manifest(exercises, pathways, use_directory_urls, memo),
            ),
        )
    )
    pages.append(
        Page(
            PLANNER_DATA_PATH,
            made(
                PLANNER_DATA_PATH,
                exercises,
                pathways,
                use_directory_urls,
                lambda: planner_data(exercises, pathways, settings, use_directory_urls, memo),
            ),
        )
    )
    pages.append(_planner_page(env, use_directory_urls))
    pages.append(_my_worksheets_page(env))
    return pages


def _make_now(name, exercises, pathways, urls, make) -> str:
    return make()


def _exercise_page(
    ex: Exercise,
    by_id: dict[str, Exercise],
    env: jinja2.Environment,
    cache: RenderCache | None,
    blocks: bool = False,
) -> Page:
    related = tuple((rid, by_id[rid].title) for rid in ex.related if rid in by_id)
    if cache is not None:
        hit = cache.pages.get(ex.id)
        if hit is not None and hit[0] is ex and hit[1] == related and (hit[3] is None) != blocks:
            cache.hits += 1
            return Page(exercise_path(ex.id), hit[2], ex.id, blocks=hit[3])
        cache.misses += 1
    settings: Settings = env.globals["playbook"]
    # MkDocs renders theme templates without autoescaping, so the values the theme
    # prints (<title>, meta description, nav) are escaped here, once.
    front = {
        "title": str(escape(ex.title)),
        "description": str(escape(ex.summary)),
        "tags": [settings.theme_label(t) for t in ex.themes],
        "playbook_exercise": ex.id,
    }
    stash = Blocks() if blocks else None
    content = env.get_template("exercise.md.j2").render(
        ex=ex,
        blocks=stash,
        front_matter=_front_matter(front),
        related=[{"id": rid, "title": title} for rid, title in related],
        themes_dir=f"../{THEMES_DIR}",
        audiences_dir=f"../{AUDIENCES_DIR}",
        levels_link=f"../{LEVELS_PATH}",
        href=lambda target: relative_href(
            exercise_path(ex.id), target, env.globals.get("use_directory_urls", True)
        ),
        exercise_page=exercise_path,
        themes_dir_path=THEMES_DIR,
        audiences_dir_path=AUDIENCES_DIR,
        levels_page=LEVELS_PATH,
        people=settings.people(ex),
        needs_follow_up=band_needs_follow_up(ex) if ex.checklist else [],
    )
    if cache is not None:
        cache.pages[ex.id] = (ex, related, content, stash)
    return Page(exercise_path(ex.id), content, ex.id, blocks=stash)


class _Catalog:
    """Renders the catalog pages, each card once and reused on every page."""

    def __init__(
        self,
        env: jinja2.Environment,
        cache: RenderCache | None,
        pathways: list[Pathway] = (),
        blocks: bool = False,
    ) -> None:
        self.env = env
        self.blocks = blocks
        self.on_pathways: dict[str, tuple[str, ...]] = defaultdict(tuple)
        for pathway in pathways:
            for step in pathway.steps:
                if pathway.id not in self.on_pathways[step.exercise]:
                    self.on_pathways[step.exercise] += (pathway.id,)
        self.cards = cache.cards if cache is not None else {}
        # The package's card is plain HTML; a site's own card (written before, in Markdown
        # with `exercise_link`) is read as Markdown, as it was.
        card = env.get_template("_card.md.j2").filename or ""
        self.cards_in_markdown = not Path(card).resolve().is_relative_to(PACKAGE_TEMPLATES)
        self.card_lists = cache.card_lists if cache is not None else {}

    def render(self, path: str, template: str, **context) -> Page:
        up = "../" * (len(PurePosixPath(path).parts) - 1)

        def exercise_link(ex: Exercise) -> str:
            return f"{up}{exercise_path(ex.id)}"

        here = posixpath.dirname(page_url(path, self.env.globals.get("use_directory_urls", True)))

        def exercise_href(ex: Exercise) -> str:
            """The exercise page's address relative to this page, for raw HTML."""
            url = exercise_url(ex.id, self.env.globals.get("use_directory_urls", True))
            relative = posixpath.relpath(url, here or ".")
            return relative + "/" if url.endswith("/") else relative

        stash = Blocks() if self.blocks else None
        text = self.env.get_template(template).render(
            blocks=stash,
            exercise_link=exercise_link,
            card_list=lambda exercises: self._card_list(
                path, here, exercise_href, exercise_link, exercises
            ),
            cards_in_markdown=self.cards_in_markdown,
            theme_link=lambda t: f"{up}{THEMES_DIR}/{t}.md",
            audience_link=lambda a: f"{up}{AUDIENCES_DIR}/{a}.md",
            catalog_link=f"{up}{EXERCISES_DIR}/index.md",
            levels_link=f"{up}{LEVELS_PATH}",
            **context,
        )
        return Page(path, text, in_nav=path.endswith("/index.md"), blocks=stash)

    def _card_list(
        self,
        path: str,
        here: str,
        href: Callable[[Exercise], str],
        link: Callable[[Exercise], str],
        exercises: list[Exercise],
    ) -> Markup:
        """The cards of ``exercises`` for a page in the folder ``here`` (their links are
        relative to it), each rendered once per folder and reused."""
        last = self.card_lists.get(path)
        pathways = [self.on_pathways[ex.id] for ex in exercises]
        if (
            last
            and len(last[0]) == len(exercises)
            and all(map(is_, last[0], exercises))
            and last[2] == pathways
        ):
            return last[1]
        # A card differs between pages only by its link, which depends only on where
        # the exercises' folder is from the page: one rendering serves every theme and
        # audience page.
        cards = self.cards.setdefault(posixpath.relpath(EXERCISES_DIR, here or "."), {})
        settings = self.env.globals["playbook"]
        texts = []
        for ex in exercises:
            hit = cards.get(ex.id)
            on = self.on_pathways[ex.id]
            if hit is None or hit[0] is not ex or hit[1] != on:
                card = self.env.get_template("_card.md.j2")
                text = card.render(
                    ex=ex,
                    exercise_href=href,
                    exercise_link=link,
                    people=settings.people(ex),
                    pathways=on,
                )
                hit = cards[ex.id] = (ex, on, Markup(text))
            texts.append(hit[2])
        self.card_lists[path] = (list(exercises), Markup("".join(texts)), pathways)
        return self.card_lists[path][1]


def _catalog_pages(
    exercises: list[Exercise],
    env: jinja2.Environment,
    settings: Settings,
    cache: RenderCache | None = None,
    pathways: list[Pathway] = (),
    blocks: bool = False,
) -> list[Page]:
    by_theme: dict[str, list[Exercise]] = defaultdict(list)
    by_audience: dict[str, list[Exercise]] = defaultdict(list)
    for ex in exercises:
        for theme in ex.themes:
            by_theme[theme].append(ex)
        for audience in ex.audiences:
            by_audience[audience].append(ex)
    themes = sorted(by_theme)
    audiences = [a for a in settings.audiences if a in by_audience]
    catalog = _Catalog(env, cache, pathways, blocks)
    pages = [
        catalog.render(
            f"{EXERCISES_DIR}/index.md",
            "catalog.md.j2",
            exercises=exercises,
            themes=themes,
            audiences=audiences,
            **catalog_filters(exercises, settings, pathways),
            front_matter=_front_matter({"title": f"All {settings.config.words.exercises}"}),
        ),
        _group_index(catalog, THEMES_DIR, "theme", themes, by_theme, settings.theme_label),
        _group_index(
            catalog,
            AUDIENCES_DIR,
            "audience",
            audiences,
            by_audience,
            lambda a: settings.audiences[a].label,
        ),
    ]
    for theme in themes:
        label = settings.theme_label(theme)
        pages.append(
            _group(catalog, THEMES_DIR, theme, "theme", label, by_theme, f"Theme: {label}")
        )
    for audience in audiences:
        label = settings.audiences[audience].label
        title = f"For {label[:1].lower() + label[1:]}"
        pages.append(
            _group(catalog, AUDIENCES_DIR, audience, "audience", label, by_audience, title)
        )
    return pages


def _group_index(catalog, folder, kind, slugs, groups, label) -> Page:
    return catalog.render(
        f"{folder}/index.md",
        "groups.md.j2",
        kind=kind,
        groups=[(s, label(s), groups[s]) for s in slugs],
        front_matter=_front_matter({"title": f"By {kind}"}),
    )


def _group(catalog, folder, slug, kind, label, groups, title) -> Page:
    return catalog.render(
        f"{folder}/{slug}.md",
        "group.md.j2",
        heading=label,
        kind=kind,
        exercises=groups[slug],
        front_matter=_front_matter({"title": title}),
    )


@dataclass(frozen=True)
class PathwayStop:
    """One step of a pathway with its exercise and the minutes it brings."""

    number: int
    step: object  # schema.PathwayStep
    exercise: Exercise
    prep: int
    session_low: int
    session_high: int
    follow_up: int

    @property
    def low(self) -> int:
        return self.step.times * (self.prep + self.session_low + self.follow_up)

    @property
    def high(self) -> int:
        return self.step.times * (self.prep + self.session_high + self.follow_up)


def pathway_stops(pathway: Pathway, by_id: dict[str, Exercise]) -> list[PathwayStop]:
    """The pathway's steps with the time each brings: prep, session and follow-up
    minutes of its exercise, times the number of runs (a session that varies counts 0)."""
    stops = []
    for number, step in enumerate(pathway.steps, 1):
        ex = by_id[step.exercise]
        minutes = ex.session.minutes
        stops.append(
            PathwayStop(
                number,
                step,
                ex,
                (ex.prep.minutes or 0) if ex.prep else 0,
                minutes.low or 0,
                minutes.high or 0,
                (ex.follow_up.minutes or 0) if ex.follow_up else 0,
            )
        )
    return stops


def hours(minutes: int) -> str:
    """``270`` → ``4.5``; whole hours without a decimal."""
    value = round(minutes / 60, 1)
    return f"{value:g}"


def _pathway_pages(
    pathways: list[Pathway], by_id: dict[str, Exercise], env: jinja2.Environment
) -> list[Page]:
    if not pathways:
        return []
    summaries = []
    pages = []
    for pathway in pathways:
        stops = pathway_stops(pathway, by_id)
        low, high = sum(s.low for s in stops), sum(s.high for s in stops)
        summaries.append((pathway, low, high))
        text = env.get_template("pathway.md.j2").render(
            pathway=pathway,
            stops=stops,
            low=low,
            high=high,
            hours=hours,
            front_matter=_front_matter(
                {"title": str(escape(pathway.title)), "description": str(escape(pathway.summary))}
            ),
        )
        pages.append(Page(f"{PATHWAYS_DIR}/{pathway.id}.md", text, source=f"pathway:{pathway.id}"))
    index = env.get_template("pathways.md.j2").render(
        summaries=summaries, hours=hours, front_matter=_front_matter({"title": "Pathways"})
    )
    return [Page(f"{PATHWAYS_DIR}/index.md", index), *pages]


def planner_data(
    exercises: list[Exercise],
    pathways: list[Pathway],
    settings: Settings,
    use_directory_urls: bool,
    memo: dict | None = None,
) -> str:
    """The planner's data as compact JSON: per exercise only what a plan needs (id, title,
    address relative to the site's root, formats, audiences, themes, difficulty, people,
    session minutes low/high (null when it varies), prep and follow-up), the playbook's
    words, and the pathways' exercises in order."""

    def item(ex: Exercise) -> dict:
        low, high = settings.people(ex)
        return {
            **_listing(ex, use_directory_urls),
            "themes": ex.themes,
            "difficulty": ex.difficulty,
            "people": [low, high],
            "session": [ex.session.minutes.low, ex.session.minutes.high],
            "prep": ex.prep.minutes if ex.prep else None,
            "followUp": (
                [ex.follow_up.minutes, ex.follow_up.within_days] if ex.follow_up else None
            ),
            "steps": [s.minutes for s in ex.steps],
        }

    words = {
        "audiences": {k: v.label for k, v in settings.audiences.items()},
        "formats": {k: v.label for k, v in settings.formats.items()},
        "difficulties": {k: v.label for k, v in settings.difficulties.items()},
        "themes": {
            t: settings.theme_label(t) for t in sorted({t for e in exercises for t in e.themes})
        },
    }
    paths = [
        {"id": p.id, "title": p.title, "exercises": [s.exercise for s in p.steps]} for p in pathways
    ]
    # Head-counts of each format, so a plan can say which format a group size makes.
    format_people = {k: [v.people.min, v.people.max] for k, v in settings.formats.items()}
    data = {"words": words, "pathways": paths, "formatPeople": format_people}
    items = _json_list(exercises, item, memo, ("planner", use_directory_urls, id(settings)))
    return f'{{"version":1,"exercises":{items},{_compact(data)[1:]}\n'


def _listing(ex: Exercise, use_directory_urls: bool) -> dict:
    """What every list of exercises in the site's data files starts with."""
    return {
        "id": ex.id,
        "title": ex.title,
        "url": exercise_url(ex.id, use_directory_urls),
        "formats": list(ex.formats),
        "audiences": ex.audiences,
    }


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _json_list(exercises: list[Exercise], item, memo: dict | None, kind: tuple) -> str:
    """``[item(ex), …]`` as compact JSON, each exercise's part encoded once while the
    exercise is the same object (the loader's cache keeps an unchanged file's)."""
    parts = []
    for ex in exercises:
        key = (kind, ex.id)
        hit = memo.get(key) if memo is not None else None
        if hit is None or hit[0] is not ex:
            hit = (ex, _compact(item(ex)))
            if memo is not None:
                memo[key] = hit
        parts.append(hit[1])
    return "[" + ",".join(parts) + "]"


def _planner_page(env: jinja2.Environment, use_directory_urls: bool) -> Page:
    up = "../" if use_directory_urls else ""  # the page is plan/ or plan.html
    text = env.get_template("planner.md.j2").render(
        front_matter=_front_matter({"title": "Plan a session"}),
        data_url=f"{up}{PLANNER_DATA_PATH}",
    )
    return Page(PLANNER_PATH, text)


def _my_worksheets_page(env: jinja2.Environment) -> Page:
    text = env.get_template("my_worksheets.md.j2").render(
        front_matter=_front_matter({"title": "My worksheets"})
    )
    return Page(MY_WORKSHEETS_PATH, text)


def _levels_page(env: jinja2.Environment) -> Page:
    text = env.get_template("levels.md.j2").render(
        front_matter=_front_matter({"title": "Difficulty levels"})
    )
    return Page(LEVELS_PATH, text)


TIME_LIMITS = (5, 10, 15, 30, 45, 60, 90, 120, 240, 480)
GROUP_SIZES = (1, 2, 3, 4, 6, 8, 12, 20)


def catalog_filters(
    exercises: list[Exercise], settings: Settings, pathways: list[Pathway] = ()
) -> dict:
    """Choices for the catalog's filters: the formats and levels in use, the time limits
    (minutes, how many exercises fit) that each narrow the list a little further, the
    session-length bands (``(low, high, label)``, high None for the last) that hold some
    exercise, the group sizes some exercise fits and the pathways."""
    used = {f for ex in exercises for f in ex.formats}
    levels = {ex.difficulty for ex in exercises}
    minutes = sorted(ex.session.minutes.low for ex in exercises if not ex.session.minutes.varies)
    limits: list[tuple[int, int]] = []
    for limit in TIME_LIMITS:
        fitting = bisect.bisect_right(minutes, limit)
        if fitting and (not limits or fitting > limits[-1][1]) and fitting < len(exercises):
            limits.append((limit, fitting))
    ranges = [settings.people(ex) for ex in exercises]
    sizes = [n for n in GROUP_SIZES if any(low <= n <= high for low, high in ranges)]
    return {
        "formats": [f for f in settings.formats if f in used],
        "difficulties": [d for d in settings.difficulties if d in levels],
        "time_limits": limits,
        "length_bands": length_bands(minutes, settings.config.length_bands),
        "group_sizes": sizes if len(sizes) > 1 else [],
        "pathways": list(pathways),
    }


def length_bands(minutes: list[int], ends: list[int]) -> list[tuple[int, int | None, str]]:
    """The bands ``ends`` cut session lengths into, keeping those some exercise is in:
    [15, 45] gives "15 minutes or less", "16–45 minutes" and "46 minutes or more"."""
    bands: list[tuple[int, int | None, str]] = []
    low = 0
    for end in [*ends, None]:
        if end is None:
            label = f"{low} minutes or more"
        elif low == 0:
            label = f"{end} minutes or less"
        else:
            label = f"{low}–{end} minutes"
        if any(low <= m and (end is None or m <= end) for m in minutes):
            bands.append((low, end, label))
        low = (end or 0) + 1
    return bands if len(bands) > 1 else []


def _redirect_pages(exercises: list[Exercise], use_directory_urls: bool) -> list[Page]:
    """A small page at each old address (``aliases``) that sends the reader on."""
    env = _redirect_env()
    pages = []
    for ex in exercises:
        target = exercise_url(ex.id, use_directory_urls)
        for alias in ex.aliases:
            path = alias if alias.endswith(".html") else f"{alias}index.html"
            here = posixpath.dirname(path) or "."
            url = posixpath.relpath(target, here) + ("/" if target.endswith("/") else "")
            pages.append(Page(path, env.render(url=url, title=ex.title)))
    return pages


def _redirect_env() -> jinja2.Template:
    return jinja2.Environment(autoescape=True).from_string(
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>{{ title }}</title>\n"
        '<link rel="canonical" href="{{ url }}">\n'
        '<meta http-equiv="refresh" content="0; url={{ url }}">\n'
        '<meta name="robots" content="noindex">\n</head>\n<body>\n'
        '<p>This page has moved to <a href="{{ url }}">{{ title }}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def manifest(
    exercises: list[Exercise],
    pathways: list[Pathway],
    use_directory_urls: bool,
    memo: dict | None = None,
) -> str:
    """What later steps (playbook pdf) need to know about the pages, as JSON: each
    exercise page, and each pathway with its exercises in order (a pack to print)."""

    def entry(ex: Exercise) -> dict:
        return {**_listing(ex, use_directory_urls), "worksheet": ex.worksheet is not None}

    packs = [
        {
            "id": p.id,
            "title": p.title,
            "url": f"{PATHWAYS_DIR}/{p.id}/"
            if use_directory_urls
            else f"{PATHWAYS_DIR}/{p.id}.html",
            "exercises": list(dict.fromkeys(step.exercise for step in p.steps)),
        }
        for p in pathways
    ]
    entries = _json_list(exercises, entry, memo, ("manifest", use_directory_urls))
    return f'{{"version":1,"exercises":{entries},"packs":{_compact(packs)}}}\n'


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
