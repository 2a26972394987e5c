"""messages.py: the choices a wrong value is told about come from the model's own
``Literal`` (the playbook's vocabularies), never from pydantic's English."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE, SETTINGS
from pydantic import ValidationError

from playbook import messages
from playbook.config import PlaybookConfig, load_settings
from playbook.loader import parse_exercise
from playbook.rules import REQUIRED_PARTS

RESEARCH = load_settings(Path(__file__).parent / "playbooks" / "research" / "playbook.yml")
# The sample exercise in the research playbook's words.
RESEARCH_SAMPLE = (
    SAMPLE.replace("audiences: [seller]", "audiences: [researcher]")
    .replace("format: pair", "format: alone")
    .replace("difficulty: introductory\n", "")
    .replace("themes: [listening]", "themes: [discover]")
)


def literal_errors(model, data: dict) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [e for e in caught.value.errors() if e["type"] == "literal_error"]


def exercise(settings, **changes) -> dict:
    return {**yaml.safe_load(SAMPLE if settings is SETTINGS else RESEARCH_SAMPLE), **changes}


@pytest.mark.parametrize(
    ("settings", "changes", "expected"),
    [
        (SETTINGS, {"audiences": ["seller", "nobody"]}, list(SETTINGS.audiences)),
        (SETTINGS, {"format": "pairs"}, list(SETTINGS.formats)),
        (SETTINGS, {"format": ["pair", "pairs"]}, list(SETTINGS.formats)),
        (SETTINGS, {"difficulty": "expert"}, list(SETTINGS.difficulties)),
        (RESEARCH, {"themes": ["nope"]}, ["discover", "make", "validate"]),
        (RESEARCH, {"sections": {"nope": "x"}}, ["considerations"]),
    ],
    ids=["audience", "format", "format-list", "difficulty", "theme", "section-key"],
)
def test_an_exercise_literal_names_the_playbooks_words(settings, changes, expected):
    errors = literal_errors(settings.model, exercise(settings, **changes))
    assert errors
    for error in errors:
        assert messages.choices_at(tuple(error["loc"]), settings.model) == expected, error["loc"]


def test_config_and_pathway_literals_are_read_from_their_models():
    config = yaml.safe_load((ROOT / "playbook.yml").read_text(encoding="utf-8"))
    (error,) = literal_errors(PlaybookConfig, {**config, "require": ["videos"]})
    required = [*REQUIRED_PARTS, "step-minutes"]
    assert messages.choices_at(tuple(error["loc"]), PlaybookConfig) == required
    pathway = yaml.safe_load(next((ROOT / "pathways").glob("*.yaml")).read_text(encoding="utf-8"))
    (error,) = literal_errors(SETTINGS.pathway_model, {**pathway, "audiences": ["nobody"]})
    choices = messages.choices_at(tuple(error["loc"]), SETTINGS.pathway_model)
    assert choices == list(SETTINGS.audiences)


def test_an_unknown_section_is_told_the_sections_at_its_key():
    text = RESEARCH_SAMPLE + "sections:\n  considerations: Fine.\n  considerashuns: A typo.\n"
    checked = parse_exercise(
        text.encode(), path=Path("s.yaml"), display="s.yaml", settings=RESEARCH
    )
    (problem,) = checked.problems
    assert problem.line == len(text.splitlines()) and problem.column == 3
    assert problem.message == "expected one of considerations; found the text 'considerashuns'"
    assert problem.hint == "did you mean 'considerations'?"


def test_without_the_models_choices_pydantics_text_is_not_taken_apart():
    detail = {
        "type": "literal_error",
        "loc": ("nowhere",),
        "msg": "Input should be 'a' or 'b'",
        "input": "c",
        "ctx": {"expected": "'a' or 'b'"},
    }
    message, hint = messages.explain(detail, key_path="nowhere")
    assert message == "found the text 'c', which is not one of the values allowed here"
    assert "'a'" not in message + hint
