"""Plain-English wording for every problem the schema library or YAML reports.

Pydantic's and PyYAML's messages are written for programmers; contributors get
these instead: what was expected, what was found, and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import typing
from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import BaseModel

from .problems import Problem
from .schema import FIELD_TYPES, bare_type, is_model, union_members


def suggest_slug(text: str) -> str:
    """An id made from any text: lowercase ASCII letters and digits joined by hyphens."""
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def close_matches(word: str, choices: list[str]) -> list[str]:
    return difflib.get_close_matches(str(word), choices, n=1, cutoff=0.7)


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


def _model_at(loc: tuple, model: type[BaseModel]) -> type[BaseModel] | None:
    """The model that validates the mapping found at a pydantic location."""
    current = bare_type(_annotation_at(loc, model))
    return current if is_model(current) else None


def _annotation_at(loc: tuple, model: type[BaseModel]) -> Any:
    """The type of the value at a pydantic location (None where the path leaves the model)."""
    current: Any = model
    for part in loc:
        current = bare_type(current)
        origin = typing.get_origin(current)
        if is_model(current):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
        elif origin is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif origin is dict:
            current = typing.get_args(current)[0 if part == "[key]" else 1]
        elif len(union_members(current)) > 1:
            current = _member_for(current, part)
            if current is None:
                return None
        else:
            return None
    return current


def _member_for(union: Any, part: Any) -> Any:
    """The member of a union a location goes on into: a worksheet field type by its tag,
    else the one list (``format: [a, b]``) or model."""
    members = typing.get_args(union)
    if part in FIELD_TYPES:
        return next(
            (
                m
                for m in members
                if is_model(m) and typing.get_args(m.model_fields["type"].annotation) == (part,)
            ),
            None,
        )
    if isinstance(part, int):
        return next((m for m in members if typing.get_origin(m) is list), None)
    if part in ("list[literal]", "literal"):  # pydantic's names for union members
        return None
    return next((m for m in members if typing.get_origin(m) is not typing.Literal), None)


def allowed_keys(loc: tuple, model: type[BaseModel]) -> list[str]:
    found = _model_at(loc, model)
    return list(found.model_fields) if found else []


def choices_at(loc: tuple, model: type[BaseModel]) -> list[str] | None:
    """The values a Literal at this location allows, read from the model itself."""
    loc = tuple(p for p in loc if p not in ("literal", "list[literal]") and not is_union_tag(p))
    if loc[-1:] == ("[key]",):  # pydantic's (…, the key, "[key]"): the mapping's key type
        loc = (*loc[:-2], "[key]")
    annotation = bare_type(_annotation_at(loc, model))
    for candidate in (annotation, *typing.get_args(annotation)):
        candidate = bare_type(candidate)
        if typing.get_origin(candidate) is typing.Literal:
            return [str(c) for c in typing.get_args(candidate)]
    return None


def is_union_tag(part: Any) -> bool:
    """pydantic names a union member in a location (``literal['a','b']``, ``list[...]``)."""
    return isinstance(part, str) and part.startswith(("literal[", "list[", "function-"))


Explained = tuple[str, str]


def explain(
    detail: dict,
    *,
    key_path: str,
    allowed: list[str] | None = None,
    choices: list[str] | None = None,
) -> Explained:
    """(message, hint) for one pydantic error: its type's entry in ``_EXPLAIN``."""
    kind = detail["type"]
    context = _Context(
        found=detail.get("input"),
        ctx=detail.get("ctx") or {},
        key=key_path.rsplit(".", 1)[-1],
        allowed=allowed or [],
        choices=choices or [],
        msg=detail["msg"],
    )
    if (entry := _EXPLAIN.get(kind)) is None:
        entry = next((e for prefix, e in _EXPLAIN_PREFIXES if kind.startswith(prefix)), None)
    return entry(context) if entry else (detail["msg"], "")


@dataclass(frozen=True)
class _Context:
    found: Any
    ctx: dict
    key: str
    allowed: list[str]
    choices: list[str]
    msg: str


def _own(c: _Context) -> Explained:
    """Errors of our own validators: their message and hint as they wrote them."""
    return c.msg, c.ctx.get("hint", "")


def _extra(c: _Context) -> Explained:
    hint = did_you_mean(c.key, c.allowed)
    if not hint and c.allowed:
        hint = "allowed keys here: " + ", ".join(c.allowed)
    return f"unknown key '{c.key}'", hint or "remove this key"


def _text_expected(c: _Context) -> Explained:
    hint = "put the value on the same line after the colon"
    if isinstance(c.found, (int, float, bool)):
        hint = "put quotes around it to make it text"
    return f"expected text, found {describe(c.found)}", hint


