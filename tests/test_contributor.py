"""A newcomer adds an exercise, end to end, in a temporary copy of the project:
scaffold it, write it, validate it, build the site and find the page; then break it
and read the messages (for people, and as GitHub annotations).

The commands and what they printed are written to
contributor-transcript.txt in the artifacts folder (and printed with ``pytest -s``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, copy_project, run_mkdocs_build

from playbook.cli import main

EXERCISE_ID = "ask-before-you-pitch"
TARGET = f"exercises/{EXERCISE_ID}.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/exercise.schema.json"

# What a contributor writes over the scaffold's placeholders (placeholder → their text).
EDITS = {
    'title: "Ask before you pitch"': "title: Ask before you pitch",
    "summary: Replace this with one sentence that says what you do and what you get from it.": (
        "summary: Practise opening a sales conversation with three questions and no slides, "
        "then let the answers decide what you show."
    ),
    "  name: The idea in a few words": "  name: Invite the course-correction",
    "  credit: After *the person or work the idea comes from*.": (
        "  credit: After Tom Sant, *Persuasive Business Proposals*."
    ),
    "  Say why this exercise matters to the people doing it.": (
        "  A prepared pitch answers the questions you expected. Asking first lets the\n"
        "  customer tell you which questions they actually have."
    ),
    "themes: [preparation]": "themes: [listening, customer-meetings]",
    "minutes: 20\n": "minutes: 25\n",
    "  - title: First step": "  - title: Write three open questions",
    "      Say what to do, concretely enough that someone can follow it from the page alone.": (
        "      Each of you writes three questions that cannot be answered with yes or no."
    ),
    "      - A question the facilitator asks.": "      - Which question would surprise the customer?",
    "  - title: Second step\n    minutes: 10": "  - title: Role-play the opening\n    minutes: 15",
    "      Say what to do next.": (
        "      One plays the customer, one the seller. The seller may only ask, for ten minutes."
    ),
    "      label: A question to answer in one line": "      label: The question that opened the most",
    "      label: A question that needs a few lines": "      label: What the customer told you that you did not expect",
    "      text: I did the first thing.": "      text: I asked three questions before showing anything.",
    "      text: I did the second thing.": "      text: I changed my plan after an answer.",
    "      advice: Say what to do next when the score is low.": (
        "      advice: Write your three questions before the next real meeting."
    ),
    "      advice: Say what to do next when the score is high.": (
        "      advice: Try it with a customer this week."
    ),
    "  - What did you notice?": "  - Which answer changed what you would have shown?",
    "  Tips for whoever runs this exercise.": (
        "  Stop the role-play the moment the seller starts presenting."
    ),
    "related: []": "related: [gyst-prepare]",
}


class Transcript:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def command(self, line: str, output: str, exit_code: int | None = None) -> None:
        self.parts.append(f"$ {line}\n{output.rstrip()}")
        if exit_code is not None:
            self.parts[-1] += f"\n[exit code {exit_code}]"

    def note(self, text: str) -> None:
        self.parts.append(f"# {text}")


@pytest.fixture(scope="module")
def transcript(artifacts):
    record = Transcript()
    yield record
    text = "\n\n".join(record.parts) + "\n"
    (artifacts / "contributor-transcript.txt").write_text(text, encoding="utf-8")
    print("\n--- contributor transcript ---\n" + text)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the project's site sources; the working directory for the test."""
    copy = copy_project(tmp_path / "playbook")
    monkeypatch.chdir(copy)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return copy


