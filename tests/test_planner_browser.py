"""The planner ("Plan a session", planner.js), in a real browser: the plans it proposes
fit the time, the group and the audience, by the rule the page states; blocks can be
swapped, moved, removed and added; the plan lives in the address; the printout is the
agenda on one page, then each exercise's worksheet in order; keyboard only, axe clean,
no console error and no request to another host (the `page` fixture checks those two).

Every expectation is computed from the exercises as the loader reads them (the
`library` and `pathways` fixtures of the catalog's tests)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import axe_violations, open_page, scheme
from conftest import SETTINGS
from pdf_helpers import normalized, pdf_pages, pdf_text

from playbook.generate import planner_data

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PLAN = "/plan/"
START = 10 * 60  # the default start time, 10:00


# The rule, as the page states it, written again here to check the script against.
def length(ex) -> int | None:
    """The minutes a block takes: the session's longer end (None when it varies)."""
    return ex.session.minutes.high


def takes(ex, people: int) -> bool:
    low, high = SETTINGS.people(ex)
    return low <= people <= high


def fits(ex, people: int, audience: str) -> bool:
    return audience in ex.audiences and takes(ex, people) and length(ex) is not None


def expected_plan(library, minutes, people, audience, pathway=None) -> list[str]:
    """A pathway's exercises first, in its order, each that fits the minutes left; then
    the longest that fits, again and again; equal lengths by id."""
    pool = [ex for ex in library if fits(ex, people, audience)]
    plan, left = [], minutes
    for step in pathway.steps if pathway else []:
        ex = next((ex for ex in pool if ex.id == step.exercise), None)
        if ex and ex.id not in plan and length(ex) <= left:
            plan.append(ex.id)
            left -= length(ex)
    while rest := [ex for ex in pool if ex.id not in plan and length(ex) <= left]:
        ex = min(rest, key=lambda ex: (-length(ex), ex.id))
        plan.append(ex.id)
        left -= length(ex)
    return plan


def clock(minutes: int) -> str:
    return f"{minutes // 60 % 24}:{minutes % 60:02d}"


def totals(exercises, minutes: int, start: int = START) -> str:
    """What the live region says about a plan of these exercises."""
    total = sum(length(ex) for ex in exercises)
    prep = sum(ex.prep.minutes or 0 for ex in exercises if ex.prep)
    after = sum(ex.follow_up.minutes or 0 for ex in exercises if ex.follow_up)
    noun = "exercise" if len(exercises) == 1 else "exercises"
    text = f"{len(exercises)} {noun}, {total} of {minutes} minutes ({clock(start)}–{clock(start + total)})"
    text += f"; prep {prep} min" + (f"; follow-up {after} min" if after else "") + "."
    return text


# The page.
def open_plan(page, query: str = "") -> None:
    page.goto(PLAN + query)
    page.wait_for_selector(".pb-plan-totals:not(:empty)")


def plan_ids(page) -> list[str]:
    return page.locator(".pb-block").evaluate_all("blocks => blocks.map(b => b.dataset.pbId)")


def status(page) -> str:
    return page.get_by_role("status").inner_text()


def block(page, ex):
    return page.locator(f".pb-block[data-pb-id='{ex.id}']")


def assert_shows(page, library, minutes, people, audience, start=START):
    """The plan on screen fits the inputs; its clock times, reasons and totals add up."""
    by_id = {ex.id: ex for ex in library}
    ids = plan_ids(page)
    exercises = [by_id[i] for i in ids]
    assert len(ids) == len(set(ids)), "an exercise twice"
    assert sum(length(ex) for ex in exercises) <= minutes
    at = start
    for ex in exercises:
        assert fits(ex, people, audience), ex.id
        head = block(page, ex).locator(".pb-block-head").inner_text()
        assert head.startswith(f"{clock(at)}–{clock(at + length(ex))} {ex.title}"), head
        at += length(ex)
        why = block(page, ex).locator(".pb-block-why").inner_text()
        assert f"fits {people} {'person' if people == 1 else 'people'}" in why
        assert f"for {SETTINGS.audiences[audience].label}" in why
        formats = [
            SETTINGS.formats[f].label
            for f in ex.formats
            if SETTINGS.formats[f].people.min <= people <= SETTINGS.formats[f].people.max
        ]
        assert f"{' or '.join(formats).lower()} session" in why
    assert status(page) == totals(exercises, minutes, start)
    query = parse_qs(urlsplit(page.url).query)
    assert query["plan"] == [",".join(ids)]
    return ids


