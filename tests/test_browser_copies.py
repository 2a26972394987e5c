"""Copies of a worksheet, one per person and date, and the My worksheets page, in a real
browser: copies kept apart through reload and instant navigation, rename, delete and
undo, answers saved before copies existed, export and import of every copy, the merge
report, a full storage, damaged entries, print and accessibility."""

from __future__ import annotations

import json

import pytest
from browser_helpers import (
    EXERCISE,
    FAKE_TODAY,
    REFUSE_ONE_KEY,
    SECOND,
    STATUS,
    STORAGE_KEY,
    answers_file,
    answers_on_screen,
    axe_violations,  # axe-core, as the accessibility tests run it
    export_file,
    fill_every_field,
    import_file,
    open_copy,
    open_exercise,
    open_page,
    record_dialogs,
    save_score_on,
    start_copy,
    storage_snapshot,
    stored,
    stored_record,
)
from pdf_helpers import printed_text  # a print to PDF, read back as text

pytest_plugins = ["sample_site"]  # the sample_url and sample_page fixtures

MY_WORKSHEETS = "/my-worksheets/"
SECOND_KEY = "engagement-playbook:second-sample"
COPY_STATUS = ".pb-copy-status"
NOTICE = ".pb-notice"
SCORE = "[data-pb-score]"
TITLE = "Every field type, for the browser tests"
SAMS = {"@name": "Sam", "@date": "2026-11-23", "one-line": "Sam’s answer", "check.first": True}


def open_label(page) -> str:
    """The label of the copy open on the page."""
    return page.locator("#pb-copy option:checked").inner_text()


def copy_labels(page) -> list[str]:
    return page.locator("#pb-copy option").all_inner_texts()


def sams_copy(page) -> None:
    """Start Sam's copy and answer in it (SAMS)."""
    start_copy(page, "Sam", "2026-11-23")
    page.get_by_label("A short answer").fill("Sam’s answer")
    page.get_by_label("I did the first thing.").check()


def open_my_worksheets(page) -> None:
    page.goto(MY_WORKSHEETS)
    page.wait_for_selector("[data-pb-my-worksheets] [data-pb-tools]")
    # The list is drawn once the site's exercise titles are read (planner.json).
    page.wait_for_selector(".pb-my-list > table, .pb-my-list > p")


def listed(page) -> list[list[str]]:
    """The My worksheets table, row by row."""
    rows = page.locator(".pb-copies-table tbody tr")
    return [rows.nth(n).locator("th, td").all_inner_texts() for n in range(rows.count())]


def test_two_copies_keep_their_own_answers_through_reload_and_instant_navigation(sample_page):
    page = sample_page
    page.add_init_script(FAKE_TODAY)
    open_exercise(page)
    assert open_label(page) == "My copy"
    mine = fill_every_field(page)
    sams_copy(page)
    assert open_label(page) == "Sam, 2026-11-23"
    assert copy_labels(page) == ["My copy", "Sam, 2026-11-23"]
    # Sam's name and date fill the worksheet's header, so they are printed too.
    assert page.get_by_label("Your name").input_value() == "Sam"
    assert page.get_by_label("Date", exact=True).first.input_value() == "2026-11-23"
    assert answers_on_screen(page) == SAMS
    assert "Your score: 1 of 6" in page.locator(SCORE).inner_text()
    save_score_on(page, "2026-11-23")
    assert page.locator(".pb-history-table tbody tr").count() == 1

    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert open_label(page) == "Sam, 2026-11-23"  # the copy open last opens again
    assert answers_on_screen(page) == SAMS
    open_copy(page, "My copy")
    assert answers_on_screen(page) == mine
    assert "Your score: 4 of 6" in page.locator(SCORE).inner_text()
    assert page.locator(".pb-history").is_hidden()  # Sam's score is Sam's

    # Instant navigation to another exercise and back.
    page.evaluate("window.__same_document = true")
    page.get_by_role("link", name="A second sample exercise").click()
    page.wait_for_selector("[data-pb-exercise='second-sample'] ~ [data-pb-tools]")
    assert open_label(page) == "My copy" and answers_on_screen(page) == {}
    page.get_by_role("link", name=TITLE).click()
    page.wait_for_selector("[data-pb-exercise='every-field'] ~ [data-pb-tools]")
    assert page.evaluate("window.__same_document") is True
    assert answers_on_screen(page) == mine
    open_copy(page, "Sam, 2026-11-23")
    assert answers_on_screen(page) == SAMS
    assert page.locator(".pb-history-table tbody tr").count() == 1

    record = stored_record(page)
    sam = record["open"]
    assert set(record["copies"]) == {"me", sam}
    assert record["copies"]["me"] == {"answers": mine, "history": []}
    assert record["copies"][sam]["answers"] == SAMS
    assert record["title"] == TITLE and record["url"] == "exercises/every-field/"