def _too_long_text(c: _Context) -> Explained:
    return (
        f"expected at most {c.ctx.get('max_length')} characters, found {len(c.found)}",
        "shorten it; put detail in a longer field such as purpose or instructions",
    )


def _pattern(c: _Context) -> Explained:
    suggestion = suggest_slug(str(c.found))
    return (
        f"expected an id of lowercase letters, digits and single hyphens, found {describe(c.found)}",
        f"for example '{suggestion}'" if suggestion else "for example 'listen-to-the-end'",
    )


def _too_short(c: _Context) -> Explained:
    least = c.ctx.get("min_length")
    return (
        f"expected at least {least} item{'s' if least != 1 else ''}, found {c.ctx.get('actual_length', 0)}",
        "add the missing items",
    )


def _too_long(c: _Context) -> Explained:
    if isinstance(c.found, str):
        return _too_long_text(c)
    return (
        f"expected at most {c.ctx.get('max_length')} items, found {c.ctx.get('actual_length')}",
        "remove some items",
    )


def _literal(c: _Context) -> Explained:
    """The choices come from the model's ``Literal`` (``choices_at``), never from
    pydantic's English; a place the model cannot name them for gets no list."""
    if not c.choices:
        return (
            f"found {describe(c.found)}, which is not one of the values allowed here",
            "the playbook's vocabularies are in playbook.yml",
        )
    return (
        f"expected one of {', '.join(c.choices)}; found {describe(c.found)}",
        did_you_mean(str(c.found), c.choices)
        or "use one of the values listed (the playbook's vocabularies are in playbook.yml)",
    )


def _union_tag(c: _Context) -> Explained:
    tag = c.ctx.get("tag")
    if tag in (None, "None", ""):
        return (
            "this worksheet field's type is empty",
            f"write one of {', '.join(FIELD_TYPES)} after 'type:'",
        )
    return (
        f"unknown field type '{tag}'; expected one of {', '.join(FIELD_TYPES)}",
        did_you_mean(str(tag), list(FIELD_TYPES)) or "use one of the types listed",
    )


_EXPLAIN: dict[str, typing.Callable[[_Context], Explained]] = {
    "missing": lambda c: (
        f"required key '{c.key}' is missing",
        f"add '{c.key}:' to this mapping; 'playbook new' writes a complete example",
    ),
    "extra_forbidden": _extra,
    "unsafe_markup": _own,
    "not_one_line": _own,
    "duration": _own,
    "duration_unit": _own,
    "duration_range": _own,
    "url": _own,
    "alias": _own,
    "string_type": _text_expected,
    "string_too_short": lambda c: (
        "expected some text, found an empty value",
        "write the text after the colon",
    ),
    "string_too_long": _too_long_text,
    "string_pattern_mismatch": _pattern,
    "int_type": lambda c: (
        f"expected a whole number, found {describe(c.found)}",
        "write digits only, e.g. 15",
    ),
    "greater_than_equal": lambda c: (
        f"expected a number of at least {c.ctx['ge']}, found {c.found}",
        "use a larger number",
    ),
    "less_than_equal": lambda c: (
        f"expected a number of at most {c.ctx['le']}, found {c.found}",
        "use a smaller number",
    ),
    "list_type": lambda c: (
        f"expected a list, found {describe(c.found)}",
        "write each item on its own line, starting with '- '",
    ),
    "too_short": _too_short,
    "too_long": _too_long,
    "invalid_key": lambda c: (
        f"keys must be text, found {describe(c.found)}",
        "write the key as a word, e.g. 'title:'",
    ),
    "literal_error": _literal,
    "union_tag_invalid": _union_tag,
    "union_tag_not_found": lambda c: (
        "this worksheet field has no 'type'",
        f"add 'type:' with one of {', '.join(FIELD_TYPES)}",
    ),
    "model_type": lambda c: (
        f"expected a mapping (key: value lines), found {describe(c.found)}",
        "indent the keys under this one by two spaces",
    ),
    "none_required": lambda c: (
        f"this playbook has no '{c.key}' values, found {describe(c.found)}",
        f"remove '{c.key}:' (playbook.yml defines none)",
    ),
    "bool_type": lambda c: (f"expected true or false, found {describe(c.found)}", ""),
}
for _alias, _same in (
    ("int_parsing", "int_type"),
    ("int_from_float", "int_type"),
    ("tuple_type", "list_type"),
    ("model_attributes_type", "model_type"),
    ("dict_type", "model_type"),
):
    _EXPLAIN[_alias] = _EXPLAIN[_same]
_EXPLAIN_PREFIXES = (
    (
        "date",
        lambda c: (
            f"expected a date written as YYYY-MM-DD, found {describe(c.found)}",
            "for example 2026-11-22 (without quotes)",
        ),
    ),
)


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
