"""The playbook command, through click's CliRunner."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE, SETTINGS

from playbook.cli import main
from playbook.schema import json_schema


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "exercises").mkdir()
    shutil.copy(ROOT / "playbook.yml", tmp_path / "playbook.yml")
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_reports_ok(workdir):
    (workdir / "exercises" / "sample.yaml").write_text(SAMPLE)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output == "1 exercise file OK.\n"


def test_validate_prints_every_problem_and_exits_1_without_traceback(workdir):
    (workdir / "exercises" / "sample.yaml").write_text(
        SAMPLE.replace("session: {minutes: 20}", "session: {minutes: lots}")
    )
    (workdir / "exercises" / "bad.yaml").write_text("id: bad\n\ttitle: x\n")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "exercises/bad.yaml:2:1: a tab character is used for indentation",
        "    hint: YAML indents with spaces only: replace the tab with spaces (2 per level)",
        "exercises/sample.yaml:12:20: session.minutes: expected a time: a number of "
        "minutes, a range or 'varies'",
        "    hint: for example 30, '30-60', '1-2 hours' or 'varies' (then say why in 'note')",
        "2 problems in 2 files.",
    ]
    assert "Traceback" not in result.output


def test_validate_one_file_checks_related_ids_against_its_neighbours(workdir):
    (workdir / "exercises" / "sample.yaml").write_text(
        SAMPLE.replace("related: []", "related: [other]")
    )
    (workdir / "exercises" / "other.yaml").write_text(
        SAMPLE.replace("id: sample", "id: other").replace("format: pair", "format: x")
    )
    result = run("validate", "exercises/sample.yaml")
    assert result.exit_code == 0, result.output  # other.yaml's own problem is not reported here
    result = run("validate", "exercises/other.yaml")
    assert result.exit_code == 1
    assert "exercises/other.yaml:11:9: format:" in result.stderr


def test_validate_prints_annotations_in_github_actions(workdir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (workdir / "exercises" / "sample.yaml").write_text(
        SAMPLE.replace("format: pair", "format: duo")
    )
    result = run("validate")
    assert result.exit_code == 1
    assert (
        "::error file=exercises/sample.yaml,line=11,col=9,title=format::expected one of"
        in result.stderr
    )


def test_validate_format_chooses_the_reporter_whatever_the_environment(workdir, monkeypatch):
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    (workdir / "exercises" / "sample.yaml").write_text(
        SAMPLE.replace("format: pair", "format: duo")
    )
    text = run("validate", "--format", "text")
    assert text.exit_code == 1
    assert "exercises/sample.yaml:11:9: format: expected one of" in text.stderr
    assert "::error" not in text.stderr
    as_json = run("validate", "--format", "json")
    assert as_json.exit_code == 1
    (problem,) = json.loads(as_json.stdout)["problems"]
    assert (problem["path"], problem["line"], problem["column"], problem["key"]) == (
        "exercises/sample.yaml",
        11,
        9,
        "format",
    )
    assert problem["message"].startswith("expected one of") and problem["hint"]
    monkeypatch.delenv("GITHUB_ACTIONS")
    assert "::error" in run("validate", "--format", "github").stderr
    assert run("validate", "--format", "xml").exit_code == 2


def test_validate_a_missing_path_is_a_usage_error(workdir):
    result = run("validate", "nope.yaml")
    assert result.exit_code == 2
    assert "Path 'nope.yaml' does not exist" in result.output


def test_validate_without_a_configuration_says_where_it_looked(workdir):
    (workdir / "playbook.yml").unlink()
    (workdir / "exercises" / "sample.yaml").write_text(SAMPLE)
    result = run("validate", "--config", "missing.yml")
    assert result.exit_code == 1
    assert result.stderr.startswith("missing.yml: cannot read the playbook's configuration")
    assert "Traceback" not in result.output


def test_validate_reports_problems_in_the_configuration_with_their_place(workdir):
    text = (workdir / "playbook.yml").read_text().replace("  - id: solo\n", "  - id: Solo Work\n")
    (workdir / "playbook.yml").write_text(text)
    result = run("validate")
    assert result.exit_code == 1
    line = text.splitlines().index("  - id: Solo Work") + 1
    assert result.stderr.startswith(f"playbook.yml:{line}:9: formats[0].id: expected an id")


def test_new_writes_a_valid_exercise_and_never_overwrites(workdir):
    result = run("new", "listen-well")
    assert result.exit_code == 0, result.output
    path = workdir / "exercises" / "listen-well.yaml"
    assert path.read_text().startswith("# yaml-language-server: $schema=")
    assert "playbook validate exercises/listen-well.yaml" in result.output
    assert run("validate").exit_code == 0
    path.write_text(path.read_text() + "# my edits\n")
    again = run("new", "listen-well")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert path.read_text().endswith("# my edits\n")


def test_new_refuses_an_invalid_id_with_a_suggestion(workdir):
    result = run("new", "Listen Well!")
    assert result.exit_code == 2
    assert "e.g. 'listen-well'" in result.output
    assert not list((workdir / "exercises").iterdir())


def test_schema_writes_and_checks(workdir):
    target = workdir / "schema" / "exercise.schema.json"
    assert run("schema", "--check", "--output", str(target)).exit_code == 1
    assert run("schema", "--output", str(target)).exit_code == 0
    assert (workdir / "schema" / "playbook.schema.json").is_file()
    assert json.loads(target.read_text()) == json_schema(SETTINGS.model)
    assert run("schema", "--check", "--output", str(target)).exit_code == 0
    target.write_text(target.read_text().replace('"title"', '"titel"', 1))
    stale = run("schema", "--check", "--output", str(target))
    assert stale.exit_code == 1
    assert "out of date" in stale.output


def test_committed_json_schema_is_up_to_date():
    committed = json.loads((ROOT / "schema" / "exercise.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(SETTINGS.model), "run 'playbook schema' and commit the result"


def test_generate_writes_markdown_for_any_engine(workdir):
    (workdir / "exercises" / "sample.yaml").write_text(SAMPLE)
    result = run("generate", "out")
    assert result.exit_code == 0, result.output
    assert (
        (workdir / "out" / "exercises" / "sample.md")
        .read_text()
        .startswith("---\ntitle: A sample exercise")
    )
    assert (workdir / "out" / "exercises" / "index.md").exists()
    assert (workdir / "out" / "themes" / "listening.md").exists()


def test_generate_refuses_invalid_exercises(workdir):
    (workdir / "exercises" / "sample.yaml").write_text("- a list\n")
    result = run("generate", "out")
    assert result.exit_code == 1
    assert not (workdir / "out").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["new", "x" * 61], "id: expected at most 60 characters"),
        (["new", "long-title", "--title", "T" * 81], "title: expected at most 80 characters"),
        (["new", "tagged", "--title", "Hello <b>there</b>"], "raw HTML is not allowed"),
    ],
)
def test_new_never_writes_a_file_that_would_not_validate(workdir, args, fragment):
    result = run(*args)
    assert result.exit_code == 2
    assert fragment in result.output
    assert not list((workdir / "exercises").iterdir())