def test_rename_delete_and_undo(sample_page):
    page = sample_page
    open_exercise(page)
    page.get_by_label("A short answer").fill("mine")
    sams_copy(page)
    page.once("dialog", lambda dialog: dialog.accept("Samantha"))
    page.get_by_role("button", name="Rename…").click()
    assert open_label(page) == "Samantha, 2026-11-23"
    assert page.get_by_label("Your name").input_value() == "Samantha"
    # The header's name is the copy's name: typing there renames it too.
    page.get_by_label("Your name").fill("Sam K.")
    assert copy_labels(page) == ["My copy", "Sam K., 2026-11-23"]
    renamed = {**SAMS, "@name": "Sam K."}
    assert stored(page)["answers"] == renamed

    page.get_by_role("button", name="Delete this copy").click()
    status = page.locator(COPY_STATUS)
    assert "Deleted the copy Sam K., 2026-11-23; My copy is open." in status.inner_text()
    assert status.get_attribute("role") == "status"
    assert copy_labels(page) == ["My copy"]
    assert answers_on_screen(page) == {"one-line": "mine"}
    assert set(stored_record(page)["copies"]) == {"me"}
    # The undo is offered where the focus is, and works from the keyboard.
    assert page.evaluate("document.activeElement.textContent") == "Undo"
    page.keyboard.press("Enter")
    assert open_label(page) == "Sam K., 2026-11-23"
    assert answers_on_screen(page) == renamed
    assert stored(page)["answers"] == renamed
    assert page.evaluate("document.activeElement.id") == "pb-copy"

    page.get_by_role("button", name="Delete this copy").click()
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert copy_labels(page) == ["My copy"]
    assert answers_on_screen(page) == {"one-line": "mine"}


def test_copies_with_the_keyboard_only(sample_page):
    page = sample_page
    open_exercise(page)
    page.get_by_label("Copy open").focus()
    for expected in ["Rename…", "Delete this copy", "pb-copy-person"]:
        page.keyboard.press("Tab")
        assert expected in page.evaluate(
            "[document.activeElement.textContent, document.activeElement.id]"
        )
    page.keyboard.type("Ana")
    today = page.locator("#pb-copy-date").input_value()  # today's, unless changed
    page.keyboard.press("Enter")  # submits the small form
    page.wait_for_selector(f"{COPY_STATUS}:text('Started the copy Ana, {today}')")
    assert open_label(page) == f"Ana, {today}"
    page.get_by_label("A short answer").fill("Ana’s")
    page.get_by_label("Copy open").focus()
    page.keyboard.press("ArrowUp")
    assert open_label(page) == "My copy"
    assert answers_on_screen(page) == {}
    page.keyboard.press("ArrowDown")
    assert answers_on_screen(page)["one-line"] == "Ana’s"
    # A copy needs a person: the form says so and keeps the focus there.
    page.get_by_role("button", name="Start a copy").click()
    assert "Type whose copy it is first." in page.locator(COPY_STATUS).inner_text()
    assert page.evaluate("document.activeElement.id") == "pb-copy-person"


def test_answers_saved_before_copies_open_in_my_copy(sample_page, tmp_path):
    """Storage written in the layout of the version before copies ({answers, history})."""
    page = sample_page
    old = {
        "answers": {"@with": "Ana", "one-line": "from last month", "check.second": True},
        "history": [{"date": "2026-10-30", "score": 2, "max": 6}],
    }
    page.goto("/")
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)", [STORAGE_KEY, json.dumps(old)]
    )
    open_exercise(page)
    assert copy_labels(page) == ["My copy"]
    assert answers_on_screen(page) == old["answers"]
    assert "Your score: 2 of 6" in page.locator(SCORE).inner_text()
    assert page.locator(".pb-history-table tbody tr").count() == 1
    assert page.locator(NOTICE).count() == 0
    # Reading changes nothing; the next change writes the new layout, losing nothing.
    assert json.loads(page.evaluate(f"localStorage['{STORAGE_KEY}']")) == old
    page.get_by_label("A long answer").fill("added today")
    record = stored_record(page)
    assert record["open"] == "me" and set(record["copies"]) == {"me"}
    assert record["copies"]["me"] == {
        "answers": {**old["answers"], "many-lines": "added today"},
        "history": old["history"],
    }
    # Version 1 export files (the layout before copies) still import, as My copy.
    open_my_worksheets(page)
    path = answers_file(
        tmp_path,
        {"second-sample": {"answers": {"note": "old file"}, "history": []}},
        "old.json",
    )
    assert "added 1 copy" in import_file(page, path)
    assert ["A second sample exercise", "My copy", "", "No score saved"] in listed(page)


