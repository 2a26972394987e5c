"""Answers, ticks and scores kept in the browser: reload, navigation, broken storage,
score history, export, import and reset."""

from __future__ import annotations

import json

from browser_helpers import (
    EXERCISE,
    FAKE_TODAY,
    SECOND,
    STORAGE_KEY,
    answers_on_screen,
    export_file,
    fill_every_field,
    open_exercise,
    open_page,
    save_score_on,
    stored,
)

pytest_plugins = ["sample_site"]  # the sample_url and sample_page fixtures

SCORE = "[data-pb-score]"
NOTICE = ".pb-notice"


def test_answers_survive_reload(sample_page):
    page = sample_page
    open_exercise(page)
    expected = fill_every_field(page)
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert answers_on_screen(page) == expected
    assert "Your score: 4 of 6" in page.locator(SCORE).inner_text()


def test_answers_survive_instant_navigation_and_a_new_visit(sample_page):
    page = sample_page
    open_exercise(page)
    expected = fill_every_field(page)
    # Material's instant navigation: a click loads the next page without a reload.
    page.evaluate("window.__same_document = true")
    page.get_by_role("link", name="A second sample exercise").click()
    page.wait_for_url(f"**{SECOND}")
    page.wait_for_selector("[data-pb-exercise='second-sample'] ~ [data-pb-tools]")
    assert page.evaluate("window.__same_document") is True
    assert answers_on_screen(page) == {}
    page.get_by_label("A note").fill("second page note")
    page.get_by_role("link", name="Every field type, for the browser tests").click()
    page.wait_for_url(f"**{EXERCISE}")
    page.wait_for_selector("[data-pb-exercise='every-field'] ~ [data-pb-tools]")
    assert page.evaluate("window.__same_document") is True
    assert answers_on_screen(page) == expected
    assert "Your score: 4 of 6" in page.locator(SCORE).inner_text()
    # A fresh page load (like closing the browser and coming back) finds both pages.
    page.goto("/")
    open_exercise(page, SECOND)
    assert answers_on_screen(page) == {"note": "second page note"}
    page.go_back()
    open_exercise(page)
    assert answers_on_screen(page) == expected


def test_edited_exercise_keeps_answers_by_key(sample_page):
    """Saved answers are a map by key: items added or removed elsewhere change nothing."""
    page = sample_page
    open_exercise(page)
    record = {
        "answers": {"check.removed-item": True, "check.second": True, "log.r9.c9": "gone"},
        "history": [],
    }
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', {json.dumps(json.dumps(record))})")
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert answers_on_screen(page) == {"check.second": True}
    assert "Your score: 2 of 6" in page.locator(SCORE).inner_text()
    assert page.locator(NOTICE).count() == 0


def test_invalid_json_in_storage_starts_empty_with_one_notice(sample_page):
    page = sample_page
    open_exercise(page)
    page.evaluate(f"localStorage.setItem('{STORAGE_KEY}', '{{not json')")
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert page.locator(NOTICE).count() == 1
    assert "could not be read" in page.locator(NOTICE).inner_text()
    expected = fill_every_field(page)
    assert "Your score: 4 of 6" in page.locator(SCORE).inner_text()
    assert page.locator(NOTICE).count() == 1
    assert stored(page)["answers"] == expected


def test_storage_that_throws_keeps_working_in_memory_with_one_notice(browser, sample_url):
    with open_page(browser, sample_url) as page:
        page.add_init_script(
            "Storage.prototype.setItem = function () {"
            " throw new DOMException('full', 'QuotaExceededError') };"
        )
        open_exercise(page)
        assert page.locator(NOTICE).count() == 1
        assert "not letting the playbook keep your answers" in page.locator(NOTICE).inner_text()
        expected = fill_every_field(page)
        assert "Your score: 4 of 6" in page.locator(SCORE).inner_text()
        page.get_by_role("button", name="Save today’s score").click()
        assert page.locator(".pb-history-table tbody tr").count() == 1
        assert page.locator(NOTICE).count() == 1
        # Instant navigation keeps the answers in memory.
        page.get_by_role("link", name="A second sample exercise").click()
        page.wait_for_selector("[data-pb-exercise='second-sample'] ~ [data-pb-tools]")
        page.get_by_role("link", name="Every field type, for the browser tests").click()
        page.wait_for_selector("[data-pb-exercise='every-field'] ~ [data-pb-tools]")
        assert answers_on_screen(page) == expected
        assert page.locator(NOTICE).count() == 1


