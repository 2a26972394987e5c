"""Rules the schema's types cannot express: within one exercise, across the files of a
playbook, and within a playbook's configuration.

Each rule yields ``(location, message, hint)``, the location a pydantic-style path
(``("steps", 2, "minutes")``) that the loader turns into a line and column; a rule about
a place inside a text adds its offset there: ``(location, message, hint, offset)``.
"""

from __future__ import annotations

import functools
import itertools
import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import AfterValidator, BaseModel

from . import messages
from .schema import Exercise, _check_prose, is_model, split_annotated

if TYPE_CHECKING:
    from .config import PlaybookConfig, Settings

Found = tuple  # (loc, message, hint) or (loc, message, hint, offset)

# Names that scripts in the browser find on every object (Object.prototype): an id that
# is one of them would read or overwrite those instead of the stored answers. Only the
# names that are valid ids (lowercase letters, digits and hyphens) need listing.
SCRIPT_RESERVED_IDS = frozenset({"constructor"})
# Ids a playbook's own pages use.
RESERVED_IDS = frozenset({"index"})

# What `require:` names, and where each part lives in an exercise file.
REQUIRED_PARTS = {
    "idea": ("idea", "the idea it trains and where it comes from"),
    "difficulty": ("difficulty", "a difficulty level"),
    "people": ("people", "how many people it fits"),
    "use-when": ("use_when", "when to use it"),
    "not-when": ("not_when", "when not to use it"),
    "worksheet": ("worksheet", "a worksheet"),
    "checklist": ("checklist", "a self-scoring checklist"),
    "debrief": ("debrief", "debrief questions"),
}


def exercise_rules(ex: Exercise, settings: Settings) -> Iterator[Found]:
    """Every rule within one exercise."""
    yield from _ids(ex)
    yield from _required_parts(ex, settings)
    yield from _repeats(ex)
    yield from _time(ex)
    yield from _people(ex, settings)
    if ex.checklist is not None:
        yield from _follow_up_items(ex)
        yield from _band_rules(ex)
    yield from _sections(ex, settings)
    yield from _aliases(ex)
    if ex.worked_example is not None:
        yield from _worked_example(ex)


def _ids(ex: Exercise) -> Iterator[Found]:
    if ex.worksheet is not None:
        yield from _unique(ex.worksheet.fields, ("worksheet", "fields"), "field")
    if ex.checklist is not None:
        yield from _unique(ex.checklist.items, ("checklist", "items"), "checklist item")
    if ex.id in RESERVED_IDS:
        yield ("id",), f"'{ex.id}' is reserved for the catalog page", "choose another id"
    if reserved := _script_reserved(ex.id):
        yield ("id",), *reserved
    # Field and item ids key the answers a browser stores, as exercise ids key exercises.
    for loc, things in (
        (("worksheet", "fields"), ex.worksheet.fields if ex.worksheet else []),
        (("checklist", "items"), ex.checklist.items if ex.checklist else []),
    ):
        for index, thing in enumerate(things):
            if reserved := _script_reserved(thing.id):
                yield (*loc, index, "id"), *reserved
    for index, theme in enumerate(ex.themes):
        if theme in RESERVED_IDS:
            yield (
                ("themes", index),
                f"'{theme}' is reserved for the list of themes",
                "choose another theme",
            )


def _script_reserved(value: str) -> tuple[str, str] | None:
    if value in SCRIPT_RESERVED_IDS:
        return f"'{value}' is a name browsers' scripts reserve", "choose another id"
    return None


def _unique(things: list, loc: tuple, noun: str) -> Iterator[Found]:
    seen: dict[str, int] = {}
    for index, thing in enumerate(things):
        if thing.id in seen:
            yield (
                (*loc, index, "id"),
                f"{noun} id '{thing.id}' is already used by {noun} {seen[thing.id] + 1}",
                "give every one a different id",
            )
        seen.setdefault(thing.id, index)


def _required_parts(ex: Exercise, settings: Settings) -> Iterator[Found]:
    for part in settings.config.require:
        if part == "step-minutes":
            for index, step in enumerate(ex.steps):
                if step.minutes is None:
                    yield (
                        ("steps", index),
                        "this step has no 'minutes'; this playbook times every step",
                        "add 'minutes:' with the minutes the step takes",
                    )
            continue
        key, what = REQUIRED_PARTS[part]
        if getattr(ex, key) in (None, [], {}):
            yield (
                (),
                f"required key '{key}' is missing: this playbook asks every exercise for {what}",
                f"add '{key}:' (playbook.yml lists it under 'require'); "
                "'playbook new' writes a complete example",
            )


