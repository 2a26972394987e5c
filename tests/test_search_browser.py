"""Search on the built site, in Chromium: an exercise is found by words from its steps,
while the worksheet, checklist, bands and run-sheet stay out of the index."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ROOT, SETTINGS

from playbook.loader import load_library

EXERCISE = "listen-to-the-end"


@pytest.fixture(scope="module")
def exercise():
    library = load_library([ROOT / "exercises"], settings=SETTINGS, root=ROOT)
    return {ex.id: ex for ex in library.exercises}[EXERCISE]


def phrase_from(text: str) -> str:
    """Three long words in a row from a step's instructions: a phrase a reader recalls."""
    words = re.findall(r"[A-Za-z]+", text)
    for i in range(len(words) - 2):
        if all(len(w) >= 5 for w in words[i : i + 3]):
            return " ".join(words[i : i + 3])
    raise AssertionError("no phrase of three long words in the step")


def search(page, query: str) -> list[str]:
    page.goto("/")
    box = page.locator("input.md-search__input")
    box.click()  # the header's search box (a desktop-wide window)
    # Material's search worker reads the index first; a query typed before that is lost.
    page.wait_for_function(
        "() => { const m = document.querySelector('.md-search-result__meta');"
        " return m && m.textContent.trim() && !/Initializing/.test(m.textContent) }",
        timeout=60_000,
    )
    box.press_sequentially(query, delay=10)  # typed: Material searches on key presses
    page.wait_for_selector(".md-search-result__item")
    return page.locator(".md-search-result__item > a").evaluate_all(
        "links => links.map(a => new URL(a.href).pathname)"
    )


def test_a_phrase_from_a_step_finds_its_exercise(page, exercise):
    query = phrase_from(exercise.steps[1].instructions)
    found = search(page, query)
    assert f"/exercises/{EXERCISE}/" in found[:5], (query, found)


def test_title_words_find_the_exercise(page, exercise):
    assert f"/exercises/{EXERCISE}/" in search(page, exercise.title)[:3]


def test_form_markup_stays_out_of_the_index(built_site, exercise):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    own = " ".join(
        d["text"] for d in index["docs"] if d["location"].startswith(f"exercises/{EXERCISE}/")
    )
    assert exercise.steps[0].title.split()[0] in " ".join(
        d["title"] for d in index["docs"] if d["location"].startswith(f"exercises/{EXERCISE}/")
    )
    assert exercise.checklist.items[0].text not in own
    assert exercise.checklist.bands[0].advice not in own
    assert exercise.worksheet.fields[0].label not in own
    assert SETTINGS.config.words.with_whom not in own
