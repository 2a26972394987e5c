"""The catalog's filters, in a real browser: each control narrows the cards and the live
region says how many are shown; without JavaScript every exercise is listed."""

from __future__ import annotations

import gzip

import pytest
from browser_helpers import axe_violations, open_page
from conftest import ROOT, SETTINGS

CATALOG = "/exercises/"


def minutes(ex) -> int | None:
    """What a card's time filter compares: the session's shorter end."""
    return None if ex.session.minutes.varies else ex.session.minutes.low


def visible_ids(page) -> set[str]:
    return set(
        page.locator(".pb-cards .pb-card:visible").evaluate_all(
            "cards => cards.map(card => card.dataset.pbId)"
        )
    )


def status(page) -> str:
    return page.get_by_role("status").inner_text()


def test_filters_are_labelled_controls(page, library):
    page.goto(CATALOG)
    for label in (
        "For",
        "Format",
        "People",
        "Time you have",
        "Session length",
        "Difficulty",
        "Theme",
        "Pathway",
    ):
        assert page.get_by_label(label, exact=True).is_visible()
    assert status(page) == f"{len(library)} exercises shown"
    assert visible_ids(page) == {ex.id for ex in library}


@pytest.mark.parametrize(
    ("label", "value", "keep"),
    [
        ("Format", "pair", lambda ex: "pair" in ex.formats),
        ("For", "manager", lambda ex: "manager" in ex.audiences),
        ("Time you have", "30", lambda ex: minutes(ex) is not None and minutes(ex) <= 30),
        ("Session length", "0-15", lambda ex: minutes(ex) is not None and minutes(ex) <= 15),
        ("Session length", "16-45", lambda ex: minutes(ex) is not None and 16 <= minutes(ex) <= 45),
        ("Session length", "46-", lambda ex: minutes(ex) is not None and minutes(ex) >= 46),
        ("People", "6", lambda ex: SETTINGS.people(ex)[0] <= 6 <= SETTINGS.people(ex)[1]),
        ("Difficulty", "advanced", lambda ex: ex.difficulty == "advanced"),
        ("Theme", "listening", lambda ex: "listening" in ex.themes),
    ],
    ids=["format", "audience", "time", "drills", "middle", "long", "people", "level", "theme"],
)
def test_each_filter_narrows_the_cards(page, library, label, value, keep):
    expected = {ex.id for ex in library if keep(ex)}
    assert 0 < len(expected) < len(library), "pick a value that really filters"
    page.goto(CATALOG)
    page.get_by_label(label, exact=True).select_option(value)
    assert visible_ids(page) == expected
    noun = "exercise" if len(expected) == 1 else "exercises"
    assert status(page) == f"{len(expected)} {noun} shown"


def test_filters_combine_and_reset_with_the_keyboard(page, library):
    page.goto(CATALOG)
    page.get_by_label("For", exact=True).select_option("seller")
    page.get_by_label("Time you have", exact=True).select_option("45")
    expected = {
        ex.id
        for ex in library
        if "seller" in ex.audiences and minutes(ex) is not None and minutes(ex) <= 45
    }
    assert visible_ids(page) == expected
    assert "time=45" in page.url and "audience=seller" in page.url

    show_all = page.get_by_role("button", name="Show all")
    show_all.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelector('[role=status]').textContent === n + ' exercises shown'",
        arg=len(library),
    )
    assert visible_ids(page) == {ex.id for ex in library}

    # Keyboard only: Tab into the first select and change it with the arrow keys.
    page.get_by_label("For", exact=True).focus()
    page.keyboard.press("ArrowDown")
    assert status(page) != f"{len(library)} exercises shown"


def test_a_filtered_address_opens_filtered(page, library):
    page.goto(CATALOG + "?format=team")
    assert page.get_by_label("Format", exact=True).input_value() == "team"
    assert visible_ids(page) == {ex.id for ex in library if "team" in ex.formats}


def test_the_pathway_filter_shows_a_pathways_exercises(page, library, pathways):
    assert pathways, "the playbook ships pathways"
    page.goto(CATALOG)
    for pathway in pathways:
        page.get_by_label("Pathway", exact=True).select_option(pathway.id)
        assert visible_ids(page) == {step.exercise for step in pathway.steps}, pathway.id


def test_filters_work_after_instant_navigation(browser, instant_url, library):
    with open_page(browser, instant_url) as page:
        page.goto("/")
        page.evaluate("window.pbSamePage = true")
        page.locator(".md-content a[href$='exercises/']").first.click()
        page.get_by_label("Format", exact=True).select_option("solo")
        assert page.evaluate("window.pbSamePage === true"), "expected instant navigation"
        assert visible_ids(page) == {ex.id for ex in library if "solo" in ex.formats}
        assert status(page) == f"{len(visible_ids(page))} exercises shown"


def test_without_javascript_every_exercise_is_listed(browser, site_url, library):
    with open_page(browser, site_url, java_script_enabled=False) as page:
        page.goto(CATALOG)
        assert visible_ids(page) == {ex.id for ex in library}
        assert page.locator("form.pb-filters").is_hidden()
        # Theme and audience pages list every exercise of their group, with or without it.
        page.goto("/themes/listening/")
        assert visible_ids(page) == {ex.id for ex in library if "listening" in ex.themes}
        page.goto("/audiences/manager/")
        assert visible_ids(page) == {ex.id for ex in library if "manager" in ex.audiences}


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_filters_have_no_accessibility_violations(browser, site_url, color_scheme):
    """The catalog with a filter in use (axe over the whole page; every page as first
    seen is checked in test_accessibility)."""
    with open_page(browser, site_url, color_scheme=color_scheme) as page:
        page.goto(CATALOG)
        page.get_by_label("Theme", exact=True).select_option("listening")
        assert axe_violations(page) == []


def test_catalog_script_and_style_stay_small():
    """The catalog's own share of the playbook's budget for scripts and styles."""
    assets = ROOT / "playbook" / "assets"
    size = sum(
        len(gzip.compress((assets / name).read_bytes())) for name in ("catalog.js", "catalog.css")
    )
    assert size < 1536, f"catalog.js + catalog.css are {size} bytes gzipped"
