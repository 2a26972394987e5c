"""The self-scoring checklist and the worksheet, in a real browser."""

from __future__ import annotations

from pathlib import Path

from browser_helpers import fill_every_field, open_exercise, open_page, stored

pytest_plugins = ["sample_site"]  # the sample_url and sample_page fixtures

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
    save = "Save today’s score"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == save:
            break
    focused_text = page.evaluate("document.activeElement.textContent")
    assert focused_text == save, f"ten Tabs did not reach the save button (at {focused_text!r})"
    page.keyboard.press("Enter")
    assert page.locator(".pb-history-table tbody tr").count() == 1
    focused = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle })()"
    )
    assert focused != "none"


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


def test_every_page_of_a_site_with_the_plugin_loads_the_script(built_site):
    """The plugin adds its own scripts and styles: a site's mkdocs.yml lists none."""
    assert "assets/playbook" not in (Path(__file__).parent.parent / "mkdocs.yml").read_text()
    for page in ("index.html", "exercises/index.html", "plan/index.html"):
        html = (built_site / page).read_text(encoding="utf-8")
        assert "assets/playbook/playbook.js" in html and "assets/playbook/print.css" in html
    assert (built_site / "assets" / "playbook" / "playbook.js").is_file()


def test_forced_colors_and_reduced_motion(browser, sample_url):
    options = {"forced_colors": "active", "reduced_motion": "reduce"}
    with open_page(browser, sample_url, **options) as page:
        open_exercise(page)
        page.get_by_label("I did the second thing.").check()
        row = page.locator(".pb-bands tr[aria-current='true']")
        assert row.evaluate("el => getComputedStyle(el).outlineStyle") == "solid"
        assert row.evaluate("el => getComputedStyle(el).transitionDuration") == "0s"


def test_help_texts_are_tied_to_their_fields(sample_page):
    page = sample_page
    open_exercise(page)
    for field, text in [
        ("#pbf-one-line", "One line is enough."),
        ("[data-pb-field='confidence']", "Be honest; nobody else sees this."),
    ]:
        help_id = page.locator(field).get_attribute("aria-describedby")
        assert page.locator(f"#{help_id}").inner_text() == text
    rating = page.get_by_role("group", name="How confident are you?")
    assert rating.get_by_role("radio").count() == 5
