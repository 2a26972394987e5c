"""The loader: valid files load, problems carry positions, caches skip unchanged files."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, SAMPLE, SETTINGS

from playbook import loader, messages
from playbook.loader import load_file, load_library
from playbook.problems import Problem, report


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_loads_into_an_exercise(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE)
    library = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path)
    assert library.ok, report(library.problems)
    (exercise,) = library.exercises
    assert exercise.id == "sample"
    assert exercise.checklist.max_score == 3
    assert [f.type for f in exercise.worksheet.fields] == ["long", "rating"]


def test_every_shipped_exercise_is_valid():
    root = Path(__file__).resolve().parent.parent
    library = load_library(settings=SETTINGS, paths=[root / "exercises"], root=root)
    assert library.ok, report(library.problems)
    assert len(library.exercises) >= 3


def test_problems_from_all_files_are_reported_together(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE.replace("minutes: 20", "minutes: x"))
    write(
        tmp_path,
        "other.yaml",
        SAMPLE.replace("id: sample", "id: other").replace("format: pair", "format: duo"),
    )
    library = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path)
    assert sorted({p.path for p in library.problems}) == ["other.yaml", "sample.yaml"]


def test_nested_duplicate_keys_are_found_with_their_path(tmp_path):
    text = SAMPLE.replace(
        "  name: Listen to the end\n", "  name: Listen to the end\n  name: Again\n"
    )
    write(tmp_path, "sample.yaml", text)
    (problem,) = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
    assert (problem.line, problem.column, problem.key) == (7, 3, "idea.name")
    assert "duplicate key 'name' (first set on line 6)" in problem.message


@pytest.mark.parametrize(
    "markdown",
    [
        "Use a < b and 3 > 2 freely.",
        "An autolink: <https://example.org/page>.",
        "Mail <someone@example.org> or [write](mailto:someone@example.org).",
        "A [link](https://example.org), a [step](#step-2) and **bold**.",
        "Literal braces \\{like this\\} are fine when escaped.",
        "A comment <!-- never shown --> is dropped.",
    ],
)
def test_safe_markdown_is_accepted(tmp_path, markdown):
    write(
        tmp_path, "sample.yaml", SAMPLE.replace("After a blog post on engagement.", f"'{markdown}'")
    )
    library = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path)
    assert library.ok, report(library.problems)


# Each of these reaches the page as live markup or a script link if let through.
INJECTIONS = [
    ("Click <b>here</b>.", "raw HTML is not allowed: found '<b>'"),
    ("Hidden <!-- comment.", "this HTML comment is not closed"),
    ("A <!-- closed --> comment and <b>a tag</b>", "raw HTML is not allowed: found '<b>'"),
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
    ("<section markdown='1'>Text</section>", "a <section> wrapper is not needed here"),
]

# Links that are safe but would break on the site.
BROKEN_LINKS = [
    ("[a page](../other/)", "the relative link '../other/' does not lead anywhere"),
    ("[a page](/decide/personas/)", "the root-relative link '/decide/personas/' breaks"),
    ("[home](/)", "the root-relative link '/' breaks"),
    ("[x]({{site.baseurl}}/decide/)", "holds a template variable of another site engine"),
    ("[x](other/page.md)", "the relative link 'other/page.md' does not lead anywhere"),
]


@pytest.mark.parametrize(("markdown", "fragment"), BROKEN_LINKS)
def test_links_that_would_break_on_the_site_are_refused(tmp_path, markdown, fragment):
    write(
        tmp_path, "sample.yaml", SAMPLE.replace("After a blog post on engagement.", f'"{markdown}"')
    )
    (problem,) = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
    assert fragment in problem.message
    assert "other-id.md" in problem.hint and "https://" in problem.hint


def test_every_problem_in_a_field_is_reported(tmp_path):
    markdown = "[a](/one/) then [b](javascript:x) then <i>c</i>"
    write(
        tmp_path, "sample.yaml", SAMPLE.replace("After a blog post on engagement.", f'"{markdown}"')
    )
    problems = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
    assert [p.key for p in problems] == ["idea.credit"] * 3
    assert [p.column for p in problems] == sorted(p.column for p in problems)
    assert len({p.column for p in problems}) == 3


def test_a_link_to_an_exercise_that_does_not_exist_is_a_positioned_problem(tmp_path):
    write(
        tmp_path,
        "sample.yaml",
        SAMPLE.replace("After a blog post on engagement.", '"See [this](samlpe.md#step-1)."'),
    )
    (problem,) = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
    assert problem.message == "this links to the exercise 'samlpe', which does not exist"
    assert problem.hint == "did you mean 'sample'?"
    line = (tmp_path / "sample.yaml").read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("](samlpe.md")


@pytest.mark.parametrize(("markdown", "fragment"), INJECTIONS)
def test_markup_that_could_inject_is_refused(tmp_path, markdown, fragment):
    write(
        tmp_path, "sample.yaml", SAMPLE.replace("After a blog post on engagement.", f'"{markdown}"')
    )
    (problem,) = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
    assert problem.key == "idea.credit"
    assert fragment in problem.message
    assert problem.hint


def test_raw_html_is_located_on_its_own_line_inside_a_block(tmp_path):
    text = SAMPLE.replace(
        "      One person talks, the other listens.\n",
        "      One person talks, the other listens.\n      Then <em>swap</em>.\n",
    )
    path = write(tmp_path, "sample.yaml", text)
    (problem,) = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
    line = path.read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1 :].startswith("<em>")


def test_unchanged_files_come_from_the_cache_and_changed_ones_are_parsed_again(tmp_path):
    path = write(tmp_path, "sample.yaml", SAMPLE)
    cache: dict = {}
    first = load_file(settings=SETTINGS, path=path, cache=cache)
    assert load_file(settings=SETTINGS, path=path, cache=cache) is first
    path.write_text(SAMPLE.replace("A sample exercise", "A changed exercise"), encoding="utf-8")
    second = load_file(settings=SETTINGS, path=path, cache=cache)
    assert second is not first
    assert second.exercise.title == "A changed exercise"


def test_unreadable_path_is_a_problem_not_a_crash(tmp_path):
    missing = tmp_path / "gone.yaml"
    loaded = load_file(settings=SETTINGS, path=missing)
    assert loaded.exercise is None
    assert "cannot read this file" in loaded.problems[0].message


def test_a_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "sample.yaml").write_bytes("\ufeff".encode() + SAMPLE.encode())
    assert load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).ok


def test_a_broken_file_does_not_cascade_into_unknown_related_ids(tmp_path):
    write(tmp_path, "sample.yaml", SAMPLE.replace("related: []", "related: [other]"))
    write(
        tmp_path,
        "other.yaml",
        SAMPLE.replace("id: sample", "id: other").replace("minutes: 20", "minutes: x"),
    )
    problems = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path).problems
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


def test_report_adds_annotations_only_in_the_github_format(monkeypatch):
    problems = [Problem("a.yaml", 1, 1, "", "bad\nthing")]
    monkeypatch.setenv("GITHUB_ACTIONS", "true")  # the reporter never looks at it
    assert "::error" not in report(problems)
    assert "::error" not in report(problems, "text")
    assert "::error file=a.yaml,line=1,col=1,title=exercise::bad%0Athing" in report(
        problems, "github"
    )


def test_yml_extension_is_found(tmp_path):
    (tmp_path / "sample.yml").write_text(SAMPLE, encoding="utf-8")
    library = load_library(settings=SETTINGS, paths=[tmp_path], root=tmp_path)
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


# Hostile input: nesting that would crash libyaml, files that are not files, characters
# YAML refuses, ids that browsers' scripts reserve.


def run_validate(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`playbook validate` in a separate process: a crash (SIGSEGV) or a hang there
    fails the test instead of killing or stalling pytest."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from playbook.cli import main; main()",
            "validate",
            "--config",
            str(ROOT / "playbook.yml"),
            *args,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
    )


DEEP = {
    "dashes on one line": "title:\n" + "- " * 25_000 + "x\n",
    "question marks on one line": "title:\n" + "? " * 25_000 + "x\n",
    "indented lines": "title:\n" + "".join(" " * i + "-\n" for i in range(300)) + " " * 300 + "x\n",
    "dashes on indented lines": "title:\n"
    + "".join(" " * (60 * i) + "- " * 30 + "\n" for i in range(20))
    + " " * 1200
    + "x\n",
}


@pytest.mark.parametrize("nesting", DEEP.values(), ids=DEEP.keys())
def test_deep_block_nesting_is_a_positioned_problem_not_a_crash(tmp_path, nesting):
    exercises = tmp_path / "exercises"
    exercises.mkdir()
    write(exercises, "sample.yaml", SAMPLE.replace("title: A sample exercise\n", nesting))
    result = run_validate(tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    assert first.startswith("exercises/sample.yaml:")
    assert "nested more than 50 levels deep here" in first
    line, column = map(int, first.split(":")[1:3])
    assert line >= 3 and column > 1  # at the first list too deep, not at 1:1


NESTINGS = [
    "- - - - x\n",
    "? ? ? x\n",
    "? - - x\n: - - y\n",
    "a:\n- b:\n  - c:\n    - d: x\n",
    "a:\n  b:\n    c: [[x, {y: [z]}]]\n",
    "- a: b\n  c:\n  - - d\n",
    "a: |\n  - - - - text\nb:\n- x\n",
    'a: "x\ny"\nb:\n  - - c\n',
    "-\r  - - x\r",
    "- - -\r\n    - - x\r\n",
    "a:\n- - - b: [{c: d}]\n  - e\n",
    *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "exercises").glob("*.yaml"))),
]


def depth_of(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(depth, deepest)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


@pytest.mark.parametrize("text", NESTINGS)
def test_the_quick_nesting_bound_never_misses_a_file_too_deep(monkeypatch, text):
    """The text scan may only let a file skip the exact (event) count when it is
    certainly within the limit: with every limit below the true depth, it is refused."""
    deepest = depth_of(text)
    brackets = text.count("[") + text.count("{")
    for limit in range(deepest + 2):
        monkeypatch.setattr(loader, "MAX_DEPTH", limit)
        assert (loader._too_deep(text, brackets) is not None) == (deepest > limit), limit


def test_shipped_exercises_pass_the_nesting_check_without_a_second_parse(monkeypatch):
    """The check is on the build's hot path: for real exercises the text scan suffices."""
    monkeypatch.setattr(loader, "_BaseLoader", None)  # calling it would raise TypeError
    for path in sorted((ROOT / "exercises").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert loader._too_deep(text, text.count("[") + text.count("{")) is None, path.name


def repository(tmp_path: Path) -> Path:
    exercises = tmp_path / "repo" / "exercises"
    exercises.mkdir(parents=True)
    return exercises.parent


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_named_pipe_is_refused_without_being_opened(tmp_path):
    repo = repository(tmp_path)
    os.mkfifo(repo / "exercises" / "fifo.yaml")
    result = run_validate(repo)  # a read would wait for a writer forever
    assert result.returncode == 1
    assert result.stderr.startswith(
        "exercises/fifo.yaml:1:1: expected a regular file, found a named pipe (FIFO)"
    )
    assert "hint: " in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_link_to_a_device_outside_the_repository_is_refused_unread(tmp_path):
    repo = repository(tmp_path)
    (repo / "exercises" / "zero.yaml").symlink_to("/dev/zero")
    result = run_validate(repo)  # a read would fill the memory
    assert result.returncode == 1
    assert result.stderr.startswith(
        "exercises/zero.yaml:1:1: this file is a link to a file outside the repository"
    )


def test_a_link_to_a_file_outside_the_repository_is_refused_and_not_echoed(tmp_path):
    repo = repository(tmp_path)
    secret = write(tmp_path, "secret.yaml", "private-token: s3cr3t\n")
    (repo / "exercises" / "sample.yaml").symlink_to(secret)
    for root in (repo, None):
        (problem,) = load_library(settings=SETTINGS, paths=[repo / "exercises"], root=root).problems
        assert (problem.line, problem.column) == (1, 1)
        assert "a link to a file outside the repository" in problem.message
        assert problem.hint
        assert "private" not in problem.format() and "s3cr3t" not in problem.format()


def test_a_link_to_a_file_inside_the_repository_is_read(tmp_path):
    repo = repository(tmp_path)
    (repo / "shared").mkdir()
    write(repo / "shared", "sample.yaml", SAMPLE)
    (repo / "exercises" / "sample.yaml").symlink_to(Path("..", "shared", "sample.yaml"))
    library = load_library(settings=SETTINGS, paths=[repo / "exercises"], root=repo)
    assert library.ok, report(library.problems)
    assert library.exercises[0].id == "sample"


def test_a_link_to_nothing_and_a_folder_named_like_a_file_are_problems(tmp_path):
    repo = repository(tmp_path)
    (repo / "exercises" / "gone.yaml").symlink_to("missing.yaml")
    (repo / "exercises" / "folder.yaml").mkdir()
    problems = load_library(settings=SETTINGS, paths=[repo / "exercises"], root=repo).problems
    assert [(p.path, p.line, p.message) for p in problems] == [
        (
            "exercises/folder.yaml",
            1,
            "expected a regular file, found a folder; only regular files are read",
        ),
        ("exercises/gone.yaml", 1, "this file is a link to a file that does not exist"),
    ]


def test_a_file_too_large_is_refused_by_its_size_and_reads_are_bounded(tmp_path, monkeypatch):
    big = write(tmp_path, "big.yaml", "a: " + "x" * (2 * loader.MAX_BYTES))
    monkeypatch.setattr(loader, "_read_bounded", None)  # must not be reached
    (problem,) = load_file(settings=SETTINGS, path=big).problems
    assert problem.message == "this file is 128 KB; an exercise file must be under 64 KB"
    monkeypatch.undo()
    data, _ = loader._read_bounded(big)
    assert len(data) == loader.MAX_BYTES + 1


def test_a_control_character_is_located_by_both_yaml_readers():
    """libyaml reports a byte offset, PyYAML a character offset: both land on the same
    line and column (the text before the character is not ASCII)."""
    text = "id: café\ntitle: |\n  naïve — text\n  more\x07here\n"
    found = set()
    for yaml_loader in (yaml.CSafeLoader, yaml.SafeLoader):
        with pytest.raises(yaml.reader.ReaderError) as error:
            yaml.load(text, Loader=yaml_loader)
        problem = messages.reader_error("a.yaml", error.value, text)
        found.add((problem.line, problem.column, problem.message))
    assert found == {
        (
            4,
            7,
            "this file contains the invisible control character U+0007, which YAML does not allow",
        )
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")
def test_a_file_replaced_after_its_check_is_still_read_safely(tmp_path, monkeypatch):
    """Between the check (lstat) and the read, a file may become a pipe or grow: the
    open does not block, and what is read is checked and bounded again."""
    small = write(tmp_path, "small.yaml", SAMPLE)
    os.mkfifo(tmp_path / "pipe.yaml")
    write(tmp_path, "big.yaml", "a: " + "x" * (2 * loader.MAX_BYTES))
    real_lstat = os.lstat
    monkeypatch.setattr(loader.os, "lstat", lambda path: real_lstat(small))
    outcome: list = []
    reader = threading.Thread(
        target=lambda: outcome.append(load_file(settings=SETTINGS, path=tmp_path / "pipe.yaml")),
        daemon=True,
    )
    reader.start()
    reader.join(timeout=20)
    assert outcome, "reading a pipe blocked"
    (pipe,) = outcome[0].problems
    assert pipe.message.startswith("expected a regular file, found a named pipe")
    (big,) = load_file(settings=SETTINGS, path=tmp_path / "big.yaml").problems
    assert big.message.startswith("this file is 128 KB")
