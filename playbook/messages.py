"""Plain-English wording for every problem, in one place.

Pydantic's and PyYAML's messages are written for programmers; contributors get
these instead: what was expected, what was found, and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import types
import typing
from collections.abc import Iterator
from typing import Any, Union

import yaml
from pydantic import BaseModel

from .problems import Problem
from .schema import FIELD_TYPES, Exercise


def suggest_slug(text: str) -> str:
    """An id made from any text: lowercase ASCII letters and digits joined by hyphens."""
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def close_matches(word: str, choices: list[str]) -> list[str]:
    return difflib.get_close_matches(str(word), choices, n=1, cutoff=0.6)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = close_matches(word, choices)
    return f"did you mean '{close[0]}'?" if close else ""


def describe(value: Any) -> str:
    """How a found value is named in a message."""
    if value is None:
        return "nothing (the value is empty)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, dt.datetime):
        return f"the date and time {value.isoformat(sep=' ')}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"the text '{shown}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (key: value lines)"
    return type(value).__name__


def _model_at(loc: tuple) -> type[BaseModel] | None:
    """The model that validates the mapping found at a pydantic location."""
    current: Any = Exercise
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        elif typing.get_origin(current) is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) in (Union, types.UnionType) and part in FIELD_TYPES:
            current = next(
                m
                for m in typing.get_args(current)
                if isinstance(m, type)
                and typing.get_args(m.model_fields["type"].annotation) == (part,)
            )
        else:
            return None
    current = _unwrap(current)
    if typing.get_origin(current) in (Union, types.UnionType):
        return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(members) == 1:
            return _unwrap(members[0])
    return annotation


def allowed_keys(loc: tuple) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def explain(detail: dict, *, key_path: str, allowed: list[str] | None = None) -> tuple[str, str]:
    """(message, hint) for one pydantic error."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    found = detail.get("input")
    key = key_path.rsplit(".", 1)[-1]
    if kind == "missing":
        return (
            f"required key '{key}' is missing",
            f"add '{key}:' to this mapping; 'playbook new' writes a complete example",
        )
    if kind == "extra_forbidden":
        hint = did_you_mean(key, allowed or [])
        if not hint and allowed:
            hint = "allowed keys here: " + ", ".join(allowed)
        return f"unknown key '{key}'", hint or "remove this key"
    if kind in ("unsafe_markup", "not_one_line"):
        return detail["msg"], ctx.get("hint", "")
    if kind in ("string_type",):
        hint = "put the value on the same line after the colon"
        if isinstance(found, (int, float, bool)):
            hint = "put quotes around it to make it text"
        return f"expected text, found {describe(found)}", hint
    if kind == "string_too_short":
        return "expected some text, found an empty value", "write the text after the colon"
    if kind == "string_too_long":
        limit = ctx.get("max_length")
        return (
            f"expected at most {limit} characters, found {len(found)}",
            "shorten it; put detail in a longer field such as purpose or instructions",
        )
    if kind == "string_pattern_mismatch":
        suggestion = suggest_slug(str(found))
        return (
            f"expected an id of lowercase letters, digits and single hyphens, found {describe(found)}",
            f"for example '{suggestion}'" if suggestion else "for example 'listen-to-the-end'",
        )
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {describe(found)}", "write digits only, e.g. 15"
    if kind == "greater_than_equal":
        return f"expected a number of at least {ctx['ge']}, found {found}", "use a larger number"
    if kind == "less_than_equal":
        return f"expected a number of at most {ctx['le']}, found {found}", "use a smaller number"
    if kind in ("list_type", "tuple_type"):
        return (
            f"expected a list, found {describe(found)}",
            "write each item on its own line, starting with '- '",
        )
    if kind == "too_short":
        least = ctx.get("min_length")
        return (
            f"expected at least {least} item{'s' if least != 1 else ''}, found {ctx.get('actual_length', 0)}",
            "add the missing items",
        )
    if kind == "too_long" and isinstance(found, str):  # a length limit on text
        return (
            f"expected at most {ctx.get('max_length')} characters, found {len(found)}",
            "shorten it; put detail in a longer field such as purpose or instructions",
        )
    if kind == "invalid_key":
        return (
            f"keys must be text, found {describe(found)}",
            "write the key as a word, e.g. 'title:'",
        )
    if kind == "too_long":
        return (
            f"expected at most {ctx.get('max_length')} items, found {ctx.get('actual_length')}",
            "remove some items",
        )
    if kind == "literal_error":
        choices = [
            c.strip().strip("'") for c in ctx.get("expected", "").replace(" or ", ", ").split(",")
        ]
        choices = [c for c in choices if c]
        return (
            f"expected one of {', '.join(choices)}; found {describe(found)}",
            did_you_mean(str(found), choices) or "use one of the values listed",
        )
    if kind == "union_tag_invalid" and ctx.get("tag") in (None, "None", ""):
        return (
            "this worksheet field's type is empty",
            f"write one of {', '.join(FIELD_TYPES)} after 'type:'",
        )
    if kind == "union_tag_invalid":
        return (
            f"unknown field type '{ctx.get('tag')}'; expected one of {', '.join(FIELD_TYPES)}",
            did_you_mean(str(ctx.get("tag")), list(FIELD_TYPES)) or "use one of the types listed",
        )
    if kind == "union_tag_not_found":
        return (
            "this worksheet field has no 'type'",
            f"add 'type:' with one of {', '.join(FIELD_TYPES)}",
        )
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return (
            f"expected a mapping (key: value lines), found {describe(found)}",
            "indent the keys under this one by two spaces",
        )
    if kind.startswith("date"):
        return (
            f"expected a date written as YYYY-MM-DD, found {describe(found)}",
            "for example 2026-11-22 (without quotes)",
        )
    if kind == "bool_type":
        return f"expected true or false, found {describe(found)}", ""
    return detail["msg"], ""


