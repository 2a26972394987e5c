"""The exercise file reference page: generated from the models, complete, never stale."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT, SETTINGS
from pydantic import BaseModel, Field, create_model

from playbook import config, rules, schema
from playbook.reference import (
    CONFIG_REFERENCE_PATH,
    PUBLISHED_CONFIG_SCHEMA_PATH,
    PUBLISHED_SCHEMA_PATH,
    REFERENCE_PATH,
    anchor_of,
    describe_type,
    example_of,
    heading_of,
    models,
    published_config_schema,
    published_schema,
    render_reference,
)
from playbook.render import make_environment

Exercise = SETTINGS.model


def reference_markdown() -> str:
    return render_reference(SETTINGS.model, SETTINGS)


def _sections(markdown: str) -> dict[str, str]:
    """Second-level heading → the text under it, from the contents on (the sections
    before it explain the rules)."""
    markdown = markdown[markdown.index("\n## Contents") :]
    parts = re.split(r"(?m)^## (.+)$", markdown)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _keys(section: str) -> list[str]:
    return re.findall(r"(?m)^\| `([a-z_]+)` \|", section)


def _all_models() -> set[type[BaseModel]]:
    """Every model defined in schema.py that a file can contain (not the bases)."""
    return {
        value
        for value in vars(schema).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == schema.__name__
        and value not in (schema.Model, schema.FieldBase, schema.Pathway, schema.PathwayStep)
    }


def test_every_model_has_a_section():
    reached = [model for model, _ in models(Exercise)]
    # The playbook's model narrows the base model's vocabularies: it stands in for it.
    assert set(reached) == (_all_models() - {schema.Exercise}) | {Exercise}
    assert len(reached) == len(set(reached))
    sections = _sections(reference_markdown())
    assert list(sections)[1:] == [heading_of(m) for m in reached]


_MODELS = sorted((_all_models() - {schema.Exercise}) | {Exercise}, key=lambda m: m.__name__)


@pytest.mark.parametrize("model", _MODELS, ids=str)
def test_every_field_is_listed_in_order(model):
    section = _sections(reference_markdown())[heading_of(model)]
    assert _keys(section) == list(model.model_fields)


@pytest.mark.parametrize("model", _MODELS, ids=str)
def test_every_field_is_documented(model):
    """A field without a description or an example would leave a hole in the page
    (and in editor completion): describe it in schema.py."""
    for name, info in model.model_fields.items():
        assert info.description, f"{model.__name__}.{name} has no description"
        for row in re.findall(
            rf"(?m)^\| `{name}` \|.*$", _sections(reference_markdown())[heading_of(model)]
        ):
            assert info.description.split()[0] in row


def test_rows_show_type_required_default_and_example():
    section = _sections(reference_markdown())["Step"]
    rows = {key: row for key, row in re.findall(r"(?m)^\| `([a-z_]+)` \|(.*)$", section)}
    assert "a whole number from 1 to 480" in rows["minutes"]
    assert "| optional | none |" in rows["minutes"]
    assert "| `10` |" in rows["minutes"]
    assert "a list of lines of plain text" in rows["prompts"]
    assert "| optional | empty list |" in rows["prompts"]
    assert "Markdown text" in rows["instructions"]


def test_types_are_in_plain_words():
    text = reference_markdown()
    for leak in ("typing.", "Annotated", "<class", "Literal[", "NoneType", "PydanticUndefined"):
        assert leak not in text


def test_links_between_sections_resolve():
    text = reference_markdown()
    anchors = {anchor_of(model) for model, _ in models(Exercise)} | {"contents"}
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors


def test_the_complete_example_is_a_valid_exercise():
    exercise = Exercise.model_validate(example_of(Exercise))
    assert list(rules.exercise_rules(exercise, SETTINGS)) == []


@pytest.mark.parametrize("root", [config.PlaybookConfig, SETTINGS.pathway_model], ids=str)
def test_the_configuration_and_pathway_references_cover_every_key(root):
    text = render_reference(root)
    for model, _ in models(root):
        section = _sections(text)[heading_of(model)]
        assert _keys(section) == list(model.model_fields)


def test_the_vocabularies_of_the_configuration_reach_the_reference():
    text = reference_markdown()
    for term in (*SETTINGS.config.audiences, *SETTINGS.config.formats):
        assert f"`{term.id}`" in text
    for level in SETTINGS.config.difficulties:
        assert f"**{level.label}** (`{level.id}`): {level.description}" in text


def test_describe_type():
    assert describe_type(schema.Slug) == (
        "an id: lowercase words joined by hyphens (at most 60 characters)"
    )
    fmt = Exercise.model_fields["format"].annotation
    assert describe_type(fmt) == (
        "one of `solo`, `pair`, `one-on-one`, `team` or a list of values from "
        "`solo`, `pair`, `one-on-one`, `team`"
    )
    assert describe_type(schema.Minutes).startswith("a time: a whole number of minutes")
    assert describe_type(list[schema.Line]).startswith("a list of lines of plain text")
    assert describe_type(schema.Prose | None) == "Markdown text (no raw HTML)"


def test_the_page_changes_when_the_schema_changes():
    """A new field in the models shows up on the page with no edit to the page."""
    extended = create_model(
        "Exercise",
        __base__=Exercise,
        __module__=schema.__name__,
        energy_level=(
            int,
            Field(default=3, ge=1, le=5, description="How much energy the exercise takes."),
        ),
    )
    before = render_reference(Exercise, SETTINGS)
    after = render_reference(extended, SETTINGS)
    assert "energy_level" not in before
    row = next(ln for ln in after.splitlines() if ln.startswith("| `energy_level` |"))
    assert row == (
        "| `energy_level` | a whole number from 1 to 5 | optional | `3` "
        "| How much energy the exercise takes. | `3` |"
    )
    assert _keys(_sections(after)["Exercise"]) == list(extended.model_fields)


def test_reference_is_a_generated_page():
    from playbook.generate import generate_pages

    pages = {page.path: page for page in generate_pages([], make_environment(SETTINGS))}
    assert pages[REFERENCE_PATH].content == reference_markdown()
    assert pages[CONFIG_REFERENCE_PATH].content == render_reference(config.PlaybookConfig)


def test_reference_page_in_the_built_site(built_site):
    page = built_site / "reference" / "exercise-schema" / "index.html"
    html = page.read_text(encoding="utf-8")
    for model, _ in models(Exercise):
        assert f'id="{anchor_of(model)}"' in html
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="reference/exercise-schema/"' in home
    assert 'href="contribute/"' in home


def test_the_json_schema_is_published_with_the_site(built_site):
    committed = (ROOT / "schema" / "exercise.schema.json").read_text(encoding="utf-8")
    assert published_schema(SETTINGS) == committed
    config_schema = (ROOT / PUBLISHED_CONFIG_SCHEMA_PATH).read_text(encoding="utf-8")
    assert published_config_schema() == config_schema
    assert (built_site / PUBLISHED_CONFIG_SCHEMA_PATH).read_text(encoding="utf-8") == config_schema
    published = built_site / PUBLISHED_SCHEMA_PATH
    assert published.read_text(encoding="utf-8") == committed
    html = (built_site / "reference" / "exercise-schema" / "index.html").read_text()
    assert 'href="../../schema/exercise.schema.json"' in html
