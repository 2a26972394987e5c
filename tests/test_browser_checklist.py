"""The self-scoring checklist and the worksheet, in a real browser."""

from __future__ import annotations

import json
from pathlib import Path

from sample_site import (  # noqa: F401 - fixtures
    STORAGE_KEY,
    open_exercise,
    open_page,
    sample_page,
    sample_site,
    sample_url,
)

SCORE = "[data-pb-score]"
CURRENT_BAND = ".pb-bands tr[aria-current='true'] th"


def test_ticking_items_updates_the_total_and_the_band(sample_page):
    page = sample_page
    open_exercise(page)
    score = page.locator(SCORE)
    assert score.is_visible()
    assert score.get_attribute("role") == "status"
    assert "Your score: 0 of 6" in score.inner_text()
    assert page.locator(CURRENT_BAND).inner_text() == "Just started"
    assert page.locator(".pb-bands").is_visible()

    page.get_by_label("I did the second thing.").check()
    assert "Your score: 2 of 6" in score.inner_text()
    assert "On the way" in score.inner_text()
    assert "Go one level deeper." in score.inner_text()
    assert page.locator(CURRENT_BAND).inner_text() == "On the way"
    assert page.locator(".pb-bands tr.pb-band--current").count() == 1

    page.get_by_label("I did the first thing.").check()
    page.locator("[data-pb-key='check.depth'][value='3']").check()
    assert "Your score: 6 of 6" in score.inner_text()
    assert page.locator(CURRENT_BAND).inner_text() == "Done well"

    page.get_by_label("I did the first thing.").uncheck()
    page.locator("[data-pb-key='check.depth'][value='1']").check()
    assert "Your score: 3 of 6" in score.inner_text()
    assert page.locator(CURRENT_BAND).inner_text() == "On the way"


def test_keyboard_only(sample_page):
    page = sample_page
    open_exercise(page)
    first = page.get_by_label("I did the first thing.")
    first.focus()
    page.keyboard.press("Space")
    assert first.is_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.pbKey") == "check.second"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    # Into the 0-3 scale: arrow keys move along the radio group.
    assert page.evaluate("document.activeElement.dataset.pbKey") == "check.depth"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.locator("[data-pb-key='check.depth']:checked").get_attribute("value") == "2"
    assert "Your score: 5 of 6" in page.locator(SCORE).inner_text()

    # Tab on to the save button and press it with the keyboard.
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Save today’s score":
            break
    page.keyboard.press("Enter")
    assert page.locator(".pb-history-table tbody tr").count() == 1
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle })()"
    )
    assert focused != "none"


def fill_every_field(page) -> dict[str, str | bool]:
    page.get_by_label("A short answer").fill("Meet Ana on Tuesday")
    page.get_by_label("A long answer").fill("First line\nSecond line")
    page.get_by_label("Three things: item 1").fill("budget")
    page.get_by_label("Three things: item 3").fill("timing")
    page.get_by_label("Who started it, row 2").fill("they did")
    page.get_by_label("When, row 1").fill("Monday")
    page.locator("[data-pb-key='confidence'][value='4']").check()
    page.get_by_label("I did the second thing.").check()
    page.locator("[data-pb-key='check.depth'][value='2']").check()
    return {
        "one-line": "Meet Ana on Tuesday",
        "many-lines": "First line\nSecond line",
        "three-things.1": "budget",
        "three-things.3": "timing",
        "log.r2.c2": "they did",
        "log.r1.c1": "Monday",
        "confidence": "4",
        "check.second": True,
        "check.depth": "2",
    }


def stored(page) -> dict:
    raw = page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw)


def test_every_field_type_is_fillable_and_saved_as_a_map(sample_page):
    page = sample_page
    open_exercise(page)
    expected = fill_every_field(page)
    assert stored(page)["answers"] == expected


def test_worksheet_fits_a_phone(browser, sample_url):
    with open_page(browser, sample_url, viewport={"width": 360, "height": 740}) as page:
        open_exercise(page)
        fill_every_field(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
        for selector in ("[data-pb-key='one-line']", "[data-pb-key='check.second']"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360


def test_without_javascript_the_checklist_reads_as_a_list(browser, sample_url):
    with open_page(browser, sample_url, java_script_enabled=False) as page:
        page.goto("/exercises/every-field/")
        assert page.locator(".pb-items li").count() == 3
        assert page.locator(".pb-bands").is_visible()
        assert "add them up" in page.locator(".pb-howto").inner_text()
        assert page.locator(".pb-points").first.inner_text() == "1 point"
        assert not page.locator(SCORE).is_visible()
        assert page.locator("[data-pb-tools], button:text('Save today’s score')").count() == 0
        assert page.get_by_text("Export all answers").count() == 0


def test_script_is_registered_in_mkdocs_yml():
    text = (Path(__file__).parent.parent / "mkdocs.yml").read_text()
    assert "assets/playbook.js" in text