def yaml_error(display: str, error: yaml.MarkedYAMLError, text: str = "") -> Problem:
    mark = error.problem_mark or error.context_mark
    if error.context_mark and "quoted scalar" in (error.context or ""):
        mark = error.context_mark  # where the unclosed quote opens, not the end of the file
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    hint = "check the indentation and the punctuation on this line and the one before"
    source_line = text.splitlines()[line - 1] if text and 0 < line <= len(text.splitlines()) else ""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())] or "'\\t'" in problem:
        column = source_line.index("\t") + 1 if "\t" in source_line else column
        message = "a tab character is used for indentation"
        hint = "YAML indents with spaces only: replace the tab with spaces (2 per level)"
    elif "expected a single document" in context:
        message = "this file holds more than one YAML document"
        hint = "keep one exercise per file and remove the '---' line"
    elif "mapping values are not allowed" in problem:
        message = "a ':' inside a value makes this line ambiguous"
        hint = "put quotes around the whole value, or use a '|' block for longer text"
    elif "could not find expected ':'" in problem or "simple key" in problem:
        message = "expected 'key: value' here"
        hint = "check for a missing ':' or a line indented differently from its neighbours"
    elif "did not find expected key" in problem or "expected <block end>" in problem:
        message = "this line's indentation does not match the lines around it"
        hint = "align it with the other keys of the same mapping (spaces, not tabs)"
    elif "found unexpected end of stream" in problem or "while scanning a quoted" in context:
        message = "a quoted value is not closed"
        hint = "add the closing quote, or use a '|' block for text containing quotes"
    elif problem.startswith("cannot read this value as"):
        message = problem
        hint = "correct the value, or put quotes around it if it is meant as text"
    elif "found undefined alias" in problem or "found character" in problem:
        message = f"YAML cannot read this: {problem}"
        if "'*'" in context or "alias" in problem or "'*'" in problem:
            hint = "a value starting with '*' or '&' must be put in quotes"
        elif "'@'" in problem or "'`'" in problem:
            hint = "a value starting with '@' or '`' must be put in quotes"
    else:
        message = f"YAML cannot read this: {problem or context}"
    return Problem(display, line, column, "", message, hint)


def reader_error(display: str, error: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML does not accept (a control character), at its line and column.

    The reader stops at the first such character, so its first occurrence in the text is
    the one meant (libyaml's ``position`` counts UTF-8 bytes, PyYAML's characters)."""
    character = error.character if isinstance(error.character, int) else -1
    index = text.find(chr(character)) if 0 <= character <= 0x10FFFF else -1
    if index < 0:
        index = min(max(error.position, 0), len(text))
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Problem(
        display,
        line,
        column,
        "",
        f"this file contains the invisible control character U+{character:04X}, "
        "which YAML does not allow",
        "delete it: most editors do not show it, so retype the text around this position",
    )


# Names that scripts in the browser find on every object (Object.prototype): an id that
# is one of them would read or overwrite those instead of the stored answers. Only the
# names that are valid ids (lowercase letters, digits and hyphens) need listing.
SCRIPT_RESERVED_IDS = frozenset({"constructor"})


def _script_reserved(value: str) -> tuple[str, str] | None:
    if value in SCRIPT_RESERVED_IDS:
        return f"'{value}' is a name browsers' scripts reserve", "choose another id"
    return None


def exercise_rules(ex: Exercise) -> Iterator[tuple[tuple, str, str]]:
    """Rules within one exercise that the schema's types cannot express.

    Yields (pydantic-style location, message, hint).
    """
    yield from _unique(ex.worksheet.fields, ("worksheet", "fields"), "field")
    yield from _unique(ex.checklist.items, ("checklist", "items"), "checklist item")
    if ex.id == "index":
        yield ("id",), "'index' is reserved for the catalog page", "choose another id"
    if reserved := _script_reserved(ex.id):
        yield ("id",), *reserved
    # Field and item ids key the answers a browser stores, as exercise ids key exercises.
    for loc, things in (
        (("worksheet", "fields"), ex.worksheet.fields),
        (("checklist", "items"), ex.checklist.items),
    ):
        for index, thing in enumerate(things):
            if reserved := _script_reserved(thing.id):
                yield (*loc, index, "id"), *reserved
    for index, theme in enumerate(ex.themes):
        if theme == "index":
            yield (
                ("themes", index),
                "'index' is reserved for the list of themes",
                "choose another theme",
            )
    for name in ("audiences", "themes", "related"):
        seen: set[str] = set()
        for index, value in enumerate(getattr(ex, name)):
            if value in seen:
                yield (name, index), f"'{value}' is listed twice", "remove the repeat"
            seen.add(value)
    step_total = sum(step.minutes for step in ex.steps)
    if step_total > ex.minutes:
        yield (
            ("minutes",),
            f"the steps add up to {step_total} minutes, more than the {ex.minutes} given here",
            f"set 'minutes: {step_total}' or shorten the steps",
        )
    yield from _band_rules(ex)


def _unique(things: list, loc: tuple, noun: str) -> Iterator[tuple[tuple, str, str]]:
    seen: dict[str, int] = {}
    for index, thing in enumerate(things):
        if thing.id in seen:
            yield (
                (*loc, index, "id"),
                f"{noun} id '{thing.id}' is already used by {noun} {seen[thing.id] + 1}",
                "give every one a different id",
            )
        seen.setdefault(thing.id, index)


def _band_rules(ex: Exercise) -> Iterator[tuple[tuple, str, str]]:
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