def _repeats(ex: Exercise) -> Iterator[Found]:
    for name in ("audiences", "themes", "related", "aliases"):
        seen: set[str] = set()
        for index, value in enumerate(getattr(ex, name)):
            if value in seen:
                yield (name, index), f"'{value}' is listed twice", "remove the repeat"
            seen.add(value)
    if isinstance(ex.format, list):
        seen = set()
        for index, value in enumerate(ex.format):
            if value in seen:
                yield ("format", index), f"'{value}' is listed twice", "remove the repeat"
            seen.add(value)


def _time(ex: Exercise) -> Iterator[Found]:
    """The session's minutes are what its steps take."""
    minutes = ex.session.minutes
    if minutes.varies:
        if ex.session.note is None:
            yield (
                ("session", "minutes"),
                "the time 'varies', but not why",
                "add 'note:' under 'session' saying what it depends on",
            )
        return
    timed = [step.minutes for step in ex.steps if step.minutes is not None]
    if not timed:
        return
    if len(timed) != len(ex.steps):
        index = next(i for i, s in enumerate(ex.steps) if s.minutes is None)
        yield (
            ("steps", index),
            "some steps have minutes and this one has none",
            "give every step its minutes, or none of them",
        )
        return
    total = sum(timed)
    assert minutes.low is not None and minutes.high is not None
    if minutes.exact and total != minutes.low:
        yield (
            ("session", "minutes"),
            f"the steps add up to {total} minutes, but the session is given as {minutes.low}",
            f"set 'minutes: {total}', or change the steps' minutes; what happens before "
            "or after the session belongs in 'prep' or 'follow_up'",
        )
    elif not minutes.exact and not minutes.low <= total <= minutes.high:
        yield (
            ("session", "minutes"),
            f"the steps add up to {total} minutes, outside the range given ({minutes.text()})",
            "change the range so that it holds the steps' total, or the steps' minutes",
        )


def _people(ex: Exercise, settings: Settings) -> Iterator[Found]:
    if ex.people is None:
        return
    low, high = ex.people.min, ex.people.max
    if low > high:
        yield (
            ("people", "min"),
            f"the fewest people ({low}) is more than the most ({high})",
            "swap min and max",
        )
        return
    formats = [settings.formats[f] for f in ex.formats if f in settings.formats]
    if not formats:
        return
    floor = min(f.people.min for f in formats)
    ceiling = max(f.people.max for f in formats)
    if low < floor or high > ceiling:
        names = ", ".join(f.id for f in formats)
        yield (
            ("people",),
            f"{low} to {high} people is outside what the format allows ({names}: "
            f"{floor} to {ceiling})",
            "change the numbers, or choose another format",
        )
    odd_possible = any(n % 2 for n in range(low, high + 1))
    if any(f.in_pairs for f in formats) and odd_possible and ex.people.odd is None:
        yield (
            ("people",),
            "people work in pairs here, and the numbers allow an odd one out",
            "add 'odd:' under 'people' saying what the odd person does (e.g. a group of "
            "three with an observer)",
        )


def _follow_up_items(ex: Exercise) -> Iterator[Found]:
    assert ex.checklist is not None
    if ex.follow_up is None:
        for index, item in enumerate(ex.checklist.items):
            if item.when == "follow-up":
                yield (
                    ("checklist", "items", index, "when"),
                    "this item is ticked at the follow-up, but the exercise has no 'follow_up'",
                    "add 'follow_up:' saying what to do afterwards and by when",
                )
                return


def _band_rules(ex: Exercise) -> Iterator[Found]:
    assert ex.checklist is not None
    bands = ex.checklist.bands
    top = ex.checklist.max_score
    expected = 0
    for index, band in enumerate(bands):
        loc = ("checklist", "bands", index)
        if band.min > band.max:
            yield (
                (*loc, "min"),
                f"this band starts at {band.min} but ends at {band.max}",
                "swap min and max",
            )
            return
        if band.min != expected:
            if band.min > expected:
                message = f"no band covers the scores {expected} to {band.min - 1}"
                if band.min - 1 == expected:
                    message = f"no band covers the score {expected}"
            else:
                message = f"this band overlaps the one before it (scores {band.min} to {expected - 1} are in both)"
            yield (*loc, "min"), message, f"set 'min: {expected}' here, or change the band before"
            return
        expected = band.max + 1
    if expected - 1 != top:
        last = len(bands) - 1
        if expected - 1 < top:
            message = f"the bands stop at {expected - 1} but the checklist's maximum score is {top}"
        else:
            message = (
                f"the bands go up to {expected - 1} but the checklist's maximum score is {top}"
            )
        yield ("checklist", "bands", last, "max"), message, f"set 'max: {top}' on the last band"
        return
    totals = ex.checklist.reachable_totals()
    for index, band in enumerate(bands):
        if not any(band.min <= t <= band.max for t in totals):
            yield (
                ("checklist", "bands", index),
                f"no combination of the items' points adds up to {_scores(band)}, so "
                "nobody can land in this band",
                "merge it with a neighbouring band, or change the items' points",
            )