def two_exercises_of_copies(page) -> None:
    """every-field: My copy (every field, a score) and Sam's (SAMS, a score);
    second-sample: Ana's copy with a note."""
    page.add_init_script(FAKE_TODAY)
    open_exercise(page)
    fill_every_field(page)
    save_score_on(page, "2026-11-20")
    sams_copy(page)
    save_score_on(page, "2026-11-23")
    open_copy(page, "My copy")
    open_exercise(page, SECOND)
    start_copy(page, "Ana", "2026-11-24")
    page.get_by_label("A note").fill("Ana’s note")


def copies_of(page) -> dict:
    return {
        key: stored_record(page, key)["copies"]
        for key in (STORAGE_KEY, SECOND_KEY)
        if page.evaluate("key => localStorage.getItem(key)", key)
    }


def test_export_then_import_into_an_empty_browser_gives_the_same_copies(sample_page, tmp_path):
    page = sample_page
    two_exercises_of_copies(page)
    path = export_file(page, tmp_path)
    assert "Exported 3 copies of 2 exercises." in page.locator(STATUS).inner_text()
    data = json.loads(path.read_text())
    assert data["version"] == 2
    assert data["exercises"]["every-field"]["title"] == TITLE
    assert len(data["exercises"]["every-field"]["copies"]) == 2
    assert len(data["exercises"]["second-sample"]["copies"]) == 1  # empty copies are left out
    before = copies_of(page)
    before[SECOND_KEY].pop("me")  # opened, never used

    with open_page(page.context.browser, page.url.split("/exercises/")[0]) as other:
        open_my_worksheets(other)
        assert "No worksheets are saved in this browser yet." in other.inner_text(
            "[data-pb-my-worksheets]"
        )
        status = import_file(other, path)
        assert status == (
            f"Imported “{path.name}”: added 3 copies, kept 0 that were already here, replaced 0."
        )
        assert copies_of(other) == before
        other.wait_for_function(  # the list is drawn again after the import
            "document.querySelectorAll('.pb-copies-table tbody tr').length === 3"
        )
        assert len(listed(other)) == 3


def test_import_merges_and_reports_what_it_did(sample_page, tmp_path):
    page = sample_page
    two_exercises_of_copies(page)
    open_exercise(page)
    data = json.loads(export_file(page, tmp_path).read_text())
    copies = data["exercises"]["every-field"]["copies"]
    sam = next(cid for cid in copies if cid != "me")
    copies[sam]["answers"]["one-line"] = "changed on the other device"
    copies["c-lee"] = {"answers": {"@name": "Lee", "@date": "2026-11-25"}, "history": []}
    data["exercises"]["second-sample"]["copies"]["constructor"] = {
        "answers": {"note": "a copy id named like a prototype property"},
        "history": [],
    }
    path = tmp_path / "merge.json"
    path.write_text(json.dumps(data))
    dialogs = record_dialogs(page, accept=True)  # OK: use the file's answers

    status = import_file(page, path)
    assert status == (
        "Imported “merge.json”: added 2 copies, kept 2 that were already here, replaced 1."
    )
    assert len(dialogs) == 1 and "every-field (Sam, 2026-11-23)" in dialogs[0]
    assert copy_labels(page) == ["My copy", "Lee, 2026-11-25", "Sam, 2026-11-23"]
    open_copy(page, "Sam, 2026-11-23")
    assert page.get_by_label("A short answer").input_value() == "changed on the other device"
    # The same file again: everything is already here, nothing is asked.
    assert import_file(page, path).endswith(
        "added 0 copies, kept 5 that were already here, replaced 0."
    )
    assert len(dialogs) == 1

    # A copy id the browser reserves is damage: the file is refused, nothing changes.
    data["exercises"]["second-sample"]["copies"] = {"__proto__": copies["me"]}
    path.write_text(json.dumps(data))
    before = storage_snapshot(page)
    assert "are damaged. Nothing was changed." in import_file(page, path)
    assert storage_snapshot(page) == before


