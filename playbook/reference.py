"""The schema reference page, written from the pydantic models themselves.

Every model reachable from ``Exercise`` gets a section: where it sits in a file,
a table of its keys (type in plain words, required or not, default, description,
example) and a YAML example assembled from the fields' own examples. Nothing here
is written by hand, so the page cannot drift from ``schema.py``: change a field
there and the page changes with it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import yaml
from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import AfterValidator, BaseModel, StringConstraints
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from . import rules, schema
from .schema import (
    SLUG_PATTERN,
    Described,
    Exercise,
    is_model,
    json_schema,
    split_annotated,
    union_members,
)

if TYPE_CHECKING:
    from .config import Settings

REFERENCE_PATH = "reference/exercise-schema.md"
# The JSON Schema is published with the site too, for editors in other repositories.
PUBLISHED_SCHEMA_PATH = "schema/exercise.schema.json"
_EXAMPLE_DATE = dt.date(2026, 11, 22)


@dataclass(frozen=True)
class FieldDoc:
    """One key of one model, as the reference page shows it."""

    name: str
    type: str
    required: bool
    default: str
    description: str
    example: str


@dataclass(frozen=True)
class ModelDoc:
    model: type[BaseModel]
    heading: str
    anchor: str
    where: str
    fields: list[FieldDoc]


@dataclass
class _Constraints:
    min_length: int | None = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None
    pattern: str | None = None
    markdown: bool = False
    one_line: bool = False

    def add(self, items: list[Any]) -> None:
        for item in items:
            if isinstance(item, StringConstraints):
                if item.min_length is not None:
                    self.min_length = item.min_length
                if item.max_length is not None:
                    self.max_length = _tighter(self.max_length, item.max_length)
                self.pattern = item.pattern or self.pattern
            elif isinstance(item, MinLen):
                self.min_length = item.min_length
            elif isinstance(item, MaxLen):
                self.max_length = _tighter(self.max_length, item.max_length)
            elif isinstance(item, Ge):
                self.ge = item.ge
            elif isinstance(item, Le):
                self.le = item.le
            elif isinstance(item, AfterValidator):
                self.markdown |= item.func is schema._check_prose
                self.one_line |= item.func is schema._check_line


def _tighter(current: int | None, new: int) -> int:
    return new if current is None else min(current, new)


def heading_of(model: type[BaseModel]) -> str:
    """``ChecklistItem`` → ``Checklist item``; worksheet field types get a clearer name."""
    type_field = model.model_fields.get("type")
    if type_field is not None and typing.get_origin(type_field.annotation) is Literal:
        return f"Worksheet field: {typing.get_args(type_field.annotation)[0]}"
    words = re.findall(r"[A-Z][a-z]*", model.__name__)
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def anchor_of(model: type[BaseModel]) -> str:
    """The id MkDocs' table of contents gives the model's heading."""
    return re.sub(r"[\s-]+", "-", re.sub(r"[^\w\s-]", "", heading_of(model).lower())).strip("-")


def _link(model: type[BaseModel]) -> str:
    return f"[{heading_of(model).lower()}](#{anchor_of(model)})"


def describe_type(annotation: Any, metadata: list[Any] = (), *, plural: bool = False) -> str:
    """A type in plain words: 'a whole number from 1 to 240', 'a list of ids (…)'.

    ``plural`` names the items of a list ('ids' rather than 'an id').
    """
    annotation, inner = split_annotated(annotation)
    for item in (*inner, *metadata):
        if isinstance(item, Described):
            return item.text
    limits = _Constraints()
    limits.add([*inner, *metadata])
    members = [m for m in union_members(annotation) if m is not type(None)]
    if not members:
        return "nothing: leave it out"
    if len(members) > 1:
        if all(is_model(m) for m in members):
            links = ", ".join(_link(m) for m in members)
            kind = "mappings" if plural else "a mapping"
            return f"{kind} whose `type` says which kind of field it is: {links}"
        return " or ".join(describe_type(m, plural=plural) for m in members)
    annotation, more = split_annotated(members[0])
    limits.add(more)
    origin = typing.get_origin(annotation)
    each = " each" if plural else ""
    if origin is Literal:
        choices = ", ".join(f"`{c}`" for c in typing.get_args(annotation))
        if len(typing.get_args(annotation)) == 1:
            return f"exactly {choices}"
        return f"values from {choices}" if plural else f"one of {choices}"
    if origin is list:
        (item,) = typing.get_args(annotation)
        return f"a list of {describe_type(item, plural=True)}{_count(limits, 'item')}"
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"a mapping from {describe_type(key, plural=True)} to {describe_type(value, plural=True)}"
    if is_model(annotation):
        return f"{'mappings' if plural else 'a mapping'}: see {_link(annotation)}"
    if annotation is bool:
        return "`true` or `false`"
    if annotation is int:
        return ("whole numbers" if plural else "a whole number") + _range(limits)
    if annotation is dt.date:
        return ("dates" if plural else "a date") + ", written YYYY-MM-DD"
    if annotation is str:
        if limits.pattern == SLUG_PATTERN:
            noun = "ids" if plural else "an id"
            return f"{noun}: lowercase words joined by hyphens{_chars(limits, each)}"
        if limits.markdown:
            return ("Markdown texts" if plural else "Markdown text") + " (no raw HTML)"
        if limits.one_line:
            noun = "lines" if plural else "one line"
            return f"{noun} of plain text{_chars(limits, each)}"
        return "text" + _chars(limits, each)
    return getattr(annotation, "__name__", str(annotation))


def _chars(limits: _Constraints, each: str) -> str:
    if limits.max_length:
        return f" (at most {limits.max_length} characters{each})"
    return ""


def _range(limits: _Constraints) -> str:
    if limits.ge is not None and limits.le is not None:
        return f" from {limits.ge} to {limits.le}"
    if limits.ge is not None:
        return f", at least {limits.ge}"
    if limits.le is not None:
        return f", at most {limits.le}"
    return ""


def _count(limits: _Constraints, noun: str) -> str:
    low, high = limits.min_length or None, limits.max_length
    if low and high:
        return f"; {low} to {high} {noun}s"
    if low == 1:
        return f"; at least one {noun}"
    if low:
        return f"; at least {low} {noun}s"
    if high:
        return f"; at most {high} {noun}s"
    return ""


def models(root: type[BaseModel] = Exercise) -> Iterator[tuple[type[BaseModel], str]]:
    """Every model reachable from ``root`` (first seen first) and the key path to it."""
    seen: set[type[BaseModel]] = set()
    queue: list[tuple[type[BaseModel], str]] = [(root, "")]
    while queue:
        model, where = queue.pop(0)
        if model in seen:
            continue
        seen.add(model)
        yield model, where
        for name, info in model.model_fields.items():
            path = f"{where}.{name}" if where else name
            for child, suffix in _models_in(info.annotation):
                queue.append((child, path + suffix))


def _models_in(annotation: Any, suffix: str = "") -> Iterator[tuple[type[BaseModel], str]]:
    annotation, _ = split_annotated(annotation)
    for member in union_members(annotation):
        member, _ = split_annotated(member)
        if typing.get_origin(member) is list:
            yield from _models_in(typing.get_args(member)[0], suffix + "[]")
        elif is_model(member):
            yield member, suffix


def example_value(annotation: Any, info: FieldInfo | None = None) -> Any:
    """An example value for a field: its own example, or one built from its type."""
    if info is not None and info.examples:
        value = info.examples[0]
        bare, _ = split_annotated(annotation)
        if bare is dt.date and isinstance(value, str):
            return dt.date.fromisoformat(value)
        return value
    annotation, metadata = split_annotated(annotation)
    members = [m for m in union_members(annotation) if m is not type(None)]
    if not members:
        return None
    annotation, more = split_annotated(members[0])
    limits = _Constraints()
    limits.add([*metadata, *more, *(info.metadata if info else [])])
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return typing.get_args(annotation)[0]
    if origin is list:
        return [example_value(typing.get_args(annotation)[0])]
    if origin is dict:
        key, value = typing.get_args(annotation)
        return {example_value(key): example_value(value)}
    if is_model(annotation):
        return example_of(annotation)
    if info is not None and info.default not in (PydanticUndefined, None, []):
        return info.default
    if annotation is int:
        return limits.ge if limits.ge is not None else 1
    if annotation is dt.date:
        return _EXAMPLE_DATE
    if annotation is bool:
        return True
    return "…"


def example_of(model: type[BaseModel]) -> dict[str, Any]:
    """A complete example of a model, every key filled in (optional ones too)."""
    return {name: example_value(info.annotation, info) for name, info in model.model_fields.items()}


def _default_text(info: FieldInfo) -> str:
    if info.is_required():
        return "—"
    if info.default is None:
        return "none"
    if info.default == []:
        return "empty list"
    return f"`{info.default}`"


def _inline(value: Any, annotation: Any) -> str:
    """The example as it would be written after the key, if it fits on one line."""
    if any(is_model(m) for m, _ in _models_in(annotation)):
        return "see below"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    text = text.strip().removesuffix("...").strip()
    return "`" + text.replace("|", "\\|") + "`"


def document_model(model: type[BaseModel], where: str) -> ModelDoc:
    fields = []
    for name, info in model.model_fields.items():
        fields.append(
            FieldDoc(
                name=name,
                type=describe_type(info.annotation, info.metadata),
                required=info.is_required(),
                default=_default_text(info),
                description=(info.description or "").strip(),
                example=_inline(example_value(info.annotation, info), info.annotation),
            )
        )
    return ModelDoc(model, heading_of(model), anchor_of(model), where, fields)


def _where_text(doc: ModelDoc) -> str:
    if not doc.where:
        return "The whole file: one exercise, at the top level."
    path = doc.where.replace("[]", "[…]")
    type_field = doc.model.model_fields.get("type")
    if type_field is not None and typing.get_origin(type_field.annotation) is Literal:
        kind = typing.get_args(type_field.annotation)[0]
        return f"An item of `{path}` with `type: {kind}`."
    if doc.where.endswith("[]"):
        return f"Each item of `{path}`."
    return f"The value of `{path}`."


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _yaml_block(data: Any) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    text = yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False, width=88)
    return f"```yaml\n{text}```"


CONFIG_REFERENCE_PATH = "reference/playbook-config.md"
PATHWAY_REFERENCE_PATH = "reference/pathway-schema.md"
PUBLISHED_CONFIG_SCHEMA_PATH = "schema/playbook.schema.json"


def published_schema(settings: Settings) -> str:
    """The exercise JSON Schema of a playbook, as `playbook schema` writes it."""
    return _schema_text(settings.model)


def published_pathway_schema(settings: Settings) -> str:
    """The JSON Schema of a pathway file of this playbook."""
    return _schema_text(settings.pathway_model)


def published_config_schema() -> str:
    """The JSON Schema of playbook.yml."""
    from .config import PlaybookConfig

    return _schema_text(PlaybookConfig)


@functools.lru_cache(maxsize=8)
def _schema_text(model: type[BaseModel]) -> str:
    return json.dumps(json_schema(model), indent=2, ensure_ascii=False) + "\n"


def reference_pages(settings: Settings) -> list[tuple[str, str]]:
    """(path, text) of the reference pages and the published schemas."""
    from .config import PlaybookConfig

    return [
        (REFERENCE_PATH, _reference_of(settings.model, settings)),
        (CONFIG_REFERENCE_PATH, _config_reference(PlaybookConfig)),
        (PATHWAY_REFERENCE_PATH, _config_reference(settings.pathway_model)),
        (PUBLISHED_SCHEMA_PATH, published_schema(settings)),
        (PUBLISHED_CONFIG_SCHEMA_PATH, published_config_schema()),
        ("schema/pathway.schema.json", published_pathway_schema(settings)),
    ]


@functools.lru_cache(maxsize=8)
def _reference_of(model: type[BaseModel], settings: Settings) -> str:
    return render_reference(model, settings)


@functools.lru_cache(maxsize=2)
def _config_reference(model: type[BaseModel]) -> str:
    return render_reference(model, None)


_EXERCISE_INTRO = [
    "Every exercise is one YAML file in `exercises/`. This page lists every key such a "
    "file can hold in this playbook. It is generated from the schema in "
    "`playbook/schema.py` and the playbook's `playbook.yml` on every build, so it always "
    "matches what `playbook validate` checks.",
    "",
    "Editors that understand JSON Schema (VS Code with the YAML extension, JetBrains "
    "IDEs, Neovim with yaml-language-server) complete keys and flag mistakes as you "
    "type, thanks to the first line of every exercise file:",
    "",
    "```yaml",
    "# yaml-language-server: $schema=../schema/exercise.schema.json",
    "```",
    "",
    "The same schema is published with this site as "
    f"[exercise.schema.json](../{PUBLISHED_SCHEMA_PATH}), for exercise files kept "
    "in other repositories.",
    "",
    'Unknown keys are errors, and values are never converted: `minutes: "10"` is '
    "text, not a number. Text marked *Markdown* accepts **bold**, *italic*, lists and "
    "links; raw HTML is refused (HTML comments are allowed and never reach the page). "
    "*One line of plain text* is shown exactly as written.",
    "",
    "## Rules beyond the types",
    "",
    "- **Time.** `session.minutes` is what the session takes: with timed steps, exactly "
    "their sum (or a range that holds it). What happens before the session goes in "
    "`prep`, what happens after it in `follow_up`, never inside the session's minutes.",
    "- **Scoring.** A checklist item is something you did or did not do. Items that can "
    "only be ticked after the follow-up say `when: follow-up`. Every band must be "
    "reachable by some combination of the items' points; the page marks the bands that "
    "need the follow-up.",
    '- **Ratings point one way.** `high` (5) is always the end you aim for: "Completely '
    'present", not "Talked all the time".',
    "- **Links.** Link to another exercise as `other-id.md` (or `other-id.md#step-2`); "
    "an unknown id is an error. Anything else takes its full `https://` address: "
    "root-relative (`/x/`) and other relative links are errors, as they break on the site.",
    "- **Old addresses.** `aliases` lists addresses the exercise had before; each gets a "
    "page that sends the reader on.",
]
_CONFIG_INTRO = [
    "A playbook's own settings live in `playbook.yml`, beside `mkdocs.yml`: who its "
    "exercises are for, how people take part, difficulty levels, the parts every "
    "exercise must have, its own sections, its licence and the words of its pages. "
    "Nothing about them is built into the engine, so another organisation's playbook "
    "changes this file, not the code.",
    "",
    "The file is checked like an exercise file (`playbook validate` reports its problems "
    "with their line and column), and its JSON Schema is published as "
    f"[playbook.schema.json](../{PUBLISHED_CONFIG_SCHEMA_PATH}).",
]


_PATHWAY_INTRO = [
    "A pathway is one YAML file in `pathways/`: exercises in an order, when each comes, "
    "why, and what happens between sessions. Its page computes the time it takes from "
    "the exercises themselves (preparation, session and follow-up, times the number of "
    "runs), and `playbook pdf` prints it as one pack. An exercise id that does not exist "
    "is an error with its line and column.",
]


def render_reference(root: type[BaseModel], settings: Settings | None = None) -> str:
    """The whole reference page for ``root`` and every model under it, front matter
    included: the exercise file of a playbook (``settings``), or its configuration."""
    docs = [document_model(model, where) for model, where in models(root)]
    if settings is not None:
        title, description, intro = (
            "Exercise file reference",
            "Every key of an exercise file, its type, default and an example.",
            [*_EXERCISE_INTRO, *_levels_text(settings)],
        )
        required = {rules.REQUIRED_PARTS.get(part, (None,))[0] for part in settings.config.require}
    elif issubclass(root, schema.Pathway):
        title, description, intro = (
            "Pathway file reference",
            "Every key of a pathway file, its type, default and an example.",
            _PATHWAY_INTRO,
        )
        required = set()
    else:
        title, description, intro = (
            "Playbook configuration reference",
            "Every key of playbook.yml, its type, default and an example.",
            _CONFIG_INTRO,
        )
        required = set()
    out = ["---", f"title: {title}", f"description: {description}", "---", "", f"# {title}", ""]
    out += [*intro, "", "## Contents", ""]
    out += [f"- [{d.heading}](#{d.anchor})" for d in docs]
    for doc in docs:
        out += ["", f"## {doc.heading}", "", _where_text(doc), ""]
        if doc.model.__doc__ and doc.model is not schema.Model:
            out += [" ".join(doc.model.__doc__.split()), ""]
        out += [
            "| key | type | required | default | description | example |",
            "|---|---|---|---|---|---|",
        ]
        for f in doc.fields:
            needed = f.required or (doc.model is root and f.name in required)
            out.append(
                f"| `{f.name}` | {_cell(f.type)} | {'required' if needed else 'optional'} "
                f"| {f.default} | {_cell(f.description)} | {f.example} |"
            )
        out += ["", "Example:", "", _yaml_block(example_of(doc.model))]
    return "\n".join(out) + "\n"


def _levels_text(settings: Settings) -> list[str]:
    levels = settings.config.difficulties
    if not levels:
        return []
    out = ["", "## Difficulty levels", ""]
    out += [f"- **{d.label}** (`{d.id}`): {d.description or ''}" for d in levels]
    return out