def _scores(band: Any) -> str:
    return f"{band.min}" if band.min == band.max else f"a score from {band.min} to {band.max}"


def band_needs_follow_up(ex: Exercise) -> list[bool]:
    """For each band: whether it can only be reached with the follow-up's items."""
    assert ex.checklist is not None
    now = ex.checklist.reachable_totals(("session",))
    return [not any(b.min <= t <= b.max for t in now) for b in ex.checklist.bands]


def _sections(ex: Exercise, settings: Settings) -> Iterator[Found]:
    names = [s.id for s in settings.config.sections]
    for name in ex.sections:
        if name not in names:
            hint = messages.did_you_mean(name, names) or (
                f"this playbook's sections are: {', '.join(names)}"
                if names
                else "this playbook defines no sections (playbook.yml: sections)"
            )
            yield ("sections", name), f"unknown section '{name}'", hint


def _aliases(ex: Exercise) -> Iterator[Found]:
    for index, alias in enumerate(ex.aliases):
        first = alias.split("/", 1)[0]
        if first in ("assets", "search", "pdf", "schema"):
            yield (
                ("aliases", index),
                f"'{alias}' is inside a folder the site uses itself ({first}/)",
                "an alias is an old address of this exercise: choose one outside that folder",
            )


def _worked_example(ex: Exercise) -> Iterator[Found]:
    """Each answer names a field of the worksheet and has that field's shape."""
    assert ex.worked_example is not None
    fields = {f.id: f for f in ex.worksheet.fields} if ex.worksheet else {}
    if not fields:
        yield (
            ("worked_example",),
            "a worked example needs a worksheet to fill in",
            "add a worksheet, or remove the example",
        )
        return
    for key, answer in ex.worked_example.answers.items():
        loc = ("worked_example", "answers", key)
        field = fields.get(key)
        if field is None:
            yield (
                loc,
                f"the worksheet has no field '{key}'",
                (messages.did_you_mean(key, list(fields)) or f"use one of: {', '.join(fields)}"),
            )
            continue
        if problem := _answer_problem(field, answer):
            yield loc, *problem


def _answer_problem(field: Any, answer: Any) -> tuple[str, str] | None:
    kind = field.type
    if kind in ("short", "long"):
        if not isinstance(answer, str):
            return f"'{field.id}' is a {kind} answer: expected text", "write the answer as text"
    elif kind == "rating":
        if not isinstance(answer, int) or not 1 <= answer <= 5:
            return f"'{field.id}' is a rating: expected a number from 1 to 5", "write 1 to 5"
    elif kind == "list":
        if not isinstance(answer, list) or not all(isinstance(a, str) for a in answer):
            return (
                f"'{field.id}' is a list: expected a list of texts",
                "write each item as '- text'",
            )
        if len(answer) > field.items:
            return (
                f"'{field.id}' has room for {field.items} items, found {len(answer)}",
                "remove some items",
            )
    elif kind == "table":
        rows_ok = isinstance(answer, list) and all(
            isinstance(r, list)
            and len(r) == len(field.columns)
            and all(isinstance(c, str) for c in r)
            for r in answer
        )
        if not rows_ok:
            return (
                f"'{field.id}' is a table with {len(field.columns)} columns: expected a list "
                f"of rows, each a list of {len(field.columns)} texts",
                "write each row as - [first column, second column, …]",
            )
        if len(answer) > field.rows:
            return f"'{field.id}' has {field.rows} rows, found {len(answer)}", "remove some rows"
    return None


# -- Rules across the files of a playbook ---------------------------------------------

_LINK_TARGET = re.compile(r"\]\(\s*<?([a-z0-9-]+)\.md(?:#[^)\s>]*)?>?\s*(?:\"[^\"]*\")?\)")


def exercise_links(ex: Exercise) -> list[tuple[tuple, str, int]]:
    """Every link to an exercise page in an exercise's texts: (location, id, offset)."""
    return [
        (loc, m.group(1), m.start())
        for loc, text in prose_texts(ex)
        if ".md" in text
        for m in _LINK_TARGET.finditer(text)
    ]