CASES = {
    "one-on-one": (30, 2, "manager"),
    "team of six": (45, 6, "team"),
    "solo drill": (10, 1, "seller"),
    "team of six, longer": (100, 6, "team"),
}


@pytest.mark.parametrize(("minutes", "people", "audience"), CASES.values(), ids=CASES.keys())
def test_the_proposed_plan_fits(page, library, artifacts, minutes, people, audience):
    open_plan(page, f"?minutes={minutes}&people={people}&audience={audience}")
    expected = expected_plan(library, minutes, people, audience)
    assert expected, "choose inputs that something fits"
    assert assert_shows(page, library, minutes, people, audience) == expected
    # Each block says why it was chosen, and what it brings before and after.
    first = next(ex for ex in library if ex.id == expected[0])
    why = block(page, first).locator(".pb-block-why").inner_text()
    assert f"the longest that fits the {minutes} minutes left" in why
    if first.prep and first.prep.minutes:
        assert f"prep {first.prep.minutes} min before" in block(page, first).inner_text()
    name = "-".join(str(v) for v in (minutes, people, audience))
    (artifacts / f"plan-{name}.txt").write_text(page.locator(".pb-plan").inner_text())


def test_a_request_nothing_fits_says_why_and_what_would(page, library):
    minutes, people, audience = 3, 25, "team"
    open_plan(page, f"?minutes={minutes}&people={people}&audience={audience}")
    assert plan_ids(page) == []
    assert status(page) == "No plan."
    for_team = [ex for ex in library if audience in ex.audiences and length(ex) is not None]
    assert not any(takes(ex, people) for ex in for_team), "25 people must be too many"
    fewest = min(SETTINGS.people(ex)[0] for ex in for_team)
    most = max(SETTINGS.people(ex)[1] for ex in for_team)
    shortest = min(length(ex) for ex in for_team)
    assert shortest > minutes
    label = SETTINGS.audiences[audience].label
    text = normalized(page.locator(".pb-plan-body").inner_text())
    assert "Nothing fits." in text
    assert f"No exercise for {label} takes 25 people: they take {fewest} to {most}." in text
    assert f"The shortest exercise for {label} is {shortest} minutes" in text
    assert f"you have {minutes}." in text
    assert page.get_by_role("button", name="Print agenda and worksheets").is_hidden()


def test_too_little_time_names_the_shortest_that_fits_the_group(page, library):
    pool = [ex for ex in library if fits(ex, 6, "team")]
    shortest = min(length(ex) for ex in pool)
    open_plan(page, f"?minutes={shortest - 1}&people=6&audience=team")
    assert plan_ids(page) == []
    label = SETTINGS.audiences["team"].label
    assert (
        f"The shortest exercise for {label} for 6 people is {shortest} minutes"
        in page.locator(".pb-plan-body").inner_text()
    )


def test_a_pathway_comes_first_in_its_order(page, library, pathways):
    pathway = max(pathways, key=lambda p: len(p.steps))
    first = next(ex for ex in library if ex.id == pathway.steps[0].exercise)
    audience, people = first.audiences[0], SETTINGS.people(first)[0]
    minutes = 120
    open_plan(page, f"?minutes={minutes}&people={people}&audience={audience}&pathway={pathway.id}")
    expected = expected_plan(library, minutes, people, audience, pathway)
    assert expected[0] == first.id
    assert assert_shows(page, library, minutes, people, audience) == expected
    assert f"step 1 of “{pathway.title}”" in block(page, first).inner_text()


def test_the_same_inputs_give_the_same_plan(page, library):
    open_plan(page, "?minutes=100&people=6&audience=team")
    once = plan_ids(page)
    page.get_by_label("Minutes available").fill("45")
    page.get_by_role("button", name="Propose a plan").click()
    assert plan_ids(page) == expected_plan(library, 45, 6, "team")
    page.get_by_label("Minutes available").fill("100")
    page.get_by_role("button", name="Propose a plan").click()
    assert plan_ids(page) == once


def test_the_form_proposes_and_the_address_keeps_the_plan(page, library):
    open_plan(page)
    page.get_by_label("Minutes available").fill("30")
    page.get_by_label("People", exact=True).fill("2")
    page.get_by_label("For", exact=True).select_option("manager")
    page.get_by_label("Start time").fill("09:30")
    page.get_by_role("button", name="Propose a plan").click()
    ids = assert_shows(page, library, 30, 2, "manager", start=9 * 60 + 30)
    query = parse_qs(urlsplit(page.url).query)
    assert query["minutes"] == ["30"] and query["people"] == ["2"]
    assert query["audience"] == ["manager"] and query["start"] == ["09:30"]
    assert "start=09:30" in page.url and f"plan={','.join(ids)}" in page.url
    page.reload()
    page.wait_for_selector(".pb-plan-totals:not(:empty)")
    assert plan_ids(page) == ids
    assert page.get_by_label("Start time").input_value() == "09:30"
    assert_shows(page, library, 30, 2, "manager", start=9 * 60 + 30)