def test_storage_that_cannot_be_read(browser, sample_url):
    """Reading our entries throws too (Material's own settings are left alone: the
    theme does not guard its reads)."""
    with open_page(browser, sample_url) as page:
        page.add_init_script(
            "const getItem = Storage.prototype.getItem;"
            "Storage.prototype.getItem = function (key) {"
            " if (String(key).startsWith('engagement-playbook:'))"
            "  throw new DOMException('denied', 'SecurityError');"
            " return getItem.call(this, key) };"
            "Storage.prototype.setItem = function () {"
            " throw new DOMException('denied', 'SecurityError') };"
        )
        open_exercise(page)
        assert page.locator(NOTICE).count() == 1
        page.get_by_label("I did the second thing.").check()
        assert "Your score: 2 of 6" in page.locator(SCORE).inner_text()
        assert page.locator(NOTICE).count() == 1


def test_score_history_chart_list_and_delete(sample_page):
    page = sample_page
    page.add_init_script(FAKE_TODAY)
    open_exercise(page)
    assert page.locator(".pb-history").is_hidden()
    page.get_by_label("I did the first thing.").check()
    save_score_on(page, "2026-11-02")
    page.get_by_label("I did the second thing.").check()
    save_score_on(page, "2026-11-09")
    page.locator("[data-pb-key='check.depth'][value='3']").check()
    save_score_on(page, "2026-11-16")
    # Saving twice on the same day keeps the later score only.
    page.get_by_label("I did the first thing.").uncheck()
    save_score_on(page, "2026-11-16")
    assert (
        "Saved the score of My copy for 2026-11-16: 5 of 6"
        in page.locator(".pb-status").inner_text()
    )

    rows = page.locator(".pb-history-table tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).inner_text().split("\t")[:3] == ["2026-11-02", "1 of 6", "Just started"]
    assert rows.nth(2).inner_text().split("\t")[:3] == ["2026-11-16", "5 of 6", "Done well"]
    chart = page.locator("svg.pb-chart")
    assert chart.get_attribute("role") == "img"
    assert "3 saved scores" in chart.get_attribute("aria-label")
    assert chart.locator("circle").count() == 3
    assert [e["score"] for e in stored(page)["history"]] == [1, 3, 5]

    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert page.locator(".pb-history-table tbody tr").count() == 3
    page.get_by_role("button", name="Delete the score of 2026-11-09").click()
    assert page.locator(".pb-history-table tbody tr").count() == 2
    assert page.locator("svg.pb-chart circle").count() == 2
    assert [e["date"] for e in stored(page)["history"]] == ["2026-11-02", "2026-11-16"]
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.get_by_role("button", name="Delete the score of 2026-11-02").click()
    page.get_by_role("button", name="Delete the score of 2026-11-16").click()
    assert page.locator(".pb-history").is_hidden()
    assert stored(page)["history"] == []


def test_export_reset_import_round_trip(sample_page, tmp_path):
    page = sample_page
    page.add_init_script(FAKE_TODAY)
    open_exercise(page, SECOND)
    page.get_by_label("A note").fill("from the other page")
    open_exercise(page)
    expected = fill_every_field(page)
    save_score_on(page, "2026-11-20")
    before = stored(page)

    path = export_file(page, tmp_path)
    data = json.loads(path.read_text())
    assert data["format"] == "engagement-playbook-answers"
    assert data["version"] == 2
    assert data["exercises"]["every-field"]["copies"] == {"me": before}
    assert data["exercises"]["every-field"]["title"] == "Every field type, for the browser tests"
    assert data["exercises"]["every-field"]["url"] == "exercises/every-field/"
    assert data["exercises"]["second-sample"]["copies"]["me"]["answers"] == {
        "note": "from the other page"
    }

    # Reset asks first; saying no changes nothing.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Reset answers…").click()
    assert answers_on_screen(page) == expected
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset answers…").click()
    assert answers_on_screen(page) == {}
    assert "Your score: 0 of 6" in page.locator(SCORE).inner_text()
    assert stored(page)["answers"] == {}
    assert page.locator(".pb-history-table tbody tr").count() == 1  # scores are kept

    # Import on "another device": a fresh browser context with empty storage.
    with open_page(page.context.browser, page.url.split("/exercises/")[0]) as other:
        open_exercise(other)
        other.locator("[data-pb-import]").set_input_files(path)
        other.wait_for_selector(".pb-status:text('Imported')")
        assert "added 2 copies" in other.locator(".pb-status").inner_text()
        assert answers_on_screen(other) == expected
        assert other.locator(".pb-history-table tbody tr").count() == 1
        assert stored(other) == before
        open_exercise(other, SECOND)
        assert answers_on_screen(other) == {"note": "from the other page"}

    page.locator("[data-pb-import]").set_input_files(path)
    page.wait_for_selector(".pb-status:text('Imported')")
    assert answers_on_screen(page) == expected
    assert stored(page) == before


def test_import_through_the_button_and_file_chooser(sample_page, tmp_path):
    page = sample_page
    open_exercise(page)
    path = tmp_path / "answers.json"
    record = {"answers": {"check.first": True}, "history": []}
    payload = {
        "format": "engagement-playbook-answers",
        "version": 1,
        "exercises": {"every-field": record},
    }
    path.write_text(json.dumps(payload))
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Import answers…").click()
    chooser.value.set_files(path)
    page.wait_for_selector(".pb-status:text('Imported')")
    assert answers_on_screen(page) == {"check.first": True}


BAD_FILES = {
    "not-json.json": ("{oops", "not a JSON file"),
    "other-format.json": (
        json.dumps({"format": "something-else", "version": 1}),
        "not an answers file",
    ),
    "future.json": (
        json.dumps({"format": "engagement-playbook-answers", "version": 99, "exercises": {}}),
        "newer version",
    ),
    "damaged.json": (
        json.dumps(
            {
                "format": "engagement-playbook-answers",
                "version": 1,
                "exercises": {
                    "second-sample": {"answers": {"note": "would overwrite"}, "history": []},
                    "every-field": {"answers": {"x": 3}, "history": []},
                },
            }
        ),
        "damaged",
    ),
}


def test_bad_import_files_are_refused_and_nothing_changes(sample_page, tmp_path):
    page = sample_page
    open_exercise(page, SECOND)
    page.get_by_label("A note").fill("keep me")
    open_exercise(page)
    expected = fill_every_field(page)
    before = page.evaluate("JSON.stringify(Object.entries(localStorage).sort())")
    for name, (text, reason) in BAD_FILES.items():
        path = tmp_path / name
        path.write_text(text)
        page.locator("[data-pb-import]").set_input_files(path)
        status = page.locator(".pb-status")
        page.wait_for_selector(f".pb-status:text('{name}')")
        assert reason in status.inner_text()
        assert "Nothing was changed" in status.inner_text()
        assert "pb-status--problem" in status.get_attribute("class")
        assert page.evaluate("JSON.stringify(Object.entries(localStorage).sort())") == before
        assert answers_on_screen(page) == expected
    open_exercise(page, SECOND)
    assert answers_on_screen(page) == {"note": "keep me"}


def test_nothing_is_sent_anywhere(sample_page):
    """Filling in, ticking and saving a score make no request at all."""
    page = sample_page
    open_exercise(page)
    page.wait_for_load_state("networkidle")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.method + " " + request.url))
    fill_every_field(page)
    page.get_by_role("button", name="Save today’s score").click()
    page.get_by_role("button", name="Delete the score of", exact=False).click()
    page.get_by_role("button", name="Delete the score of", exact=False).wait_for(state="detached")
    page.wait_for_load_state("networkidle")
    assert requests == []