def file_rules(
    ex: Exercise,
    path: Path,
    known_ids: set[str],
    links: list[tuple[tuple, str, int]] | None = None,
) -> Iterator[Found]:
    """Rules of one file among the others: its name, related ids, links to exercises
    (``links``: ``exercise_links(ex)``, which a caller may keep for an unchanged file)."""
    stem = path.name.rsplit(".", 1)[0]
    if stem != ex.id:
        yield (
            ("id",),
            f"the file is named '{path.name}' but the id is '{ex.id}'",
            f"rename the file to '{ex.id}{path.suffix}', or set 'id: {stem}'",
        )
    for index, other in enumerate(ex.related):
        if other == ex.id:
            yield ("related", index), "an exercise cannot be related to itself", "remove this id"
        elif other not in known_ids:
            yield (
                ("related", index),
                f"no exercise has the id '{other}'",
                messages.did_you_mean(other, sorted(known_ids))
                or "use the id of an existing file in exercises/ (its name without .yaml)",
            )
    for loc, target, offset in exercise_links(ex) if links is None else links:
        if target not in known_ids:
            yield (
                loc,
                f"this links to the exercise '{target}', which does not exist",
                messages.did_you_mean(target, sorted(known_ids))
                or "link to an existing exercise's id: its file name without .yaml",
                offset,
            )


def prose_texts(model: BaseModel, loc: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every Markdown text in a model, with its location."""
    prose, nested = _text_fields(type(model))
    for name in prose:
        value = getattr(model, name)
        if isinstance(value, str):
            yield (*loc, name), value
        elif isinstance(value, dict):
            for key, text in value.items():
                yield (*loc, name, key), text
    for name in nested:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from prose_texts(value, (*loc, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from prose_texts(item, (*loc, name, index))


@functools.cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(fields holding Markdown, fields that may hold models) of a model class."""
    prose, nested = [], []
    for name, info in model.model_fields.items():
        if _is_prose(info.annotation) or _validated_as_prose(info.metadata):
            prose.append(name)
        elif _holds_model(info.annotation):
            nested.append(name)
    return tuple(prose), tuple(nested)


def _holds_model(annotation: Any) -> bool:
    if is_model(annotation):
        return True
    return any(_holds_model(arg) for arg in typing.get_args(annotation))


def _validated_as_prose(metadata: list) -> bool:
    return any(isinstance(m, AfterValidator) and m.func is _check_prose for m in metadata)


def _is_prose(annotation: Any) -> bool:
    """Markdown text, alone or as the items of a list, a union or a mapping."""
    bare, metadata = split_annotated(annotation)
    return _validated_as_prose(metadata) or any(_is_prose(a) for a in typing.get_args(bare))


# -- Rules of a pathway --------------------------------------------------------------


def pathway_rules(
    pathway: Any, path: Path, exercises: dict[str, Exercise], seen: dict[str, str]
) -> Iterator[Found]:
    stem = path.name.rsplit(".", 1)[0]
    if stem != pathway.id:
        yield (
            ("id",),
            f"the file is named '{path.name}' but the id is '{pathway.id}'",
            f"rename the file to '{pathway.id}{path.suffix}', or set 'id: {stem}'",
        )
    if pathway.id in seen:
        yield (
            ("id",),
            f"id '{pathway.id}' is already used by {seen[pathway.id]}",
            "choose another id",
        )
    for index, step in enumerate(pathway.steps):
        if step.exercise not in exercises:
            yield (
                ("steps", index, "exercise"),
                f"no exercise has the id '{step.exercise}'",
                messages.did_you_mean(step.exercise, sorted(exercises))
                or "use the id of an existing file in exercises/ (its name without .yaml)",
            )


# -- Rules of a playbook's configuration ----------------------------------------------


def config_rules(config: PlaybookConfig) -> Iterator[Found]:
    for name in ("audiences", "formats", "difficulties", "themes", "sections"):
        seen: set[str] = set()
        for index, term in enumerate(getattr(config, name) or []):
            if term.id in seen:
                yield (name, index, "id"), f"'{term.id}' is listed twice", "remove the repeat"
            seen.add(term.id)
            if term.id in SCRIPT_RESERVED_IDS | RESERVED_IDS:
                yield (name, index, "id"), f"'{term.id}' is reserved", "choose another id"
    for index, fmt in enumerate(config.formats):
        if fmt.people.min > fmt.people.max:
            yield (
                ("formats", index, "people", "min"),
                f"the fewest people ({fmt.people.min}) is more than the most ({fmt.people.max})",
                "swap min and max",
            )
    for index, (before, after) in enumerate(itertools.pairwise(config.length_bands), 1):
        if after <= before:
            yield (
                ("length_bands", index),
                f"the bands must grow from shortest to longest, but {after} follows {before}",
                "list each band's end once, shortest first, e.g. [15, 45]",
            )
    if "difficulty" in config.require and not config.difficulties:
        index = config.require.index("difficulty")
        yield (
            ("require", index),
            "every exercise must have a difficulty, but no difficulty levels are defined",
            "add 'difficulties:' with the levels, or remove 'difficulty' from 'require'",
        )
