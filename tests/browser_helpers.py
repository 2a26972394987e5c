"""Helpers for the browser tests of exercise pages (the fixtures are in sample_site.py)."""

from __future__ import annotations

import contextlib
import json

EXERCISE = "/exercises/every-field/"
SECOND = "/exercises/second-sample/"
STORAGE_KEY = "engagement-playbook:every-field"


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


def stored(page) -> dict:
    raw = page.evaluate(f"localStorage.getItem({json.dumps(STORAGE_KEY)})")
    return json.loads(raw)


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
