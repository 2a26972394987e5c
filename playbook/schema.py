"""The one definition of what an exercise is.

Everything else is derived from these models: validation, the JSON Schema that
editors use for completion (``playbook schema``), and the schema reference page.
Field descriptions are written for contributors: they end up in both.

Two kinds of text:

* ``Line``: one line of plain text, shown exactly as written (never Markdown).
* ``Prose``: Markdown. Raw HTML, attribute lists and script links are refused,
  so an exercise file can never inject markup or script into the hosted site.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import typing
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

# The checks below mirror what Python-Markdown (with the site's extensions) would turn
# into markup, so that nothing a contributor writes reaches the page as HTML.

# Autolinks, which Markdown turns into <a> elements (never raw HTML): its own
# AUTOLINK_RE (http, https, ftp) and AUTOMAIL_RE (needs an "@").
# The e-mail form is narrower than Markdown's own (which also matches tags such as
# "<details/open/ontoggle=…//@x>" that its raw-HTML rule then keeps as HTML).
_AUTOLINK = re.compile(
    r"<(?:(?:[Ff]|[Hh][Tt])[Tt][Pp][Ss]?://[^<>\s\"']*|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+)>"
)
# Anything else that starts like a tag, a closing tag, a comment or a declaration.
_RAW_HTML = re.compile(r"<(?:/?[A-Za-z]|[!?])")
# In one-line text (always escaped by the templates) only a complete tag is refused.
_LINE_TAG = re.compile(r"<(?:[A-Za-z!?][^<>]*>|/)")
# Link and image destinations: inline "](dest)" and reference definitions "[x]: dest",
# wherever they stand (a definition inside a quote or a list item counts too, and its
# destination may stand on the next line).
_LINK_DEST = re.compile(r"\]\(\s*<?([^)\n]*)|\[[^\]\n]+\]:\s*<?([^\s>]+)")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_SAFE_SCHEMES = {"http", "https", "mailto"}
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f]+")
# attr_list turns "{…}" after a paragraph, heading or inline element into attributes.
_BRACE = re.compile(r"(?<!\\)\{")


def _link_scheme(destination: str) -> str | None:
    """The scheme a browser would see: entities decoded, blanks and control characters
    (which browsers drop from addresses) removed."""
    cleaned = _INVISIBLE.sub("", html.unescape(destination)).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def _find_raw_html(text: str) -> tuple[int, str, str] | None:
    """Return (offset, message, hint) for the first markup the site must not render."""
    if "<" not in text and "]" not in text and "{" not in text:
        return None  # none of the checks below can match (the common case)
    autolinks = {m.start() for m in _AUTOLINK.finditer(text)}
    for m in _RAW_HTML.finditer(text):
        if m.start() in autolinks:
            continue
        end = text.find(">", m.start())
        found = text[m.start() : end + 1 if 0 <= end - m.start() < 40 else m.start() + 12]
        return (
            m.start(),
            f"raw HTML is not allowed: found '{found}'",
            "write Markdown instead (**bold**, *italic*, [text](https://…)); "
            "for a literal '<' write '&lt;'",
        )
    for m in _LINK_DEST.finditer(text):
        destination = m.group(1) if m.group(1) is not None else m.group(2)
        scheme = _link_scheme(destination)
        if scheme is not None and scheme not in _SAFE_SCHEMES:
            return (
                m.start(),
                f"links to '{scheme}:' addresses are not allowed",
                "link to an https:// or mailto: address, or to another page of the playbook",
            )
    if m := _BRACE.search(text):
        return (
            m.start(),
            "curly braces are not allowed in Markdown text: '{…}' can set attributes on the page",
            "write \\{ and \\} for literal braces, or use other brackets",
        )
    return None


def _check_prose(text: str) -> str:
    if found := _find_raw_html(text):
        offset, message, hint = found
        raise PydanticCustomError("unsafe_markup", message, {"hint": hint, "offset": offset})
    return text


def _check_line(text: str) -> str:
    if len(text.splitlines()) > 1:  # \n, and \r, which Markdown also takes as a break
        raise PydanticCustomError(
            "not_one_line",
            "expected a single line of text, found several lines",
            {"hint": "join the lines into one sentence, or shorten it"},
        )
    # Lines are escaped wherever the playbook prints them; titles and summaries also
    # reach the theme's templates, escaped in the front matter. A complete tag is still
    # refused: it is never what a contributor meant.
    if m := _LINE_TAG.search(text):
        raise PydanticCustomError(
            "unsafe_markup",
            "raw HTML is not allowed: found '{found}'",
            {"found": m.group(0)[:40], "hint": "remove the tag", "offset": m.start()},
        )
    return text


def _line(max_length: int):  # noqa: ANN202 - an Annotated type
    """One line of plain text, blanks around it removed, at most ``max_length`` long."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_check_line),
    ]