def test_my_worksheets_lists_copies_of_two_exercises_and_opens_one(sample_page):
    page = sample_page
    two_exercises_of_copies(page)
    page.get_by_label("A note").fill("")  # Ana's copy keeps its name and date only
    # To My worksheets by instant navigation (the sample site's menu does not list it).
    page.evaluate("window.__same_document = true")
    page.evaluate(
        "document.querySelector('.md-content').append(Object.assign("
        "document.createElement('a'), {href: '../../my-worksheets/', textContent: 'Mine'}))"
    )
    page.get_by_role("link", name="Mine").click()
    page.wait_for_selector(".pb-copies-table")
    assert listed(page) == [
        ["A second sample exercise", "Ana", "2026-11-24", "No score saved"],
        [TITLE, "My copy", "", "4 of 6 (2026-11-20)"],
        [TITLE, "Sam", "2026-11-23", "1 of 6 (2026-11-23)"],
    ]
    table = page.locator(".pb-copies-table")
    assert table.get_by_role("link", name=TITLE).first.get_attribute("href").endswith(EXERCISE)
    assert page.locator(NOTICE).count() == 0

    # Sam's copy, opened from the keyboard: My copy was the open one on that page.
    table.get_by_role("link", name="Sam", exact=True).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{EXERCISE}")  # the address loses ?copy= once it is open
    page.wait_for_selector("[data-pb-exercise='every-field'] ~ [data-pb-tools]")
    assert page.evaluate("window.__same_document") is True
    assert open_label(page) == "Sam, 2026-11-23"
    assert answers_on_screen(page) == SAMS
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert open_label(page) == "Sam, 2026-11-23"

    # A link to a copy that is not here opens the page and says so.
    page.goto(EXERCISE + "?copy=c-gone")
    page.wait_for_selector("[data-pb-tools]")
    assert "not saved in this browser" in page.locator(COPY_STATUS).inner_text()


def test_damaged_entries_are_left_out_with_a_notice_and_the_rest_loads(sample_page):
    page = sample_page
    record = {
        "open": "c-bad",
        "copies": {
            "me": {"answers": {"one-line": "kept"}, "history": []},
            "c-bad": {"answers": {"one-line": 3}, "history": []},
            "__proto__": {"answers": {}, "history": []},
        },
    }
    page.goto("/")
    page.evaluate(
        "([a, b]) => { localStorage.setItem(a[0], a[1]); localStorage.setItem(b[0], b[1]) }",
        [[STORAGE_KEY, json.dumps(record)], [SECOND_KEY, "{not json"]],
    )
    open_exercise(page)
    assert page.locator(NOTICE).count() == 1
    assert "could not be read" in page.locator(NOTICE).inner_text()
    assert copy_labels(page) == ["My copy"]
    assert answers_on_screen(page) == {"one-line": "kept"}

    open_my_worksheets(page)
    assert listed(page) == [[TITLE, "My copy", "", "No score saved"]]
    notice = page.locator(NOTICE).inner_text()
    assert "every-field" in notice and "second-sample" in notice and "left out" in notice


def test_a_full_storage_is_reported_on_the_page(sample_page):
    page = sample_page
    page.add_init_script(REFUSE_ONE_KEY)
    open_exercise(page)
    page.get_by_label("A short answer").fill("mine")
    assert page.locator(NOTICE).count() == 0
    page.evaluate(f"window.refusedKey = '{STORAGE_KEY}'")
    start_copy(page, "Sam", "2026-11-23")
    assert page.locator(NOTICE).count() == 1
    assert "not letting the playbook keep your answers" in page.locator(NOTICE).inner_text()
    # The page goes on working in memory; the storage keeps what it had.
    page.get_by_label("A short answer").fill("Sam’s")
    open_copy(page, "My copy")
    assert answers_on_screen(page) == {"one-line": "mine"}
    open_copy(page, "Sam, 2026-11-23")
    assert answers_on_screen(page)["one-line"] == "Sam’s"
    assert stored_record(page)["copies"] == {"me": {"answers": {"one-line": "mine"}, "history": []}}
    assert page.locator(NOTICE).count() == 1


def test_print_uses_the_open_copy(sample_page, tmp_path):
    page = sample_page
    open_exercise(page)
    page.get_by_label("A short answer").fill("Qzmine")
    start_copy(page, "Quinnella", "2026-11-23")
    page.get_by_label("A short answer").fill("Qzsams")
    printed = printed_text(page, tmp_path, "quinnellas-copy")
    assert "Quinnella" in printed and "2026-11-23" in printed
    assert "Qzsams" in printed and "Qzmine" not in printed
    assert "Copy open" not in printed and "Start a copy" not in printed
    page.get_by_role("radio", name="blank").check()
    blank = printed_text(page, tmp_path, "blank")
    assert "Quinnella" not in blank and "Qzsams" not in blank


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_copy_controls_and_my_worksheets_have_no_violations(browser, sample_url, color_scheme):
    with open_page(browser, sample_url, color_scheme=color_scheme) as page:
        open_exercise(page)
        fill_every_field(page)
        sams_copy(page)
        page.get_by_role("button", name="Save today’s score").click()
        page.get_by_role("button", name="Delete this copy").click()  # the status offers Undo
        assert page.locator(COPY_STATUS).get_by_role("button", name="Undo").is_visible()
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=1)

        open_my_worksheets(page)
        page.wait_for_selector(".pb-copies-table")
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=1)
