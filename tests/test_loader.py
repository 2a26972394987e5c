"""The loader: valid files load, problems carry positions, caches skip unchanged files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from playbook.loader import load_file, load_library
from playbook.problems import Problem, report

GOLDEN_BASE = Path(__file__).parent / "golden" / "bands-gap" / "sample.yaml"
SAMPLE = GOLDEN_BASE.read_text(encoding="utf-8").replace("    - min: 3", "    - min: 2")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads_into_an_exercise(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE)
    library = load_library([tmp_path], root=tmp_path)
    assert library.ok, report(library.problems)
    (exercise,) = library.exercises
    assert exercise.id == "sample"
    assert exercise.checklist.max_score == 3
    assert [f.type for f in exercise.worksheet.fields] == ["long", "rating"]


def test_every_shipped_exercise_is_valid():
    root = Path(__file__).resolve().parent.parent
    library = load_library([root / "exercises"], root=root)
    assert library.ok, report(library.problems)
    assert len(library.exercises) >= 3


def test_problems_from_all_files_are_reported_together(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE.replace("minutes: 20", "minutes: x"))
    write(
        tmp_path,
        "other.yaml",
        SAMPLE.replace("id: sample", "id: other").replace("format: pair", "format: duo"),
    )
    library = load_library([tmp_path], root=tmp_path)
    assert sorted({p.path for p in library.problems}) == ["other.yaml", "sample.yaml"]


def test_nested_duplicate_keys_are_found_with_their_path(tmp_path):
    text = SAMPLE.replace(
        "  name: Listen to the end\n", "  name: Listen to the end\n  name: Again\n"
    )
    write(tmp_path, "sample.yaml", text)
    (problem,) = load_library([tmp_path], root=tmp_path).problems
    assert (problem.line, problem.column, problem.key) == (7, 3, "idea.name")
    assert "duplicate key 'name' (first set on line 6)" in problem.message


@pytest.mark.parametrize(
    "markdown",
    [
        "Use a < b and 3 > 2 freely.",
        "An autolink: <https://example.org/page>.",
        "Mail <someone@example.org> or [write](mailto:someone@example.org).",
        "A [link](https://example.org), a [page](../other/) and **bold**.",
        "Literal braces \\{like this\\} are fine when escaped.",
    ],
)
def test_safe_markdown_is_accepted(tmp_path, markdown):
    write(
        tmp_path, "sample.yaml", SAMPLE.replace("After a blog post on engagement.", f"'{markdown}'")
    )
    library = load_library([tmp_path], root=tmp_path)
    assert library.ok, report(library.problems)


# Each of these reaches the page as live markup or a script link if let through.
INJECTIONS = [
    ("Click <b>here</b>.", "raw HTML is not allowed: found '<b>'"),
    ("Hidden <!-- comment -->.", "raw HTML is not allowed"),
    ("Image <img src=x onerror=alert(1)>", "raw HTML is not allowed"),
    ("<mailto:x/contenteditable/autofocus/onfocus=alert(1)>", "raw HTML is not allowed"),
    ("[x](JavaScript:alert(1))", "'javascript:'"),
    ("[x](java&#115;cript:alert(1))", "'javascript:'"),
    ("[x](java\tscript:alert(1))", "'javascript:'"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "'data:'"),
    ("![x](vbscript:msgbox(1))", "'vbscript:'"),
    ("[x]: javascript:alert(1)", "'javascript:'"),
    ("[click][r]\n> [r]: javascript:alert(1)", "'javascript:'"),
    ("[click][r]\n- [r]: javascript:alert(1)", "'javascript:'"),
    ("Text {: onclick=x() }", "curly braces are not allowed"),
    ("Text {#anchor}", "curly braces are not allowed"),
    ("Some *text*{ hidden }", "curly braces are not allowed"),
    ("Para\n{ contenteditable autofocus }", "curly braces are not allowed"),
]


@pytest.mark.parametrize(("markdown", "fragment"), INJECTIONS)
def test_markup_that_could_inject_is_refused(tmp_path, markdown, fragment):
    write(
        tmp_path, "sample.yaml", SAMPLE.replace("After a blog post on engagement.", f'"{markdown}"')
    )
    (problem,) = load_library([tmp_path], root=tmp_path).problems
    assert problem.key == "idea.credit"
    assert fragment in problem.message
    assert problem.hint


def test_raw_html_is_located_on_its_own_line_inside_a_block(tmp_path):
    text = SAMPLE.replace(
        "      One person talks, the other listens.\n",
        "      One person talks, the other listens.\n      Then <em>swap</em>.\n",
    )
    path = write(tmp_path, "sample.yaml", text)
    (problem,) = load_library([tmp_path], root=tmp_path).problems
    line = path.read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("<em>")


def test_unchanged_files_come_from_the_cache_and_changed_ones_are_parsed_again(tmp_path):
    path = write(tmp_path, "sample.yaml", SAMPLE)
    cache: dict = {}
    first = load_file(path, cache=cache)
    assert load_file(path, cache=cache) is first
    path.write_text(SAMPLE.replace("A sample exercise", "A changed exercise"), encoding="utf-8")
    second = load_file(path, cache=cache)
    assert second is not first
    assert second.exercise.title == "A changed exercise"


def test_unreadable_path_is_a_problem_not_a_crash(tmp_path):
    missing = tmp_path / "gone.yaml"
    loaded = load_file(missing)
    assert loaded.exercise is None
    assert "cannot read this file" in loaded.problems[0].message


def test_a_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "sample.yaml").write_bytes("\ufeff".encode() + SAMPLE.encode())
    assert load_library([tmp_path], root=tmp_path).ok


def test_a_broken_file_does_not_cascade_into_unknown_related_ids(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE.replace("related: []", "related: [other]"))
    write(
        tmp_path,
        "other.yaml",
        SAMPLE.replace("id: sample", "id: other").replace("minutes: 20", "minutes: x"),
    )
    problems = load_library([tmp_path], root=tmp_path).problems
    assert [p.path for p in problems] == ["other.yaml"]


def test_human_format_and_github_annotation():
    problem = Problem(
        "exercises/a.yaml",
        3,
        5,
        "steps[0].minutes",
        "expected a whole number, found 'x'",
        "write digits only",
    )
    assert problem.format() == (
        "exercises/a.yaml:3:5: steps[0].minutes: expected a whole number, found 'x'\n"
        "    hint: write digits only"
    )
    assert problem.annotation() == (
        "::error file=exercises/a.yaml,line=3,col=5,title=steps[0].minutes::"
        "expected a whole number, found 'x'. Hint: write digits only"
    )


def test_report_adds_annotations_only_inside_github_actions(monkeypatch):
    problems = [Problem("a.yaml", 1, 1, "", "bad\nthing")]
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert "::error" not in report(problems)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert "::error file=a.yaml,line=1,col=1,title=exercise::bad%0Athing" in report(problems)


def test_yml_extension_is_found(tmp_path):
    shutil.copy(GOLDEN_BASE, tmp_path / "sample.yml")
    library = load_library([tmp_path], root=tmp_path)
    assert [f.display for f in library.files] == ["sample.yml"]


def test_shipped_exercises_read_the_same_without_libyaml():
    """PyYAML without libyaml is the loader's fallback: the files must not depend on
    where libyaml is more lenient than the YAML spec."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    for path in sorted((root / "exercises").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(
            text, Loader=yaml.CSafeLoader
        ), path.name