def test_swap_move_remove_and_add_update_the_plan_and_its_address(page, library):
    by_id = {ex.id: ex for ex in library}
    minutes, people, audience = 100, 6, "team"
    open_plan(page, f"?minutes={minutes}&people={people}&audience={audience}")
    ids = plan_ids(page)
    assert len(ids) >= 2

    # Swap the first block for another exercise that fits the time it frees.
    first = by_id[ids[0]]
    free = minutes - sum(length(by_id[i]) for i in ids) + length(first)
    offered = block(page, first).get_by_label(f"Swap “{first.title}” for")
    options = offered.locator("option").evaluate_all("os => os.map(o => o.value)")
    allowed = {
        ex.id
        for ex in library
        if ex.id not in ids and fits(ex, people, audience) and length(ex) <= free
    }
    assert set(options) == allowed | {first.id}
    assert allowed, "choose inputs with an alternative"
    other = sorted(allowed)[0]
    offered.select_option(other)
    ids[0] = other
    assert plan_ids(page) == ids
    assert "added by you" in block(page, by_id[other]).inner_text()
    assert status(page) == totals([by_id[i] for i in ids], minutes)

    # Move it down, then back up: the clock times follow.
    page.get_by_role("button", name=f"Move down: {by_id[other].title}").click()
    ids[0], ids[1] = ids[1], ids[0]
    assert plan_ids(page) == ids
    assert_shows(page, library, minutes, people, audience)
    page.get_by_role("button", name=f"Move up: {by_id[other].title}").click()
    ids[0], ids[1] = ids[1], ids[0]
    assert plan_ids(page) == ids

    # Remove it; then add the longest exercise on offer.
    page.get_by_role("button", name=f"Remove: {by_id[other].title}").click()
    ids.pop(0)
    assert plan_ids(page) == ids
    assert status(page) == totals([by_id[i] for i in ids], minutes)
    left = minutes - sum(length(by_id[i]) for i in ids)
    addable = [
        ex
        for ex in library
        if ex.id not in ids and fits(ex, people, audience) and length(ex) <= left
    ]
    add = page.get_by_label("Add an exercise")
    assert set(add.locator("option").evaluate_all("os => os.map(o => o.value)")) == {
        ex.id for ex in addable
    }
    chosen = min(addable, key=lambda ex: (-length(ex), ex.id))
    add.select_option(chosen.id)
    page.get_by_role("button", name="Add", exact=True).click()
    ids.append(chosen.id)
    assert plan_ids(page) == ids
    assert_shows(page, library, minutes, people, audience)

    # The edited plan is in the address: a reload shows it again.
    page.reload()
    page.wait_for_selector(".pb-plan-totals:not(:empty)")
    assert plan_ids(page) == ids


def test_keyboard_only(page, library):
    by_id = {ex.id: ex for ex in library}
    open_plan(page)
    minutes = page.get_by_label("Minutes available")
    minutes.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("100")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "audience"
    page.keyboard.type(SETTINGS.audiences["team"].label)  # a closed select's type-ahead
    assert page.get_by_label("For", exact=True).input_value() == "team"
    # Back to the minutes and Enter: the form proposes the plan.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    ids = assert_shows(page, library, 100, 6, "team")
    assert ids == expected_plan(library, 100, 6, "team")
    assert len(ids) >= 2

    def focused() -> str:
        return page.evaluate("document.activeElement.dataset.pbKey || ''")

    # Swap with the arrow keys: the focus stays on the block's select.
    block(page, by_id[ids[0]]).locator("select").focus()
    page.keyboard.press("ArrowDown")
    swapped = plan_ids(page)
    assert swapped[1:] == ids[1:] and swapped[0] != ids[0]
    assert focused() == f"swap:{swapped[0]}"
    # Tab to "Move down" ("Move up" is disabled on the first block) and press Enter.
    page.keyboard.press("Tab")
    assert focused() == f"down:{swapped[0]}"
    page.keyboard.press("Enter")
    moved = [swapped[1], swapped[0], *swapped[2:]]
    assert plan_ids(page) == moved
    assert focused() in {f"down:{swapped[0]}", f"up:{swapped[0]}"}
    # Tab on to "Remove" (past the other move button when it applies).
    for _ in range(3):
        if focused() == f"remove:{swapped[0]}":
            break
        page.keyboard.press("Tab")
    assert focused() == f"remove:{swapped[0]}"
    page.keyboard.press("Space")
    assert plan_ids(page) == [swapped[1], *swapped[2:]]
    assert page.evaluate("document.activeElement !== document.body")
    assert status(page) == totals([by_id[i] for i in plan_ids(page)], 100)


