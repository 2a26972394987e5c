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

import copy
import datetime as dt
import functools
import html
import re
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
    create_model,
)
from pydantic.fields import FieldInfo
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
# HTML comments are allowed (converters of other playbooks leave them, and they never
# reach a page: the sanitizer drops them). Only a well-formed, closed one counts.
_COMMENT = re.compile(r"<!--(?!-?>)[\s\S]*?-->")
# Anything else that starts like a tag, a closing tag, a comment or a declaration.
_RAW_HTML = re.compile(r"<(?:/?[A-Za-z]|[!?])")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)")
# Tags other playbooks wrap Markdown in; the text inside them is Markdown already.
_WRAPPERS = frozenset({"section", "div", "article", "aside", "span", "main", "header", "footer"})
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
# A link to another exercise, as contributors write it: `other-id.md` or
# `other-id.md#anchor`; the generator resolves it to that exercise's page.
EXERCISE_LINK = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[A-Za-z0-9_\-]*)?$")
_TEMPLATE_VARIABLE = re.compile(r"\{\{|\{%|%7B%7B", re.IGNORECASE)
_OTHER_PAGES = (
    "link to another exercise as other-id.md (or other-id.md#step-2), "
    "to anything else with its full https:// address"
)

# (offset in the text, message, hint)
Finding = tuple[int, str, str]


def _link_scheme(destination: str) -> str | None:
    """The scheme a browser would see: entities decoded, blanks and control characters
    (which browsers drop from addresses) removed."""
    cleaned = _INVISIBLE.sub("", html.unescape(destination)).lower()
    match = _SCHEME.match(cleaned)
    return match.group(1) if match else None


def find_markup_problems(text: str) -> list[Finding]:
    """Every piece of markup in Markdown text that the site must not render, and every
    link that would break on the site: all of them, not only the first."""
    if "<" not in text and "]" not in text and "{" not in text:
        return []  # none of the checks below can match (the common case)
    comments = [m.span() for m in _COMMENT.finditer(text)]
    visible = _blank_out(text, comments)  # comments are dropped: nothing in them counts
    findings = _raw_html(visible)
    links = _link_problems(visible)
    findings += links
    in_links = [(m.start(), m.end()) for m in _LINK_DEST.finditer(visible)]
    reported = {offset for offset, _, _ in links}
    for m in _BRACE.finditer(visible):
        inside = any(a <= m.start() < b and a in reported for a, b in in_links)
        if not inside:
            findings.append(
                (
                    m.start(),
                    "curly braces are not allowed in Markdown text: "
                    "'{…}' can set attributes on the page",
                    "write \\{ and \\} for literal braces, or use other brackets",
                )
            )
    return sorted(findings)


