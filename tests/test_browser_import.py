"""Hostile and conflicting input for the answers kept in the browser: exercises and
answers named after `Object.prototype` properties, an import that meets answers already
kept here (merge), and an import that runs out of storage (roll back)."""

from __future__ import annotations

import json

from browser_helpers import (
    EXERCISE,
    FAKE_TODAY,
    REFUSE_ONE_KEY,
    SECOND,
    STATUS,
    STORAGE_KEY,
    answers_file,
    answers_on_screen,
    export_file,
    fill_every_field,
    import_file,
    open_exercise,
    open_page,
    record_dialogs,
    save_score_on,
    storage_snapshot,
    stored,
)

pytest_plugins = ["sample_site"]  # the sample_url and sample_page fixtures

PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]
# A record whose answer keys are all prototype names (answers are a map by field id).
ODD_RECORD = {
    "answers": {name: f"answer to {name}" for name in PROTOTYPE_NAMES},
    "history": [{"date": "2026-11-01", "score": 2, "max": 6}],
}


# --- Object.prototype names -------------------------------------------------------------


def test_an_exercise_stored_as_constructor_leaves_saving_and_export_working(sample_page, tmp_path):
    page = sample_page
    open_exercise(page)
    page.evaluate(
        "([key, value]) => localStorage.setItem(key, value)",
        ["engagement-playbook:constructor", json.dumps(ODD_RECORD)],
    )
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    expected = fill_every_field(page)
    page.reload()
    page.wait_for_selector("[data-pb-tools]")
    assert answers_on_screen(page) == expected

    data = json.loads(export_file(page, tmp_path).read_text())
    # An entry in the layout before copies exports as the reader's own copy.
    assert data["exercises"]["constructor"] == {"copies": {"me": ODD_RECORD}}
    assert data["exercises"]["every-field"]["copies"]["me"]["answers"] == expected
    assert "Exported 2 copies of 2 exercises" in page.locator(STATUS).inner_text()
    assert (
        json.loads(page.evaluate("localStorage['engagement-playbook:constructor']")) == ODD_RECORD
    )


def test_importing_records_named_after_prototype_properties(sample_page, tmp_path):
    page = sample_page
    dialogs = record_dialogs(page)
    open_exercise(page)
    path = answers_file(
        tmp_path,
        {
            "constructor": ODD_RECORD,
            "every-field": {**ODD_RECORD, "answers": {"check.first": True}},
        },
    )
    assert "added 2 copies" in import_file(page, path)
    assert answers_on_screen(page) == {"check.first": True}
    stored_odd = page.evaluate("localStorage['engagement-playbook:constructor']")
    assert json.loads(stored_odd) == {"copies": {"me": ODD_RECORD}}

    # Saving on a normal page still works, and the export holds both records as they are.
    page.get_by_label("A short answer").fill("still saved")
    assert stored(page)["answers"] == {"check.first": True, "one-line": "still saved"}
    data = json.loads(export_file(page, tmp_path).read_text())
    assert data["exercises"]["constructor"] == {"copies": {"me": ODD_RECORD}}
    assert set(data["exercises"]) == {"constructor", "every-field"}

    # The same file again: its answers are all among the ones here, so nothing is asked,
    # and the records stay as they were.
    before = storage_snapshot(page)
    assert "added 0 copies, kept 2 that were already here, replaced 0." in import_file(page, path)
    assert storage_snapshot(page) == before
    assert dialogs == []


def test_files_naming_exercises_that_cannot_exist_are_refused(sample_page, tmp_path):
    """Exercise ids are slugs, so `__proto__` and `toString` are damage, not exercises."""
    page = sample_page
    open_exercise(page)
    fill_every_field(page)
    before = storage_snapshot(page)
    for name in ["__proto__", "toString", "hasOwnProperty", "valueOf"]:
        path = answers_file(
            tmp_path, {"second-sample": ODD_RECORD, name: ODD_RECORD}, f"{name}.json"
        )
        status = import_file(page, path)
        assert f"“{name}”" in status and "Nothing was changed" in status
        assert storage_snapshot(page) == before


# --- Merging --------------------------------------------------------------------------

MINE = {"one-line": "mine", "check.first": True}
LATER = {"date": "2026-11-16", "score": 5, "max": 6}
THEIRS = {"one-line": "theirs", "check.second": True}


def set_up_mine(page) -> dict:
    """every-field answered here (MINE) with scores on 2026-11-02 and 2026-11-09."""
    page.add_init_script(FAKE_TODAY)
    open_exercise(page)
    page.get_by_label("A short answer").fill("mine")
    page.get_by_label("I did the first thing.").check()
    save_score_on(page, "2026-11-02")
    page.get_by_label("I did the second thing.").check()
    save_score_on(page, "2026-11-09")
    page.get_by_label("I did the second thing.").uncheck()
    assert stored(page)["answers"] == MINE
    return stored(page)


def conflicting_file(tmp_path):
    return answers_file(
        tmp_path,
        {
            "every-field": {
                "answers": THEIRS,
                "history": [
                    {"date": "2026-11-09", "score": 3, "max": 6},  # the same as mine
                    {"date": "2026-11-09", "score": 4, "max": 6},  # another device, same day
                    {"date": "2026-11-16", "score": 5, "max": 6},
                ],
            },
            "second-sample": {"answers": {"note": "from the file"}, "history": []},
        },
    )