Prose = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_prose)
]
Line = _line(300)
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]

Audience = Literal[
    "seller",
    "sales-development",
    "customer-success",
    "manager",
    "leader",
    "team",
]
Format = Literal["solo", "pair", "one-on-one", "team"]
Difficulty = Literal["introductory", "intermediate", "advanced"]


class Model(BaseModel):
    """Base for every part of an exercise: unknown keys are an error, types are strict."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Idea(Model):
    name: Line = Field(
        description="The idea this exercise trains, in a few words.",
        examples=["GYST: Get Your Stuff Together"],
    )
    credit: Prose = Field(
        description="Where the idea comes from: the person and the work, in Markdown.",
        examples=["After Tom Sant, *Persuasive Business Proposals* (1992)."],
    )


class Step(Model):
    title: Line = Field(
        description="What this step is, in a few words.", examples=["Write the one sentence"]
    )
    minutes: int = Field(ge=1, le=240, description="Minutes this step takes.", examples=[10])
    instructions: Prose = Field(
        description="What to do, in Markdown.",
        examples=["Write, in one sentence, what must be true when the meeting ends."],
    )
    prompts: list[Line] = Field(
        default=[],
        description="Questions the facilitator (or you, working alone) asks during the step.",
        examples=[["What do you want them to do afterwards?"]],
    )


class FieldBase(Model):
    id: Slug = Field(
        description="Stable id of the field. Saved answers are keyed by it: never reuse "
        "or rename an id once published.",
        examples=["meeting-goal"],
    )
    label: Line = Field(
        description="The question or instruction shown above the field.",
        examples=["What must be true when the meeting ends?"],
    )
    help: Line | None = Field(
        default=None,
        description="An optional hint shown under the label.",
        examples=["One sentence, in the customer's words."],
    )


class ShortAnswer(FieldBase):
    type: Literal["short"] = Field(description="A one-line answer.")


class LongAnswer(FieldBase):
    type: Literal["long"] = Field(description="A longer answer over several lines.")
    lines: int = Field(
        default=4, ge=2, le=20, description="Lines of writing room (on screen and in print)."
    )


class ListAnswer(FieldBase):
    type: Literal["list"] = Field(description="A numbered list of short answers.")
    items: int = Field(default=3, ge=1, le=12, description="How many items to leave room for.")


class TableAnswer(FieldBase):
    type: Literal["table"] = Field(description="A table with named columns and empty rows.")
    columns: list[Line] = Field(
        min_length=2,
        max_length=6,
        description="Column headings, left to right.",
        examples=[["Who", "What they care about", "What I will ask"]],
    )
    rows: int = Field(default=5, ge=1, le=15, description="How many empty rows to offer.")


class RatingAnswer(FieldBase):
    type: Literal["rating"] = Field(description="A rating from 1 to 5.")
    low: Line = Field(description="What 1 means.", examples=["Not at all"])
    high: Line = Field(description="What 5 means.", examples=["Completely"])


WorksheetField = Annotated[
    ShortAnswer | LongAnswer | ListAnswer | TableAnswer | RatingAnswer,
    Discriminator("type"),
]
FIELD_TYPES = tuple(
    typing.get_args(model.model_fields["type"].annotation)[0]
    for model in typing.get_args(typing.get_args(WorksheetField)[0])
)


class Worksheet(Model):
    intro: Prose | None = Field(
        default=None,
        description="Optional Markdown shown above the fields.",
        examples=["Fill this in before the meeting, in a quiet place."],
    )
    fields: list[WorksheetField] = Field(
        min_length=1, description="The fields to fill in, in order."
    )


class ChecklistItem(Model):
    id: Slug = Field(
        description="Stable id of the item. Saved ticks and scores are keyed by it: never "
        "reuse or rename an id once published.",
        examples=["wrote-the-goal"],
    )
    text: Line = Field(
        description="An observable behaviour, phrased so you can answer it honestly.",
        examples=["I wrote the meeting's goal in one sentence."],
    )
    points: int = Field(
        default=1, ge=1, le=5, description="Points for a tick (or the top of the scale)."
    )
    kind: Literal["tick", "scale"] = Field(
        default="tick",
        description="'tick': done or not, worth `points`. "
        "'scale': rate yourself from 0 to `points`.",
    )


class Band(Model):
    min: int = Field(ge=0, description="Lowest total in this band (inclusive).", examples=[0])
    max: int = Field(ge=0, description="Highest total in this band (inclusive).", examples=[1])
    label: Line = Field(description="A short name for the band.", examples=["Getting there"])
    advice: Line = Field(
        description="What to do next when your total lands in this band.",
        examples=["Run the exercise again before your next customer meeting."],
    )


class Checklist(Model):
    intro: Prose | None = Field(
        default=None,
        description="Optional Markdown shown above the items.",
        examples=["Tick what you did. Be honest: nobody else sees it."],
    )
    items: list[ChecklistItem] = Field(
        min_length=1,
        max_length=20,
        description="What to score yourself on after the exercise, in order. The maximum "
        "score is the sum of their points.",
    )
    bands: list[Band] = Field(
        min_length=1,
        description="Score bands from lowest to highest. Together they must cover every "
        "total from 0 to the maximum score, without gaps or overlaps.",
    )

    @property
    def max_score(self) -> int:
        return sum(item.points for item in self.items)


class Variation(Model):
    name: Line = Field(description="A short name for the variation.", examples=["Remote"])
    description: Prose = Field(
        description="What changes when you run it this way, in Markdown.",
        examples=["Do it on a video call with cameras on and every other window closed."],
    )


class Exercise(Model):
    """A coaching exercise: one YAML file in `exercises/`, named after its id."""

    id: Slug = Field(
        description="Stable id: lowercase words joined by hyphens. The file must be named "
        "`<id>.yaml`, and the page lives at `/exercises/<id>/`.",
        examples=["gyst-prepare"],
    )
    title: _line(80) = Field(
        description="The exercise's name, shown in the catalog, on its page and on the worksheet.",
        examples=["Get your stuff together before you speak"],
    )
    summary: _line(200) = Field(
        description="One sentence: what you will do and what you get from it.",
        examples=["Spend twenty quiet minutes deciding what you will say, why and to whom."],
    )
    updated: dt.date = Field(
        description="Date of the last meaningful change (YYYY-MM-DD); printed on worksheets.",
        examples=["2026-11-22"],
    )
    idea: Idea = Field(description="The idea this exercise trains, and where it comes from.")
    purpose: Prose = Field(
        description="Why this matters, in two or three sentences.",
        examples=["A meeting you have not prepared for is spent finding out what it is about."],
    )
    audiences: list[Audience] = Field(
        min_length=1, description="Who the exercise is for.", examples=[["seller", "manager"]]
    )
    format: Format = Field(description="How many people take part, and how.")
    minutes: int = Field(
        ge=5,
        le=480,
        description="Total time needed, in minutes. The steps must not add up to more.",
        examples=[30],
    )
    difficulty: Difficulty = Field(description="How much practice the exercise assumes.")
    themes: list[Slug] = Field(
        min_length=1,
        max_length=6,
        description="Themes, used for the catalog and tags.",
        examples=[["preparation", "customer-meetings"]],
    )
    materials: list[Line] = Field(
        default=[], description="What you need.", examples=[["This worksheet", "A pen"]]
    )
    steps: list[Step] = Field(
        min_length=1, max_length=12, description="What to do, in order, with the time for each."
    )
    worksheet: Worksheet = Field(description="What participants fill in, on screen or on paper.")
    checklist: Checklist = Field(
        description="The self-scoring checklist: items to tick and score bands with advice."
    )
    debrief: list[Line] = Field(
        min_length=1,
        description="Questions for reflection afterwards.",
        examples=[["What did you leave out of the meeting, and why?"]],
    )
    facilitator_notes: Prose | None = Field(
        default=None,
        description="Notes for whoever runs the exercise (e.g. a manager in a one-on-one). "
        "Hidden from the participant version of the worksheet.",
        examples=["Let the silence last: the first sentence is rarely the real goal."],
    )
    variations: list[Variation] = Field(
        default=[], description="Other ways to run the exercise (optional)."
    )
    related: list[Slug] = Field(
        default=[],
        description="Ids of related exercises; each must exist.",
        examples=[["listen-to-the-end"]],
    )

    @property
    def people(self) -> str:
        return PEOPLE[self.format]


PEOPLE = {"solo": "1", "pair": "2", "one-on-one": "2", "team": "3 to 12"}

FORMAT_LABELS = {
    "solo": "Solo",
    "pair": "Pair",
    "one-on-one": "One-on-one",
    "team": "Team",
}
AUDIENCE_LABELS = {
    "seller": "Sellers",
    "sales-development": "Sales development",
    "customer-success": "Customer success",
    "manager": "Managers",
    "leader": "Leaders",
    "team": "Whole teams",
}
DIFFICULTY_LABELS = {
    "introductory": "Introductory",
    "intermediate": "Intermediate",
    "advanced": "Advanced",
}


def json_schema() -> dict:
    """The JSON Schema editors use (via `# yaml-language-server: $schema=…`)."""
    schema = Exercise.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
