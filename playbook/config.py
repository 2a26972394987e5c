"""A playbook's own configuration: ``playbook.yml`` beside ``mkdocs.yml``.

Everything that belongs to one playbook and not to the engine lives here: who the
exercises are for (audiences), how people take part (formats, with the head-counts
they allow), difficulty levels (or none), an optional closed list of themes, the parts
every exercise must have, the playbook's own named sections, its content licence and
the words of its pages. The file is read like an exercise file, with the same
``file:line:col`` problems, and the exercise model is narrowed to its vocabularies.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from .schema import (
    Exercise,
    Label,
    Line,
    Model,
    Pathway,
    Prose,
    Slug,
    Summary,
    Title,
    Url,
    exercise_model,
    pathway_model,
)

CONFIG_NAME = "playbook.yml"

# Parts an exercise may leave out unless its playbook requires them.
Part = Literal[
    "idea",
    "difficulty",
    "people",
    "use-when",
    "not-when",
    "worksheet",
    "checklist",
    "debrief",
    "step-minutes",
]
PrintChoice = Literal["participant", "facilitator", "none"]


class Term(Model):
    """One word of a vocabulary: its id (written in exercise files) and its label."""

    id: Slug = Field(description="What exercise files write.", examples=["seller"])
    label: Label = Field(description="What pages show.", examples=["Sellers"])
    description: Summary | None = Field(
        default=None,
        description="What it means, in one line (shown where the word is used).",
        examples=["People who sell to customers."],
    )


class Headcount(Model):
    min: int = Field(ge=1, le=500, description="Fewest people.", examples=[2])
    max: int = Field(ge=1, le=500, description="Most people.", examples=[2])


class FormatTerm(Term):
    """A format: how people take part, and how many it allows."""

    people: Headcount = Field(description="The head-counts exercises of this format may fit.")
    in_pairs: bool = Field(
        default=False,
        description="People work in pairs: an exercise that fits an odd number must say "
        "what the odd person does (`people.odd`).",
    )


class ContentLicence(Model):
    name: Title = Field(
        description="The licence of the exercises and pages.", examples=["CC BY 4.0"]
    )
    url: Url | None = Field(
        default=None,
        description="Where its text is.",
        examples=["https://creativecommons.org/licenses/by/4.0/"],
    )
    footer: Line = Field(
        description="The line at the foot of every page.",
        examples=["Exercises and pages CC BY 4.0"],
    )


class SectionTerm(Model):
    """A section of the playbook's own, which exercises fill in under `sections:`."""

    id: Slug = Field(
        description="The key exercises write under `sections:`.", examples=["considerations"]
    )
    title: Label = Field(description="The section's heading.", examples=["Considerations"])
    print: PrintChoice = Field(
        default="participant",
        description="Which printed version carries it: `participant` (both), "
        "`facilitator` (only that one) or `none`.",
    )


class PrintParts(Model):
    examples: PrintChoice = Field(default="participant", description="Where examples print.")
    resources: PrintChoice = Field(default="participant", description="Where resources print.")


class Words(Model):
    """Words of the site's pages that depend on the playbook."""

    exercise: Label = Field(default="exercise", description="What one exercise is called.")
    exercises: Label = Field(default="exercises", description="The plural.")
    catalog_intro: Prose = Field(
        default="Each one has steps and what you need to run it.",
        description="The sentence under the catalog's heading, in Markdown.",
    )
    name: Label = Field(default="Name", description="The worksheet header's name field.")
    with_whom: Label = Field(default="With", description="The worksheet header's 'with whom'.")
    date: Label = Field(default="Date", description="The worksheet header's date.")


class PlaybookConfig(Model):
    """The whole file: one playbook's vocabularies, rules and words."""

    licence: ContentLicence = Field(description="The content licence of the whole playbook.")
    audiences: list[Term] = Field(min_length=1, max_length=40, description="Who exercises are for.")
    formats: list[FormatTerm] = Field(
        min_length=1, max_length=20, description="How people take part."
    )
    difficulties: list[Term] = Field(
        default=[],
        max_length=10,
        description="Difficulty levels, easiest first; none: exercises have no difficulty.",
    )
    themes: list[Term] | None = Field(
        default=None,
        description="A closed list of themes; leave it out to let exercises name their own.",
    )
    require: list[Part] = Field(
        default=[], description="Parts every exercise of this playbook must have."
    )
    sections: list[SectionTerm] = Field(
        default=[], max_length=10, description="The playbook's own named sections."
    )
    print: PrintParts = Field(
        default_factory=PrintParts, description="Which printed version carries which part."
    )
    words: Words = Field(default_factory=Words, description="Words of the pages.")
    length_bands: list[Annotated[int, Field(ge=1, le=10_000)]] = Field(
        default=[15, 45],
        max_length=6,
        description="Where the catalog's session-length bands end, in minutes, shortest "
        "first: [15, 45] gives 15 minutes or less, 16-45 and 46 or more.",
    )


@dataclass(frozen=True)
class Settings:
    """A loaded configuration, with what is derived from it."""

    config: PlaybookConfig
    path: Path | None = None

    @functools.cached_property
    def model(self) -> type[Exercise]:
        c = self.config
        return exercise_model(
            tuple(a.id for a in c.audiences),
            tuple(f.id for f in c.formats),
            tuple(d.id for d in c.difficulties),
            tuple(t.id for t in c.themes) if c.themes is not None else None,
            tuple(s.id for s in c.sections),
        )

    @functools.cached_property
    def pathway_model(self) -> type[Pathway]:
        return pathway_model(tuple(a.id for a in self.config.audiences))

    @functools.cached_property
    def audiences(self) -> dict[str, Term]:
        return {a.id: a for a in self.config.audiences}

    @functools.cached_property
    def formats(self) -> dict[str, FormatTerm]:
        return {f.id: f for f in self.config.formats}

    @functools.cached_property
    def difficulties(self) -> dict[str, Term]:
        return {d.id: d for d in self.config.difficulties}

    @functools.cached_property
    def themes(self) -> dict[str, Term] | None:
        if self.config.themes is None:
            return None
        return {t.id: t for t in self.config.themes}

    def requires(self, part: str) -> bool:
        return part in self.config.require

    def theme_label(self, slug: str) -> str:
        if self.themes is not None and slug in self.themes:
            return self.themes[slug].label
        words = slug.replace("-", " ")
        return words[:1].upper() + words[1:]

    def people(self, ex: Exercise) -> tuple[int, int]:
        """How many people the exercise fits: its own range, or what its formats allow."""
        if ex.people is not None:
            return ex.people.min, ex.people.max
        ranges = [self.formats[f].people for f in ex.formats if f in self.formats]
        return min(r.min for r in ranges), max(r.max for r in ranges)

    def __hash__(self) -> int:
        return id(self)


class ConfigError(Exception):
    """The configuration file has problems (``problems`` says which)."""

    def __init__(self, problems: list) -> None:  # list[Problem]
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems


def find_config(start: Path) -> Path:
    """``playbook.yml`` in ``start`` (a folder) or, failing that, in its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    return start / CONFIG_NAME


def load_settings(path: Path, *, root: Path | None = None) -> Settings:
    """Read and check a configuration file; ConfigError lists every problem."""
    from .loader import load_config_file  # the loader reads every kind of file

    config, problems = load_config_file(path, root=root)
    if problems or config is None:
        raise ConfigError(problems)
    return Settings(config, path)
