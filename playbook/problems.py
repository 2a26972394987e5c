"""A problem found in an exercise file, and its two renderings."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file. ``line`` and ``column`` are 1-based."""

    path: str
    line: int = 0
    column: int = 0
    key: str = ""
    message: str = ""
    hint: str = ""

    def format(self) -> str:
        """``path:line:col: key: message`` and, on the next line, the hint."""
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def annotation(self) -> str:
        """A GitHub Actions workflow command that annotates the pull request's file."""
        props = f"file={_escape_property(self.path)}"
        if self.line:
            props += f",line={self.line},col={self.column or 1}"
        title = f"{self.key}" if self.key else "exercise"
        body = self.message + (f". Hint: {self.hint}" if self.hint else "")
        return f"::error {props},title={_escape_property(title)}::{_escape_data(body)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def in_github_actions() -> bool:
    return os.environ.get("GITHUB_ACTIONS") == "true"


def _summary(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {files} file{'s' if files != 1 else ''}."


def _text(problems: list[Problem]) -> str:
    return "\n".join([*(p.format() for p in problems), _summary(problems)])


def _github(problems: list[Problem]) -> str:
    """The text for the log, then one annotation per problem for the pull request."""
    lines = [*(p.format() for p in problems), *(p.annotation() for p in problems)]
    return "\n".join([*lines, _summary(problems)])


def _json(problems: list[Problem]) -> str:
    return json.dumps({"problems": [asdict(p) for p in problems]}, indent=2)


# Reporters by name (``playbook validate --format``), after check-jsonschema's.
REPORTERS = {"text": _text, "github": _github, "json": _json}


def report(problems: list[Problem], output_format: str = "text") -> str:
    """All problems, sorted, in one of the REPORTERS' formats (text for people)."""
    return REPORTERS[output_format](sorted(problems))