def _blank_out(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with each span replaced by spaces (offsets stay where they were)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _raw_html(text: str) -> list[Finding]:
    autolinks = {m.start() for m in _AUTOLINK.finditer(text)}
    findings = []
    opened: set[str] = set()  # an element is told once, at its opening tag
    for m in _RAW_HTML.finditer(text):
        if m.start() in autolinks:
            continue
        end = text.find(">", m.start())
        found = text[m.start() : end + 1 if 0 <= end - m.start() < 40 else m.start() + 12]
        name = _TAG_NAME.match(text, m.start())
        if name and text.startswith("</", m.start()) and name.group(1).lower() in opened:
            continue
        if name:
            opened.add(name.group(1).lower())
        if name and name.group(1).lower() in _WRAPPERS:
            tag = name.group(1).lower()
            findings.append(
                (
                    m.start(),
                    f"a <{tag}> wrapper is not needed here: found '{found}'",
                    f"delete the <{tag}> and </{tag}> tags; the Markdown between them "
                    "stays as it is",
                )
            )
        elif text.startswith("<!--", m.start()):
            findings.append(
                (
                    m.start(),
                    "this HTML comment is not closed",
                    "end it with '-->', or delete it (comments never reach the page)",
                )
            )
        else:
            findings.append(
                (
                    m.start(),
                    f"raw HTML is not allowed: found '{found}'",
                    "write Markdown instead (**bold**, *italic*, [text](https://…)); "
                    "for a literal '<' write '&lt;'",
                )
            )
    return findings


def _link_problems(text: str) -> list[Finding]:
    findings = []
    for m in _LINK_DEST.finditer(text):
        destination = (m.group(1) if m.group(1) is not None else m.group(2)).strip()
        if _link_scheme(destination) is None:  # a title after the address: "x.md 'Title'"
            destination = destination.split()[0].rstrip(">") if destination else ""
        if problem := link_problem(destination):
            findings.append((m.start(), *problem))
    return findings


def link_problem(destination: str) -> tuple[str, str] | None:
    """(message, hint) when a link's destination is unsafe or would break on the site."""
    scheme = _link_scheme(destination)
    if scheme is not None:
        if scheme in _SAFE_SCHEMES:
            return None
        return (
            f"links to '{scheme}:' addresses are not allowed",
            "link to an https:// or mailto: address, or to another exercise as other-id.md",
        )
    if not destination or destination.startswith("#") or EXERCISE_LINK.match(destination):
        return None
    if _TEMPLATE_VARIABLE.search(destination):
        return (
            f"'{destination[:40]}' holds a template variable of another site engine, "
            "which this site does not fill in",
            _OTHER_PAGES,
        )
    if destination.startswith(("/", "\\")):
        return (
            f"the root-relative link '{destination[:40]}' breaks when the site is not "
            "served at the top of its domain",
            _OTHER_PAGES,
        )
    return (
        f"the relative link '{destination[:40]}' does not lead anywhere from an exercise page",
        _OTHER_PAGES,
    )


def _check_prose(text: str) -> str:
    if findings := find_markup_problems(text):
        offset, message, hint = findings[0]
        raise PydanticCustomError(
            "unsafe_markup", message, {"hint": hint, "offset": offset, "findings": findings}
        )
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


def _at_most(max_length: int) -> StringConstraints:
    """Text with the blanks around it removed, not empty, at most ``max_length`` long."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


_ONE_LINE = AfterValidator(_check_line)

Prose = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_check_prose)
]
# One line of plain text; these differ only in their greatest length. Each is a plain
# ``Annotated`` alias (no call builds the type), so a type checker reads it as ``str``.
Line = Annotated[str, _at_most(300), _ONE_LINE]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
Title = Annotated[str, _at_most(80), _ONE_LINE]
Label = Annotated[str, _at_most(60), _ONE_LINE]
Summary = Annotated[str, _at_most(200), _ONE_LINE]


class Described:
    """How the reference page names a type whose validator is a plain function."""

    def __init__(self, text: str) -> None:
        self.text = text


def _check_url(text: str) -> str:
    if EXERCISE_LINK.match(text) or re.match(r"^(https?://[^\s]+|mailto:[^\s]+)$", text):
        return text
    raise PydanticCustomError(
        "url",
        "expected an https:// address (or another exercise as other-id.md)",
        {"hint": "write the full address, starting with https://"},
    )


Url = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), AfterValidator(_check_url)
]

ALIAS_PATTERN = r"^/?[A-Za-z0-9_~][A-Za-z0-9._~-]*(/[A-Za-z0-9_~][A-Za-z0-9._~-]*)*/?$"


def _check_alias(text: str) -> str:
    if not re.match(ALIAS_PATTERN, text) or any(part in ("..", ".") for part in text.split("/")):
        raise PydanticCustomError(
            "alias",
            "expected an address inside the site, such as 'methods/old-name/'",
            {
                "hint": "write the old address's path without the domain: letters, digits, "
                "'-', '_' and '.' between slashes"
            },
        )
    return text.strip("/") + ("/" if not text.rstrip("/").endswith(".html") else "")


Alias = Annotated[str, StringConstraints(max_length=200), AfterValidator(_check_alias)]


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
    minutes: int | None = Field(
        default=None,
        ge=1,
        le=480,
        description="Minutes this step takes. The session's minutes are the sum of its "
        "steps' (a playbook can require every step to have them: `require: [step-minutes]`).",
        examples=[10],
    )
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
    low: Line = Field(
        description="What 1 means: the end you move away from.", examples=["Not at all"]
    )
    high: Line = Field(
        description="What 5 means: always the end you aim for, so every rating of the "
        "playbook points the same way.",
        examples=["Completely"],
    )


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
    when: Literal["session", "follow-up"] = Field(
        default="session",
        description="When it can be ticked: `session` (by the end of the session) or "
        "`follow-up` (only after the follow-up; the exercise must then have a `follow_up`).",
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

    def max_for(self, when: str) -> int:
        """The most that can be scored with the items ticked at ``when``."""
        return sum(item.points for item in self.items if item.when == when)

    def reachable_totals(self, when: tuple[str, ...] = ("session", "follow-up")) -> set[int]:
        """Every total the items ticked at ``when`` can add up to (a tick gives its points
        or nothing; a scale anything from 0 to its points)."""
        totals = {0}
        for item in self.items:
            if item.when in when:
                steps = range(item.points + 1) if item.kind == "scale" else (0, item.points)
                totals = {t + s for t in totals for s in steps}
        return totals


class Variation(Model):
    name: Line = Field(description="A short name for the variation.", examples=["Remote"])
    description: Prose = Field(
        description="What changes when you run it this way, in Markdown.",
        examples=["Do it on a video call with cameras on and every other window closed."],
    )


@dataclass(frozen=True)
class Duration:
    """A length of time as an exercise states it: exact (``30``), a range (``30-60``),
    in hours or days (``1-2 hours``, ``2-5 days``), or ``varies``. ``low`` and ``high``
    are in minutes (a day counts as a working day of 8 hours)."""

    low: int | None
    high: int | None
    unit: str = "min"
    written: str = ""

    @property
    def varies(self) -> bool:
        return self.low is None

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high

    def text(self) -> str:
        """``30 min``, ``30–60 min``, ``1–2 hours``, ``varies``."""
        if self.low is None or self.high is None:
            return "varies"
        size = _UNIT_MINUTES[self.unit]
        low, high = self.low // size, self.high // size
        amount = f"{low}" if low == high else f"{low}–{high}"
        unit = self.unit
        if unit != "min" and high == 1:
            unit = unit.removesuffix("s")
        return f"{amount} {unit}"

    def __str__(self) -> str:
        return self.written


_UNIT_MINUTES = {"min": 1, "hours": 60, "days": 480}
_UNIT_WORDS = {
    "": "min",
    "m": "min",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "hour": "hours",
    "hours": "hours",
    "d": "days",
    "day": "days",
    "days": "days",
}
_DURATION = re.compile(r"^(\d{1,4})(?:\s*(?:-|–|to)\s*(\d{1,4}))?\s*([a-z]*)$")
MAX_SESSION_MINUTES = 10 * 480


def parse_duration(value: object) -> Duration:
    """``30``, ``"30-60"``, ``"1-2 hours"``, ``"varies"`` → a Duration, or a
    PydanticCustomError that says what is accepted."""
    if isinstance(value, int) and not isinstance(value, bool):
        low = high = value
        unit = "min"
    elif isinstance(value, str) and value.strip().lower() == "varies":
        return Duration(None, None, "min", "varies")
    elif isinstance(value, str) and (m := _DURATION.match(value.strip().lower())):
        unit = _UNIT_WORDS.get(m.group(3))
        if unit is None:
            raise PydanticCustomError(
                "duration_unit",
                "unknown unit '{unit}' in this time",
                {"unit": m.group(3), "hint": "write minutes, hours or days, e.g. '1-2 hours'"},
            )
        size = _UNIT_MINUTES[unit]
        low = int(m.group(1)) * size
        high = int(m.group(2) or m.group(1)) * size
    else:
        raise PydanticCustomError(
            "duration",
            "expected a time: a number of minutes, a range or 'varies'",
            {"hint": "for example 30, '30-60', '1-2 hours' or 'varies' (then say why in 'note')"},
        )
    if low < 1 or high > MAX_SESSION_MINUTES or low > high:
        raise PydanticCustomError(
            "duration_range",
            "expected from 1 minute to 10 working days, the lower number first",
            {
                "hint": "for longer work, give the working time here and the calendar time "
                "in 'elapsed' (e.g. elapsed: 1-4 weeks)"
            },
        )
    return Duration(low, high, unit, str(value))


Minutes = Annotated[
    Duration,
    PlainValidator(parse_duration),
    PlainSerializer(str),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_SESSION_MINUTES},
                {"type": "string", "pattern": r"^\s*\d+(\s*(-|–|to)\s*\d+)?\s*[A-Za-z]*\s*$"},
                {"const": "varies"},
            ]
        }
    ),
    Described(
        "a time: a whole number of minutes (`30`), a range (`30-60`), hours or days "
        "(`1-2 hours`, `2-5 days`), or `varies`"
    ),
]


class Prep(Model):
    """What happens before the session, by whoever runs it or takes part."""

    minutes: int | None = Field(
        default=None, ge=1, le=480, description="Minutes the preparation takes.", examples=[10]
    )
    what: Prose = Field(
        description="What to prepare, in Markdown.",
        examples=["Choose a real customer meeting in the coming week."],
    )
    checklist: list[Line] = Field(
        default=[],
        max_length=8,
        description="What to have ready, as a list the facilitator ticks on the run-sheet.",
        examples=[["One printed worksheet per person", "A timer"]],
    )


class Session(Model):
    """The session itself: the time the steps take."""

    minutes: Minutes = Field(
        description="How long the session takes. With timed steps, exactly their sum "
        "(or a range that holds it).",
        examples=[10],
    )
    per: Label | None = Field(
        default=None,
        description="When the time is for each of something, what that is.",
        examples=["interviewee"],
    )
    elapsed: Label | None = Field(
        default=None,
        description="Calendar time the whole method spans, beside the working time.",
        examples=["1-4 weeks"],
    )
    note: Summary | None = Field(
        default=None,
        description="A word on the time; required when the minutes are `varies` (say why).",
        examples=["Depends on how many people you interview."],
    )


class FollowUp(Model):
    """What happens after the session, and by when."""

    within_days: int | None = Field(
        default=None, ge=1, le=120, description="Do it within this many days.", examples=[7]
    )
    minutes: int | None = Field(
        default=None, ge=1, le=480, description="Minutes the follow-up takes.", examples=[15]
    )
    what: Prose = Field(
        description="What to do afterwards, in Markdown.",
        examples=["Hold the meeting, then score the follow-up items."],
    )


class People(Model):
    """How many people the exercise fits."""

    min: int = Field(ge=1, le=500, description="Fewest people.", examples=[2])
    max: int = Field(ge=1, le=500, description="Most people.", examples=[12])
    odd: Summary | None = Field(
        default=None,
        description="For work in pairs: what to do with an odd number (what a third person does).",
        examples=["Make one group of three: the third person observes and keeps time."],
    )


class Example(Model):
    title: Line = Field(description="What the example shows.", examples=["A sales team's run"])
    text: Prose = Field(
        description="The example, in Markdown.",
        examples=["A team of six ran it before a renewal and found two open questions."],
    )


class Resource(Model):
    title: Line = Field(description="The resource's name.", examples=["A guide to consent"])
    url: Url | None = Field(
        default=None,
        description="Its address (https://…), or another exercise as other-id.md.",
        examples=["https://example.org/guide"],
    )
    note: Line | None = Field(
        default=None,
        description="Why it is worth reading.",
        examples=["Two pages, with a form to adapt."],
    )


class Licence(Model):
    name: Title = Field(description="The licence's name.", examples=["CC BY 4.0"])
    url: Url | None = Field(
        default=None,
        description="Where the licence's text is.",
        examples=["https://creativecommons.org/licenses/by/4.0/"],
    )


Answer = Annotated[
    str | int | list[str] | list[list[str]],
    Described(
        "an answer shaped like its field: text (short, long), a list of texts (list), "
        "a list of rows, each a list of texts (table), or a number from 1 to 5 (rating)"
    ),
]


class WorkedExample(Model):
    """A filled-in worksheet showing what a good answer looks like. The person and the
    customer are fictional and say so."""

    who: Summary = Field(
        description="Who filled it in, and for what: a fictional person and customer, "
        "labelled as fictional.",
        examples=[
            "Priya, a fictional account executive, before a renewal call with a "
            "fictional customer, Northwind Dental"
        ],
    )
    answers: dict[Slug, Answer] = Field(
        min_length=1,
        description="Answers by worksheet field id, each shaped like its field.",
        examples=[{"meeting-goal": "They agree to a pilot in two clinics by March."}],
    )
    note: Prose | None = Field(
        default=None,
        description="What makes these answers good, in Markdown.",
        examples=["The goal names a decision the customer makes, not a topic."],
    )


class Exercise(Model):
    """A coaching exercise: one YAML file in `exercises/`, named after its id."""

    id: Slug = Field(
        description="Stable id: lowercase words joined by hyphens. The file must be named "
        "`<id>.yaml`, and the page lives at `/exercises/<id>/`.",
        examples=["gyst-prepare"],
    )
    title: Title = Field(
        description="The exercise's name, shown in the catalog, on its page and on the worksheet.",
        examples=["Get your stuff together before you speak"],
    )
    summary: Summary = Field(
        description="One sentence: what you will do and what you get from it.",
        examples=["Spend twenty quiet minutes deciding what you will say, why and to whom."],
    )
    updated: dt.date = Field(
        description="Date of the last meaningful change (YYYY-MM-DD); printed on worksheets.",
        examples=["2026-11-22"],
    )
    idea: Idea | None = Field(
        default=None, description="The idea this exercise trains, and where it comes from."
    )
    purpose: Prose = Field(
        description="Why this matters, in two or three sentences.",
        examples=["A meeting you have not prepared for is spent finding out what it is about."],
    )
    audiences: list[Slug] = Field(
        min_length=1, description="Who the exercise is for.", examples=[["seller", "manager"]]
    )
    format: Slug | list[Slug] = Field(
        description="How people take part: one format, or a list when several work.",
        examples=["pair"],
    )
    people: People | None = Field(
        default=None,
        description="How many people it fits (default: what its format allows).",
    )
    use_when: list[Line] = Field(
        default=[],
        max_length=3,
        description="When to use it: one to three short lines.",
        examples=[["Before a customer meeting that matters"]],
    )
    not_when: list[Line] = Field(
        default=[],
        max_length=3,
        description="When not to use it: one to three short lines.",
        examples=[["In the five minutes before the call: there is no time to change the plan"]],
    )
    difficulty: Slug | None = Field(
        default=None, description="How much practice the exercise assumes."
    )
    themes: list[Slug] = Field(
        min_length=1,
        max_length=6,
        description="Themes, used for the catalog and tags.",
        examples=[["preparation", "customer-meetings"]],
    )
    prep: Prep | None = Field(default=None, description="What happens before the session.")
    session: Session = Field(description="The session: how long its steps take.")
    follow_up: FollowUp | None = Field(
        default=None, description="What happens after the session, and by when."
    )
    materials: list[Line] = Field(
        default=[], description="What you need.", examples=[["This worksheet", "A pen"]]
    )
    steps: list[Step] = Field(
        min_length=1, max_length=12, description="What to do, in order, with the time for each."
    )
    worksheet: Worksheet | None = Field(
        default=None, description="What participants fill in, on screen or on paper."
    )
    checklist: Checklist | None = Field(
        default=None,
        description="The self-scoring checklist: items to tick and score bands with advice.",
    )
    debrief: list[Line] = Field(
        default=[],
        description="Questions for reflection afterwards.",
        examples=[["What did you leave out of the meeting, and why?"]],
    )
    worked_example: WorkedExample | None = Field(
        default=None,
        description="A filled-in example of the worksheet (optional; needs a worksheet).",
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
    examples: list[Example] = Field(
        default=[], description="Examples of the exercise in use (optional)."
    )
    resources: list[Resource] = Field(
        default=[], description="Further reading or tools (optional)."
    )
    sections: dict[Slug, Prose] = Field(
        default={},
        description="The playbook's own sections (named in playbook.yml), in Markdown.",
        examples=[{}],
    )
    related: list[Slug] = Field(
        default=[],
        description="Ids of related exercises; each must exist.",
        examples=[["listen-to-the-end"]],
    )
    aliases: list[Alias] = Field(
        default=[],
        max_length=10,
        description="Old addresses of this exercise (e.g. `decide/personas/`); each gets a "
        "page that sends readers here.",
        examples=[["methods/old-name/"]],
    )
    licence: Licence | None = Field(
        default=None,
        description="This exercise's licence, when it differs from the playbook's.",
    )
    draft: bool = Field(
        default=False,
        description="Still being written: the page is built and says so, and the "
        "library's completeness tests wait until you remove this line.",
    )

    @property
    def formats(self) -> tuple[str, ...]:
        return (self.format,) if isinstance(self.format, str) else tuple(self.format)


class PathwayStep(Model):
    """One stop on a pathway: an exercise, when it comes and why."""

    exercise: Slug = Field(description="The exercise's id.", examples=["gyst-prepare"])
    when: Label = Field(description="When in the pathway it comes.", examples=["Week 1"])
    why: Summary = Field(
        description="Why it comes at this point, in one line.",
        examples=["A real meeting in the first week makes the habit useful at once."],
    )
    times: int = Field(
        default=1,
        ge=1,
        le=52,
        description="How many times it runs in the pathway (e.g. once per report).",
        examples=[1],
    )
    between: Prose | None = Field(
        default=None,
        description="What happens between this session and the next, in Markdown.",
        examples=["Hold the meeting you prepared and note what changed."],
    )


class Pathway(Model):
    """A pathway: exercises in an order, one YAML file in `pathways/`."""

    id: Slug = Field(
        description="Stable id; the file is named `<id>.yaml`.", examples=["first-90-days"]
    )
    title: Title = Field(
        description="The pathway's name.", examples=["A new seller's first 90 days"]
    )
    summary: Summary = Field(
        description="One sentence: who it is for and what it builds.",
        examples=["Ten sessions that take a new seller from a first meeting to a full week."],
    )
    audiences: list[Slug] = Field(min_length=1, description="Who it is for.", examples=[["seller"]])
    period: Label | None = Field(
        default=None,
        description="The stretch of time it covers, when it repeats (shown as hours per period).",
        examples=["month"],
    )
    intro: Prose = Field(
        description="What the pathway does and how to use it, in Markdown.",
        examples=["Run one session a week; the follow-ups happen in your real meetings."],
    )
    steps: list[PathwayStep] = Field(
        min_length=2, max_length=30, description="The exercises, in order."
    )


def pathway_model(audiences: tuple[str, ...]) -> type[Pathway]:
    """The pathway model of one playbook: its audiences in place of free ids."""
    return _pathway_model(audiences)


@functools.lru_cache(maxsize=8)
def _pathway_model(audiences: tuple[str, ...]) -> type[Pathway]:
    info = copy.copy(Pathway.model_fields["audiences"])
    annotation = list[Literal[audiences]]  # type: ignore[valid-type]
    info.annotation = annotation
    return create_model(
        "Pathway",
        __base__=Pathway,
        __doc__=Pathway.__doc__,
        __module__=__name__,
        audiences=(annotation, info),
    )


def exercise_model(
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    difficulties: tuple[str, ...],
    themes: tuple[str, ...] | None,
    sections: tuple[str, ...],
) -> type[Exercise]:
    """The exercise model of one playbook: the vocabularies of its configuration in
    place of free ids, so validation, the JSON Schema and the reference page name the
    words it allows. (Rules that need the configuration's other settings are in
    ``rules.py``.)"""
    return _exercise_model(audiences, formats, difficulties, themes, sections)


@functools.lru_cache(maxsize=16)
def _exercise_model(audiences, formats, difficulties, themes, sections) -> type[Exercise]:
    base = Exercise.model_fields

    def narrowed(name: str, annotation: Any) -> tuple[Any, FieldInfo]:
        info = copy.copy(base[name])
        info.annotation = annotation
        return annotation, info

    audience = Literal[audiences]  # type: ignore[valid-type]
    fmt = Literal[formats]  # type: ignore[valid-type]
    fields: dict[str, Any] = {
        "audiences": narrowed("audiences", list[audience]),
        "format": narrowed("format", fmt | list[fmt]),
    }
    if difficulties:
        fields["difficulty"] = narrowed("difficulty", Literal[difficulties] | None)  # type: ignore[valid-type]
    else:
        info = copy.copy(base["difficulty"])
        info.annotation = type(None)
        info.description = "This playbook has no difficulty levels: leave it out."
        fields["difficulty"] = (type(None), info)
    if themes is not None:
        fields["themes"] = narrowed("themes", list[Literal[themes]])  # type: ignore[valid-type]
    if sections:
        fields["sections"] = narrowed("sections", dict[Literal[sections], Prose])  # type: ignore[valid-type]
        fields["sections"][1].examples = [{sections[0]: "What to keep in mind, in Markdown."}]
    return create_model(
        "Exercise", __base__=Exercise, __doc__=Exercise.__doc__, __module__=__name__, **fields
    )


# -- Reading the models' annotations ------------------------------------------------
# The one walker of the models' types: the reference page (reference.py), the messages
# (messages.py) and the rules (rules.py) all read a field's type through these.


def split_annotated(annotation: Any) -> tuple[Any, list[Any]]:
    """``Annotated[X, a, b]`` → (X, [a, b]), through nested Annotated."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is Annotated:
        annotation, *extra = typing.get_args(annotation)
        metadata = [*metadata, *extra]
    return annotation, metadata


def union_members(annotation: Any) -> list[Any]:
    """The members of a union (``X | Y``, ``X | None``), or ``[annotation]`` itself."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return list(typing.get_args(annotation))
    return [annotation]


def bare_type(annotation: Any) -> Any:
    """The type without its Annotated metadata and without ``| None``."""
    annotation, _ = split_annotated(annotation)
    members = [m for m in union_members(annotation) if m is not type(None)]
    if len(members) == 1 and members[0] is not annotation:
        return bare_type(members[0])
    return annotation


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def json_schema(model: type[BaseModel] = Exercise) -> dict:
    """The JSON Schema editors use (via `# yaml-language-server: $schema=…`)."""
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
    }
