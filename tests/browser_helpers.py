"""Helpers for the browser tests of exercise pages (the fixtures are in sample_site.py)."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

EXERCISE = "/exercises/every-field/"
SECOND = "/exercises/second-sample/"
STORAGE_KEY = "engagement-playbook:every-field"
STATUS = ".pb-status"


@contextlib.contextmanager
def open_page(browser, base_url: str, **context_options):
    """A page in a fresh context, like conftest's `page`: console errors and requests
    to other hosts fail the test."""
    context = browser.new_context(base_url=base_url, **context_options)
    page = context.new_page()
    errors: list[str] = []
    foreign: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda req: (
            foreign.append(req.url)
            if not req.url.startswith((base_url, "data:", "blob:", "about:"))
            else None
        ),
    )
    page.console_errors = errors
    page.foreign_requests = foreign
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests to other hosts: {foreign}"


def open_exercise(page, path: str = EXERCISE) -> None:
    """Go to an exercise page and wait until the script has set it up."""
    page.goto(path)
    page.wait_for_selector("[data-pb-tools]")


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


def stored_record(page, key: str = STORAGE_KEY) -> dict:
    """An exercise's whole entry in localStorage: {title, url, open, copies}."""
    return json.loads(page.evaluate("key => localStorage.getItem(key)", key))


def stored(page, copy: str | None = None) -> dict:
    """One copy of the sample exercise as stored, {answers, history}: the open one (the
    reader's own, "me", when none is marked open, as after an import) unless `copy`
    names another."""
    record = stored_record(page)
    return record["copies"][copy or record.get("open", "me")]


def start_copy(page, person: str, date: str) -> None:
    """Start a copy of the worksheet for `person` on `date` with the copy controls."""
    form = page.get_by_role("group", name="Start a copy for someone")
    form.get_by_label("Person").fill(person)
    form.get_by_label("Date").fill(date)
    form.get_by_role("button", name="Start a copy").click()
    page.wait_for_selector(f".pb-copy-status:text('Started the copy {person}')")


def open_copy(page, name: str) -> None:
    """Switch to the copy whose label is `name` with the "Copy open" select."""
    page.get_by_label("Copy open").select_option(label=name)


def answers_on_screen(page) -> dict:
    """What the inputs show, read back from the page (the inputs are the truth on screen)."""
    return page.evaluate(
        """() => {
          const out = {};
          for (const el of document.querySelectorAll('[data-pb-exercise] [data-pb-key]')) {
            const key = el.dataset.pbKey;
            if (el.type === 'checkbox') { if (el.checked) out[key] = true; }
            else if (el.type === 'radio') { if (el.checked) out[key] = el.value; }
            else if (el.value) out[key] = el.value;
          }
          return out;
        }"""
    )


# `new Date()` answers `window.testNow` when set. (Playwright's page.clock also
# works, but it makes Material's timers fail with console errors.)
FAKE_TODAY = """{
  const RealDate = Date;
  window.Date = class extends RealDate {
    constructor(...args) { super(...(args.length || !window.testNow ? args : [window.testNow])); }
  };
}"""


def save_score_on(page, day: str) -> None:
    page.evaluate(f"window.testNow = '{day}T10:00:00'")
    page.get_by_role("button", name="Save today’s score").click()


def export_file(page, tmp_path):
    with page.expect_download() as info:
        page.get_by_role("button", name="Export all answers").click()
    download = info.value
    assert download.suggested_filename.startswith("engagement-playbook-answers-")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def answers_file(tmp_path, exercises: dict, name: str = "answers.json"):
    """An export file in the format before copies (version 1): exercise id → {answers,
    history}, which imports as the reader's own copy."""
    path = tmp_path / name
    payload = {"format": "engagement-playbook-answers", "version": 1, "exercises": exercises}
    path.write_text(json.dumps(payload))
    return path


def import_file(page, path) -> str:
    """Import `path` and return the status message (emptied first, so a message left by
    an earlier import of the same file is not taken for this one's)."""
    page.locator(STATUS).evaluate("el => (el.textContent = '')")
    page.locator("[data-pb-import]").set_input_files(path)
    page.wait_for_selector(f"{STATUS}:text('{path.name}')")
    return page.locator(STATUS).inner_text()


def storage_snapshot(page) -> str:
    return page.evaluate("JSON.stringify(Object.entries(localStorage).sort())")


def record_dialogs(page, *, accept: bool = False) -> list[str]:
    """Dialog messages, each answered with OK or Cancel (Playwright's default)."""
    messages: list[str] = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.on("dialog", answer)
    return messages


# Writes to the key in `window.refusedKey` throw, as a full storage does.
REFUSE_ONE_KEY = """{
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (key === window.refusedKey) throw new DOMException('full', 'QuotaExceededError');
    return setItem.call(this, key, value);
  };
}"""


# axe-core (pinned in package-lock.json, installed by `npm ci`): WCAG 2.1 A/AA and best practice.
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (./dev test does it)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", TAGS
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", ""),
        }
        for v in results["violations"]
    ]


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")