def test_print_holds_the_agenda_then_each_worksheet_in_order(page, library, tmp_path):
    """Six blocks: the agenda fits page 1; each worksheet starts a page, in plan order."""
    people, audience = 1, "seller"
    six = sorted(
        (ex for ex in library if fits(ex, people, audience)), key=lambda ex: (length(ex), ex.id)
    )[:6]
    assert len(six) == 6
    minutes = sum(length(ex) for ex in six)
    plan = ",".join(ex.id for ex in six)
    open_plan(page, f"?minutes={minutes}&people={people}&audience={audience}&plan={plan}")
    assert plan_ids(page) == [ex.id for ex in six]
    # The print button waits for the worksheets, then opens the browser's print.
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Print agenda and worksheets").click()
    page.wait_for_function("window.printed === true")
    sheets = page.locator(".pb-planner-sheet").evaluate_all("s => s.map(x => x.dataset.pbSheet)")
    assert sheets == [ex.id for ex in six]
    assert page.locator(".pb-planner-sheets").is_hidden(), "worksheets print, not show"

    page.emulate_media(media="print")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(page.pdf(format="A4"))
    agenda = normalized(pdf_text(pdf, 1))
    assert agenda.startswith("Session plan")
    for ex in six:
        assert ex.title in agenda
    before, after = agenda.split("Before the session")[1].split("After the session")
    assert [ex.title for ex in six if ex.prep and ex.prep.minutes] == [
        ex.title for ex in six if f"{ex.title}: {ex.prep.minutes if ex.prep else ''}" in before
    ]
    assert all(ex.title in after for ex in six if ex.follow_up), "the agenda runs over a page"
    assert "Propose a plan" not in agenda and "Swap for" not in agenda
    # Each worksheet opens a page, in order; nothing else opens one.
    starts = []
    for number in range(2, pdf_pages(pdf) + 1):
        text = normalized(pdf_text(pdf, number))
        starts += [ex.id for ex in six if text.startswith(ex.title)]
    assert starts == [ex.id for ex in six]
    # A worksheet prints as on its own page: its fields, without the page's tools.
    whole = normalized(pdf_text(pdf))
    assert "Your name" in whole and "Score yourself" in whole
    assert "Export all answers" not in whole and "What you need" not in whole


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_accessibility_violations(page, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    open_plan(page, "?minutes=100&people=6&audience=team")
    page.wait_for_function("document.querySelectorAll('.pb-planner-sheet').length > 0")
    assert scheme(page) == ("slate" if color_scheme == "dark" else "default")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    open_plan(page, "?minutes=3&people=25&audience=team")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


def test_runs_once_after_instant_navigation(browser, instant_url, library):
    with open_page(browser, instant_url) as page:
        page.goto("/")
        page.evaluate("window.pbSamePage = true")
        page.locator(".md-sidebar--primary a[href$='plan/']").first.click()
        page.wait_for_selector(".pb-plan-totals:not(:empty)")
        assert page.evaluate("window.pbSamePage === true"), "expected instant navigation"
        page.get_by_label("People", exact=True).fill("6")
        page.get_by_label("For", exact=True).select_option("team")
        page.get_by_role("button", name="Propose a plan").click()
        assert plan_ids(page) == expected_plan(library, 45, 6, "team")
        assert page.locator(".pb-planner-form").count() == 1
        assert page.locator("#pb-plan-title").count() == 1


def test_without_javascript_the_page_points_to_the_catalog(browser, site_url):
    with open_page(browser, site_url, java_script_enabled=False) as page:
        page.goto(PLAN)
        assert page.locator(".pb-planner-noscript").is_visible()
        assert page.locator(".pb-planner-form").is_hidden()


def test_planner_data_gives_each_formats_head_count(library, pathways):
    data = json.loads(planner_data(library, pathways, SETTINGS, True))
    assert data["formatPeople"] == {
        fid: [term.people.min, term.people.max] for fid, term in SETTINGS.formats.items()
    }
