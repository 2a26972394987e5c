"""The schema: one definition, strict, and a JSON Schema that mirrors it."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sample_data import BASE, Exercise

from playbook.schema import json_schema


def test_the_json_schema_forbids_unknown_keys_everywhere():
    schema = json_schema(Exercise)
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition.get("additionalProperties") is False, name


def test_the_json_schema_requires_what_the_model_requires():
    schema = json_schema(Exercise)
    required = {name for name, f in Exercise.model_fields.items() if f.is_required()}
    assert set(schema["required"]) == required
    assert set(schema["properties"]) == set(Exercise.model_fields)


def test_the_worksheet_field_types_are_a_tagged_union():
    fields = json_schema(Exercise)["$defs"]["Worksheet"]["properties"]["fields"]["items"]
    assert set(fields["discriminator"]["mapping"]) == {"short", "long", "list", "table", "rating"}


def test_every_field_has_a_description_or_a_described_model():
    """Editors show these; the reference page is made of them."""
    schema = json_schema(Exercise)
    for name, prop in schema["properties"].items():
        assert "description" in prop or "$ref" in prop or "allOf" in prop, name


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"session": {"minutes": "twenty"}}, "duration"),
        ({"session": {"minutes": True}}, "duration"),
        ({"format": "duo"}, "literal_error"),
        ({"themes": ["Customer Meetings"]}, "string_pattern_mismatch"),
        ({"surprise": 1}, "extra_forbidden"),
        ({"title": "two\nlines"}, "not_one_line"),
        ({"purpose": "<iframe src=x>"}, "unsafe_markup"),
    ],
)
def test_the_model_refuses(change, fragment):
    with pytest.raises(ValidationError) as error:
        Exercise.model_validate({**BASE, **change})
    assert fragment in {e["type"] for e in error.value.errors()}


def test_max_score_and_people():
    exercise = Exercise.model_validate(BASE)
    assert exercise.checklist.max_score == 6
    assert exercise.checklist.max_for("session") == 5
    assert exercise.people.min == 2


@pytest.mark.parametrize(
    ("written", "low", "high", "text"),
    [
        (30, 30, 30, "30 min"),
        ("30-60", 30, 60, "30–60 min"),
        ("1-2 hours", 60, 120, "1–2 hours"),
        ("1 hour", 60, 60, "1 hour"),
        ("2–5 days", 960, 2400, "2–5 days"),
        ("varies", None, None, "varies"),
    ],
)
def test_session_times(written, low, high, text):
    minutes = Exercise.model_validate({**BASE, "session": {"minutes": written}}).session.minutes
    assert (minutes.low, minutes.high, minutes.text()) == (low, high, text)


@pytest.mark.parametrize("written", ["60-30", "0", "5 fortnights", "soon", 99999])
def test_impossible_session_times_are_refused(written):
    with pytest.raises(ValidationError):
        Exercise.model_validate({**BASE, "session": {"minutes": written}})