JOINED = [
    ("2026-11-02", 1),
    ("2026-11-09", 3),
    ("2026-11-09", 4),
    ("2026-11-16", 5),
]


def test_import_joins_score_histories_and_keeps_your_answers(sample_page, tmp_path):
    page = sample_page
    set_up_mine(page)
    dialogs = record_dialogs(page)  # Cancel: keep mine
    status = import_file(page, conflicting_file(tmp_path))
    assert status == (
        "Imported “answers.json”: added 1 copy, kept 1 that was already here, replaced 0;"
        " score histories joined for 1."
    )
    assert len(dialogs) == 1 and "every-field (My copy)" in dialogs[0]
    assert "second-sample" not in dialogs[0]
    assert answers_on_screen(page) == MINE
    assert stored(page)["answers"] == MINE
    assert [(e["date"], e["score"]) for e in stored(page)["history"]] == JOINED
    assert page.locator(".pb-history-table tbody tr").count() == 4
    open_exercise(page, SECOND)
    assert answers_on_screen(page) == {"note": "from the file"}


def test_import_uses_the_files_answers_when_you_choose_them(sample_page, tmp_path):
    page = sample_page
    set_up_mine(page)
    page.once("dialog", lambda dialog: dialog.accept())
    status = import_file(page, conflicting_file(tmp_path))
    assert "added 1 copy, kept 0 that were already here, replaced 1;" in status
    assert answers_on_screen(page) == THEIRS
    assert [(e["date"], e["score"]) for e in stored(page)["history"]] == JOINED

    # Two scores of one day: each has its own Delete button.
    page.get_by_role("button", name="Delete the score of 2026-11-09 (4 of 6)").click()
    assert [(e["date"], e["score"]) for e in stored(page)["history"]] == [
        ("2026-11-02", 1),
        ("2026-11-09", 3),
        ("2026-11-16", 5),
    ]


def test_import_asks_nothing_when_only_one_side_has_answers(sample_page, tmp_path):
    page = sample_page
    mine = set_up_mine(page)
    dialogs = record_dialogs(page, accept=True)
    only_scores = answers_file(
        tmp_path,
        {"every-field": {"answers": {}, "history": [LATER]}},
    )
    status = import_file(page, only_scores)
    assert "added 0 copies, kept 1 that was already here, replaced 0; score" in status
    assert stored(page) == {**mine, "history": [*mine["history"], LATER]}
    assert dialogs == []

    # A page with scores but no answers here takes the file's answers without asking.
    page.get_by_role("button", name="Reset answers…").click()
    assert stored(page)["answers"] == {}
    import_file(page, conflicting_file(tmp_path))
    assert answers_on_screen(page) == THEIRS
    assert len(dialogs) == 1 and dialogs[0].startswith("Clear your answers")


# --- Running out of storage -----------------------------------------------------------


def test_an_import_that_runs_out_of_storage_is_rolled_back(sample_page, tmp_path):
    page = sample_page
    page.add_init_script(REFUSE_ONE_KEY)
    set_up_mine(page)
    before = storage_snapshot(page)
    path = answers_file(
        tmp_path,
        {
            "second-sample": {"answers": {"note": "new here"}, "history": []},
            "every-field": {"answers": MINE, "history": [LATER]},
            "third-exercise": {"answers": {"x": "y"}, "history": []},
        },
    )
    page.evaluate("window.refusedKey = 'engagement-playbook:third-exercise'")
    status = import_file(page, path)
    assert "was not imported" in status
    assert "2 of 3 exercises" in status
    assert "Nothing was changed" in status
    assert "pb-status--problem" in page.locator(STATUS).get_attribute("class")
    assert storage_snapshot(page) == before
    assert page.locator(".pb-history-table tbody tr").count() == 2
    assert page.locator(".pb-notice").count() == 0

    # Answers typed afterwards are still kept in storage.
    page.get_by_label("A short answer").fill("after the failed import")
    assert stored(page)["answers"]["one-line"] == "after the failed import"


FILL_STORAGE = """() => {
  let size = 1 << 22, n = 0, last = null;
  while (size >= 1024) {
    try { localStorage.setItem('filler-' + n, 'x'.repeat(size)); last = 'filler-' + n++; }
    catch { size >>= 1; }
  }
  localStorage.removeItem(last);  // leaves between 1 and 3 KB free
  return n;
}"""


def test_an_import_into_a_nearly_full_storage_is_rolled_back(browser, sample_url, tmp_path):
    with open_page(browser, sample_url) as page:
        open_exercise(page)
        page.get_by_label("A short answer").fill("kept")
        assert page.evaluate(FILL_STORAGE) > 1
        before = storage_snapshot(page)
        path = answers_file(
            tmp_path,
            {
                "second-sample": {"answers": {"note": "small"}, "history": []},
                "not-here-yet": {"answers": {"many-lines": "x" * 200_000}, "history": []},
            },
        )
        status = import_file(page, path)
        assert "was not imported" in status and "1 of 2 exercises" in status
        assert "Nothing was changed" in status
        assert storage_snapshot(page) == before
        assert page.evaluate("localStorage.getItem('engagement-playbook:second-sample')") is None
        assert answers_on_screen(page) == {"one-line": "kept"}
        assert page.url.endswith(EXERCISE)
        assert STORAGE_KEY in page.evaluate("Object.keys(localStorage)")