def run(args: list[str], transcript: Transcript | None = None, env: dict | None = None):
    result = CliRunner().invoke(main, args, env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    if transcript is not None:
        prefix = "".join(f"{k}={v} " for k, v in (env or {}).items())
        transcript.command(f"{prefix}playbook {' '.join(args)}", result.output, result.exit_code)
    return result


def write_the_exercise(project: Path) -> Path:
    """Scaffold the exercise with `playbook new`, then replace every placeholder."""
    result = run(["new", EXERCISE_ID, "--format", "pair", "--audience", "seller"])
    assert result.exit_code == 0, result.output
    return fill_in(project)


def fill_in(project: Path, transcript: Transcript | None = None) -> Path:
    path = project / TARGET
    text = path.read_text(encoding="utf-8")
    for placeholder, written in EDITS.items():
        assert text.count(placeholder) == 1, placeholder
        text = text.replace(placeholder, written)
    path.write_text(text, encoding="utf-8")
    if transcript is not None:
        transcript.note(f"edit {TARGET}: every placeholder replaced (title, summary, idea, …)")
    return path


def test_a_newcomer_adds_an_exercise(project, transcript):
    transcript.note("A newcomer adds an exercise (in a copy of the project)")
    result = run(["new", EXERCISE_ID, "--format", "pair", "--audience", "seller"], transcript)
    assert result.exit_code == 0, result.output
    scaffold = (project / TARGET).read_text(encoding="utf-8")
    assert scaffold.startswith(SCHEMA_LINE + "\n")
    transcript.command(f"head -16 {TARGET}", "\n".join(scaffold.splitlines()[:16]))
    fill_in(project, transcript)

    result = run(["validate", TARGET], transcript)
    assert result.exit_code == 0, result.output
    assert result.output == "1 exercise file OK.\n"

    site = project / "site"
    build = run_mkdocs_build(project, site)
    transcript.command(
        "mkdocs build --strict -d site",
        (build.stdout + build.stderr).replace(str(project), ".").strip() or "(no output)",
        build.returncode,
    )
    assert build.returncode == 0, build.stdout + build.stderr

    page = site / "exercises" / EXERCISE_ID / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Ask before you pitch" in html
    assert "I asked three questions before showing anything." in html
    edit_links = re.findall(r'href="([^"]+)"[^>]*title="Edit this page"', html)
    assert edit_links == [
        f"https://github.com/engagement-playbook/playbook/edit/main/exercises/{EXERCISE_ID}.yaml"
    ]
    catalog = (site / "exercises" / "index.html").read_text(encoding="utf-8")
    assert f'href="{EXERCISE_ID}/"' in catalog
    transcript.note(f"site/exercises/{EXERCISE_ID}/index.html: built; edit link → {edit_links[0]}")


def test_a_broken_exercise_says_where_and_how_to_fix_it(project, transcript):
    transcript.note("The same exercise with a misspelled key and a wrong type")
    path = write_the_exercise(project)
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nsummary: ", "\nsumary: ").replace(
        "\n  minutes: 25", "\n  minutes: twenty"
    )
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    summary_line = next(i for i, ln in enumerate(lines, 1) if ln.startswith("sumary:"))
    minutes_line = next(i for i, ln in enumerate(lines, 1) if ln.startswith("  minutes: twenty"))

    result = run(["validate", TARGET], transcript)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"{TARGET}:{summary_line}:1: sumary: unknown key 'sumary'\n"
        "    hint: did you mean 'summary'?\n"
        f"{TARGET}:{minutes_line}:12: session.minutes: expected a time: a number of minutes, "
        "a range or 'varies'\n"
        "    hint: for example 30, '30-60', '1-2 hours' or 'varies' (then say why in 'note')\n"
        "2 problems in 1 file.\n"
    )
    assert "::error" not in result.output

    annotated = run(["validate", TARGET], transcript, env={"GITHUB_ACTIONS": "true"})
    assert annotated.exit_code == 1
    annotations = [ln for ln in annotated.stderr.splitlines() if ln.startswith("::")]
    assert annotations == [
        f"::error file={TARGET},line={summary_line},col=1,title=sumary::"
        "unknown key 'sumary'. Hint: did you mean 'summary'?",
        f"::error file={TARGET},line={minutes_line},col=12,title=session.minutes::"
        "expected a time: a number of minutes, a range or 'varies'. Hint: for example 30, "
        "'30-60', '1-2 hours' or 'varies' (then say why in 'note')",
    ]
    # The people-readable lines are still there, before the annotations.
    assert annotated.stderr.startswith(result.stderr.rsplit("\n2 problems", 1)[0])

    build = run_mkdocs_build(project, project / "site")
    assert build.returncode == 1
    assert f"{TARGET}:{summary_line}:1: sumary: unknown key 'sumary'" in build.stderr


def test_new_refuses_to_overwrite_and_explains_a_bad_id(project):
    assert run(["new", EXERCISE_ID]).exit_code == 0
    again = run(["new", EXERCISE_ID])
    assert again.exit_code == 1
    assert "already exists; it was left as it is" in again.output
    bad = run(["new", "Ask Before_You_Pitch"])
    assert bad.exit_code == 2
    assert "e.g. 'ask-before-you-pitch'" in bad.output


@pytest.mark.parametrize(
    ("options", "format_", "audiences"),
    [
        ([], "solo", "[seller]"),
        (
            ["--format", "team", "--audience", "manager", "--audience", "team"],
            "team",
            "[manager, team]",
        ),
    ],
)
def test_new_fills_what_it_is_given_and_validates(project, options, format_, audiences):
    result = run(["new", EXERCISE_ID, *options])
    assert result.exit_code == 0, result.output
    text = (project / TARGET).read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert f"\nformat: {format_}\n" in text
    assert f"\naudiences: {audiences}\n" in text
    assert f"playbook validate {TARGET}" in result.output
    assert run(["validate", TARGET]).exit_code == 0


def test_every_exercise_file_points_at_the_schema():
    files = sorted((ROOT / "exercises").glob("*.y*ml"))
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_LINE, f"{path.name} must start with: {SCHEMA_LINE}"
