"""Printing an exercise page, in a real browser: the print bar (print.js), the print
stylesheet (print.css), answers on or off the paper, participant and facilitator versions.

Prints go through Chromium's PDF output and are read back with pdftotext.
"""

from __future__ import annotations

import subprocess

import pytest
from conftest import ROOT, SETTINGS
from pdf_helpers import printed_text

from playbook.loader import load_library


@pytest.fixture(scope="module")
def exercise():
    """The exercise whose worksheet has the most kinds of field (then the most fields)."""
    library = load_library(settings=SETTINGS, paths=[ROOT / "exercises"], root=ROOT)
    assert library.ok, library.problems
    with_notes = [ex for ex in library.exercises if ex.facilitator_notes]
    assert with_notes, "no exercise has facilitator notes"
    return max(
        with_notes,
        key=lambda ex: (
            len({f.type for f in ex.worksheet.fields}),
            len(ex.worksheet.fields),
            ex.id,
        ),
    )


def open_exercise(page, exercise, query: str = "") -> None:
    page.goto(f"/exercises/{exercise.id}/{query}")
    page.wait_for_selector(".pb-printbar")
    page.wait_for_selector("[data-pb-tools]")  # playbook.js has restored the answers


def fill_worksheet(page) -> list[str]:
    """Type a distinct answer into every text box, rate, and tick; returns the answers."""
    answers = []
    boxes = page.locator(".pb-worksheet input[type=text], .pb-worksheet textarea")
    for n in range(boxes.count()):
        answers.append(f"Qz{n}k")
        boxes.nth(n).fill(answers[-1])
    page.locator(".pb-field--rating input[value='4']").first.check()
    page.locator(".pb-checklist input").first.check()
    return answers


def test_print_bar_sets_the_version_and_prints(page, exercise):
    open_exercise(page, exercise)
    html = page.locator("html")
    bar = page.locator(".pb-printbar")
    assert bar.get_by_role("button", name="Print worksheet").is_visible()
    assert page.get_by_role("radio", name="with my answers").is_checked()
    page.get_by_role("radio", name="blank").check()
    assert "pb-print-blank" in html.get_attribute("class")
    page.get_by_role("radio", name="with my answers").check()
    assert "pb-print-blank" not in html.get_attribute("class")
    page.get_by_role("checkbox", name="facilitator version").check()
    assert "pb-print-facilitator" in html.get_attribute("class")
    page.evaluate("() => { window.print = () => { window.printed = (window.printed || 0) + 1 } }")
    bar.get_by_role("button", name="Print worksheet").click()
    assert page.evaluate("window.printed") == 1


def test_address_presets_the_version(page, exercise):
    open_exercise(page, exercise, "?print=blank,facilitator")
    classes = page.locator("html").get_attribute("class")
    assert "pb-print-blank" in classes and "pb-print-facilitator" in classes
    assert page.get_by_role("radio", name="blank").is_checked()
    assert page.get_by_role("checkbox", name="facilitator version").is_checked()


def test_without_javascript_there_is_no_print_bar(browser, site_url, exercise):
    context = browser.new_context(base_url=site_url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/exercises/{exercise.id}/")
    assert page.locator(".pb-printbar").count() == 0
    assert not page.locator(".pb-downloads").is_visible()  # no PDFs in a plain build
    assert not page.locator(".pb-print-footer").is_visible()
    page.emulate_media(media="print")
    assert page.locator(".pb-print-footer").is_visible()
    assert page.locator(".pb-worksheet").is_visible()
    context.close()


def test_print_shows_the_worksheet_and_none_of_the_site(page, exercise):
    open_exercise(page, exercise)
    page.emulate_media(media="print")
    for selector in [
        ".md-header",
        ".md-sidebar--primary",
        ".md-sidebar--secondary",
        ".md-footer",
        ".md-tags",
        ".md-content__button",
        ".pb-printbar",
        "[data-pb-tools]",
        "#facilitator",
        "div.pb-facilitator",
        "#debrief",
    ]:
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    for selector in ["h1", "#steps", "#worksheet", ".pb-checklist", ".pb-bands"]:
        assert page.locator(selector).first.is_visible(), f"{selector} is not printed"
    footer = page.locator(".pb-print-footer")
    assert footer.is_visible()
    assert exercise.title in footer.inner_text()
    assert exercise.updated.isoformat() in footer.inner_text()
    assert footer.inner_text().endswith(f"/exercises/{exercise.id}/")
    page.emulate_media(media="screen")
    page.get_by_role("checkbox", name="facilitator version").check()
    page.emulate_media(media="print")
    assert page.locator("div.pb-facilitator").is_visible()
    assert page.locator("#debrief").is_visible()


def test_fields_rows_and_items_are_never_split_across_pages(page, exercise):
    open_exercise(page, exercise)
    page.emulate_media(media="print")
    avoid = page.evaluate(
        """() => [".pb-field:not(.pb-field--table)", ".pb-table tr", ".pb-items > li",
                  ".pb-bands", ".pb-print-footer"].map(s =>
            [s, [...document.querySelectorAll(s)].every(
                el => getComputedStyle(el).breakInside === "avoid")])"""
    )
    assert all(ok for _, ok in avoid), avoid


def test_print_with_my_answers_or_blank(page, exercise, tmp_path):
    open_exercise(page, exercise)
    answers = fill_worksheet(page)
    assert len(answers) >= len(exercise.worksheet.fields)
    page.reload()  # the answers come back from storage into the inputs
    page.wait_for_selector("[data-pb-tools]")
    filled = printed_text(page, tmp_path, "filled")
    missing = [a for a in answers if a not in filled]
    assert not missing, f"answers not printed: {missing}"
    assert "← my score" in filled
    page.get_by_role("radio", name="blank").check()
    blank = printed_text(page, tmp_path, "blank")
    assert not [a for a in answers if a in blank], "the blank print shows answers"
    assert "← my score" not in blank
    assert exercise.worksheet.fields[0].label in blank
    # Printing blank changed nothing on screen.
    box = page.locator(".pb-worksheet input[type=text], .pb-worksheet textarea").first
    assert box.input_value() == answers[0]


def test_facilitator_version_adds_the_notes(page, exercise, tmp_path):
    open_exercise(page, exercise)
    notes = " ".join(page.locator("div.pb-facilitator").inner_text().split())
    participant = printed_text(page, tmp_path, "participant")
    assert notes[:80] not in participant
    open_exercise(page, exercise, "?print=facilitator")
    facilitator = printed_text(page, tmp_path, "facilitator")
    assert notes[:80] in facilitator
    assert "For the facilitator" in facilitator
    assert exercise.debrief[0] in facilitator


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_filled_worksheet_as_an_image(page, exercise, paper, artifacts):
    """A filled-in print as PNGs in the artifacts folder, for a person to look at."""
    ARTIFACTS = artifacts / "print"
    open_exercise(page, exercise)
    fill_worksheet(page)
    page.emulate_media(media="print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / f"{exercise.id}-filled-{paper.lower()}.pdf"
    pdf.write_bytes(page.pdf(format=paper))
    prefix = ARTIFACTS / pdf.stem
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(prefix)], check=True)
    assert list(ARTIFACTS.glob(f"{pdf.stem}-*.png"))
