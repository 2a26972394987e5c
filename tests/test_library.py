"""The exercise library itself: one complete exercise for every idea the playbook teaches."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import ROOT, SETTINGS

from playbook.cli import main
from playbook.loader import load_library
from playbook.schema import FIELD_TYPES

# The ideas of the product brief, each with the exercise that trains it.
IDEAS = {
    "GYST: get your stuff together before you write or speak": "gyst-prepare",
    "Listen to the end": "listen-to-the-end",
    "Depth over volume": "depth-over-volume",
    "Automation: empower or displace?": "automation-audit",
    "Customer engagement versus company engagement": "who-reached-out",
    "Invite the course-correction": "invite-course-correction",
    "Who is a customer? Promises are not payment": "who-is-a-customer",
    "Coach deeply, not by text": "deep-one-on-one",
    "Present, not half-listening, in meetings": "present-not-half-listening",
    "Conversations about goals and dreams, not products": "discovery-beyond-the-pitch",
}
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/exercise.schema.json"


@pytest.fixture(scope="module")
def library():
    loaded = load_library([ROOT / "exercises"], settings=SETTINGS, root=ROOT)
    assert not loaded.problems, "\n".join(map(str, loaded.problems))
    return {ex.id: ex for ex in loaded.exercises}


def test_playbook_validate_passes_on_the_whole_library(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert "OK" in result.output


@pytest.mark.parametrize(("idea", "exercise_id"), IDEAS.items(), ids=list(IDEAS.values()))
def test_every_idea_has_its_exercise(library, idea, exercise_id):
    assert exercise_id in library, f"no exercise for the idea '{idea}'"


def test_every_exercise_file_starts_with_the_schema_line():
    for path in sorted((ROOT / "exercises").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == SCHEMA_LINE, f"{path.name}: first line should be {SCHEMA_LINE!r}"


@pytest.mark.parametrize("exercise_id", IDEAS.values())
def test_exercise_is_complete(library, exercise_id):
    ex = library[exercise_id]
    assert 6 <= len(ex.checklist.items) <= 12, "a checklist has 6 to 12 items"
    assert len(ex.variations) >= 1, "at least one variation"
    assert ex.facilitator_notes, "notes for the facilitator"
    assert len(ex.debrief) >= 3, "at least three debrief questions"
    assert ex.related, "related exercises"
    assert all(other in library for other in ex.related)
    assert ex.idea.credit, "where the idea comes from"
    assert len(ex.worksheet.fields) >= 4, "a worksheet with room to work"
    assert sum(step.minutes for step in ex.steps) == ex.session.minutes.low
    assert ex.checklist.bands[0].min == 0
    assert ex.checklist.bands[-1].max == ex.checklist.max_score
    for before, after in zip(ex.checklist.bands, ex.checklist.bands[1:], strict=False):
        assert after.min == before.max + 1


def test_related_links_go_both_ways_at_least_once(library):
    """Nobody is a dead end: every exercise is named as related by at least one other
    (drafts, which nobody links to yet, once they are complete)."""
    named = {other for ex in library.values() for other in ex.related}
    assert {i for i, ex in library.items() if not ex.draft} <= named


def test_the_library_uses_every_field_type_and_format(library):
    used_types = {field.type for ex in library.values() for field in ex.worksheet.fields}
    assert used_types == set(FIELD_TYPES)
    assert {f for ex in library.values() for f in ex.formats} == set(SETTINGS.formats)


def test_who_reached_out_logs_interactions_in_a_table(library):
    fields = library["who-reached-out"].worksheet.fields
    log = next(field for field in fields if field.type == "table")
    assert any("started" in column.lower() for column in log.columns)
    assert any("ratio" in field.label.lower() for field in fields)


PAGES = ["index.md", "principles.md", "guides/managers.md", "guides/teams.md", "about.md"]


@pytest.mark.parametrize("source", PAGES)
def test_page_links_lead_to_pages_that_exist(built_site, source):
    """The pages link to exercises by their address (``../exercises/<id>/``) rather than
    by file, so the site still builds with a different set of exercises; this checks
    every one of those links in the built site instead."""
    html_dir = built_site / (
        "" if source == "index.md" else source.removesuffix(".md").removesuffix("index")
    )
    html = (html_dir / "index.html").read_text(encoding="utf-8")
    article = re.search(r"<article\b.*?</article>", html, re.S)
    assert article, f"no article in the page built from {source}"
    links = re.findall(r'href="([^"#?]+)[^"]*"', article.group(0))
    local = [link for link in links if not re.match(r"[a-z]+:|/", link)]
    assert local, f"{source} should link to other pages of the playbook"
    for link in local:
        target = (html_dir / link).resolve()
        if target.is_dir():
            target = target / "index.html"
        assert target.is_file(), f"{source} links to {link}, which is not in the built site"
        assert built_site.resolve() in target.parents


def test_principles_link_to_every_exercise():
    text = (ROOT / "content" / "principles.md").read_text(encoding="utf-8")
    for exercise_id in IDEAS.values():
        assert f"(exercises/{exercise_id}.md)" in text


def test_pages_keep_the_privacy_promise(page):
    """The about page promises that nothing leaves the browser: visiting the pages makes
    no request to another host and logs no error (the page fixture checks both)."""
    for source in PAGES:
        address = "/" if source == "index.md" else "/" + source.removesuffix(".md") + "/"
        page.goto(address)
        assert page.locator("article h1").count() == 1
    page.goto("/about/")
    assert "answers stay in your browser" in page.locator("article").inner_text().lower()


def _table_rows(text: str, header: str) -> list[list[str]]:
    """The rows of the Markdown table that starts with ``header``."""
    lines = text[text.index(header) :].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def _linked_id(cell: str) -> str:
    return re.search(r"\(\.\./exercises/([a-z0-9-]+)\.md\)", cell).group(1)


def _parts(ex) -> dict[str, int]:
    return {
        "prep": ex.prep.minutes or 0 if ex.prep else 0,
        "session": ex.session.minutes.low,
        "follow-up": (ex.follow_up.minutes or 0) if ex.follow_up else 0,
    }


MANAGERS_GUIDE = ROOT / "content" / "guides" / "managers.md"


def test_the_managers_four_week_sequence_takes_what_its_exercises_take(library):
    text = MANAGERS_GUIDE.read_text(encoding="utf-8")
    rows = _table_rows(text, "| week | exercise | prep (min) | session (min) | follow-up (min) |")
    assert [row[0] for row in rows] == ["1", "2", "3", "4"]
    for _, exercise, prep, session, follow_up in rows:
        parts = _parts(library[_linked_id(exercise)])
        assert [int(prep), int(session), int(follow_up)] == list(parts.values()), exercise


def test_the_manager_of_six_plan_adds_up(library):
    text = MANAGERS_GUIDE.read_text(encoding="utf-8")
    rows = _table_rows(text, "| part | exercise | minutes each | times a month | minutes a month |")
    total = 0
    for part, exercise, each, times, month in rows[:-1]:
        assert int(each) == _parts(library[_linked_id(exercise)])[part], (part, exercise)
        assert int(each) * int(times) == int(month)
        total += int(month)
    assert rows[-1][0] == "total" and int(rows[-1][-1]) == total
    stated = re.search(r"about (\d+(?:\.\d)?) hours a month", text)
    assert stated, "the guide states the monthly hours as 'about N hours a month'"
    assert (
        float(stated.group(1)) == round(total / 60, 1)
        or abs(float(stated.group(1)) * 60 - total) <= 30
    )


_QUOTED_MINUTES = re.compile(r"\]\((?:\.\./)*exercises/([a-z0-9-]+)\.md[^)]*\) \((\d+) minutes")


def test_minutes_quoted_on_hand_written_pages_are_the_session_minutes(library):
    """A page that says "(25 minutes)" after a link to an exercise says its session time."""
    quoted = [
        (page.relative_to(ROOT).as_posix(), ex_id, int(minutes))
        for page in sorted((ROOT / "content").rglob("*.md"))
        for ex_id, minutes in _QUOTED_MINUTES.findall(page.read_text(encoding="utf-8"))
    ]
    assert quoted, "the home page quotes some exercises' minutes"
    wrong = [
        (page, ex_id, minutes, library[ex_id].session.minutes.low)
        for page, ex_id, minutes in quoted
        if minutes != library[ex_id].session.minutes.low
    ]
    assert not wrong, wrong


# The ten ideas of the product brief, as the start of an exercise's `idea.name` (an
# exercise may name a narrower take on the idea, e.g. "GYST: …, for a first meeting").
IDEA_NAMES = {
    "gyst": "GYST: Get Your Stuff Together",
    "listen": "Listen to the end",
    "depth": "Depth over volume",
    "automation": "Automation: empower or displace?",
    "who-engages": "Customer engagement versus company engagement",
    "course-correction": "Invite the course-correction",
    "who-is-a-customer": "Who is a customer?",
    "coach": ("Coach deeply, not by text", "Depth over volume, and coaching deeply"),
    "present": "Present, not half-listening",
    "goals": "Conversations about goals and dreams",
}


def _of_idea(library, names) -> list:
    names = (names,) if isinstance(names, str) else names
    return [ex for ex in library.values() if ex.idea and ex.idea.name.startswith(names)]


def _minutes(ex) -> int | None:
    return None if ex.session.minutes.varies else ex.session.minutes.low


def test_the_library_is_a_playbook_not_a_sampler(library):
    """The counts the library promises, computed from the data."""
    finished = [ex for ex in library.values() if not ex.draft]
    assert len(finished) >= 26
    for key, names in IDEA_NAMES.items():
        found = _of_idea(library, names)
        assert len(found) >= 2, f"{key}: {[ex.id for ex in found]}"
        kinds = {(_minutes(ex), ex.difficulty) for ex in found}
        assert len(kinds) >= 2, f"{key}: the exercises differ in length or level"
    drills = [ex for ex in finished if _minutes(ex) is not None and _minutes(ex) <= 15]
    assert len(drills) >= 6, [ex.id for ex in drills]
    team_sessions = [
        ex
        for ex in finished
        if "team" in ex.formats
        and 30 <= (_minutes(ex) or 0) <= 60
        and SETTINGS.people(ex)[0] <= 4
        and SETTINGS.people(ex)[1] >= 12
    ]
    assert len(team_sessions) >= 3, [ex.id for ex in team_sessions]
    assert any("customer-engagement" in ex.themes for ex in team_sessions)
    for ex in team_sessions:  # a room or call set-up, and a way for the group to converge
        text = " ".join(
            [ex.prep.what if ex.prep else "", *ex.materials, *(s.instructions for s in ex.steps)]
        ).lower()
        assert re.search(r"\b(room|call|video|table|wall|board)\b", text), ex.id
        assert re.search(r"\b(vote|votes|dots?|1-2-4|pairs, then|fours|agree|decide)", text), ex.id
    worked = [ex for ex in finished if ex.worked_example]
    assert len(worked) >= 6, [ex.id for ex in worked]


def test_a_new_seller_has_exercises_to_do_alone(library):
    """At least four solo exercises for sellers sit on the new seller's pathway, which
    gives each a practice route for someone with no accounts yet."""
    pathway = (ROOT / "pathways" / "new-seller-first-90-days.yaml").read_text(encoding="utf-8")
    on_pathway = set(re.findall(r"exercise: ([a-z0-9-]+)", pathway))
    alone = [
        ex.id
        for ex in library.values()
        if ex.id in on_pathway and "solo" in ex.formats and "seller" in ex.audiences
    ]
    assert len(alone) >= 4, alone


def test_the_principles_page_lists_every_exercise_under_its_idea(built_site, library):
    page = (built_site / "principles" / "index.html").read_text(encoding="utf-8")
    missing = [i for i, ex in library.items() if not ex.draft and f"exercises/{i}/" not in page]
    assert not missing, missing
