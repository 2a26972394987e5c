"""PDF worksheets made from the built site: `playbook pdf` and playbook/pdf.py.

The PDFs are made once per module from a copy of the project's built site (the shared
`built_site` stays as a plain build), then read back with poppler's pdfinfo, pdftotext
and pdftoppm. Page images go to the artifacts folder (see conftest) for a person to look at.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SETTINGS
from pdf_helpers import normalized, pdf_pages, pdf_text

from playbook.cli import main
from playbook.loader import load_library
from playbook.pdf import PAPERS, count_pages, pdf_path, read_manifest

EXERCISE_IDS = sorted(p.stem for p in (ROOT / "exercises").glob("*.yaml"))
PATHWAY_IDS = sorted(p.stem for p in (ROOT / "pathways").glob("*.yaml"))
PACKS = [f"pathway-{p}" for p in PATHWAY_IDS]
# Text of the site around the worksheet that must never reach paper.
SITE_CHROME = [
    "Skip to content",
    "Search",
    "Back to top",
    "Made with",
    "Edit this page",
    "Print worksheet",
    "with my answers",
    "Worksheet as PDF",
    "Save today",
    "Export all answers",
    "Reset answers",
    "Last updated",
    "Related exercises",
    "Variations",
]


def html_text(fragment: str) -> str:
    return normalized(html.unescape(re.sub(r"<[^>]+>", " ", fragment)))


@pytest.fixture(scope="module", autouse=True)
def poppler():
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils is missing: ./dev test installs it")


@pytest.fixture(scope="module")
def exercises():
    library = load_library(settings=SETTINGS, paths=[ROOT / "exercises"], root=ROOT)
    assert library.ok, library.problems
    return {ex.id: ex for ex in library.exercises}


@pytest.fixture(scope="module")
def pdf_run(built_site, tmp_path_factory):
    """A copy of the built site after `playbook pdf`, and what the command printed."""
    site = tmp_path_factory.mktemp("pdf") / "site"
    shutil.copytree(built_site, site)
    result = CliRunner().invoke(main, ["pdf", "-d", str(site)])
    assert result.exit_code == 0, result.output
    return site, result.output


@pytest.fixture(scope="module")
def pdf_site(pdf_run) -> Path:
    return pdf_run[0]


def test_playbook_pdf_writes_every_exercise_and_pathway_in_both_sizes(pdf_run):
    site, output = pdf_run
    assert len(PACKS) >= 4
    for paper in PAPERS:
        made = sorted(p.stem for p in (site / "pdf" / paper).glob("*.pdf"))
        assert made == sorted([*EXERCISE_IDS, *PACKS])
    assert f"Wrote {2 * (len(EXERCISE_IDS) + len(PACKS))} PDFs" in output
    assert "warning" not in output


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_every_exercise_prints_on_at_most_two_pages(pdf_site, exercise_id, paper):
    path = pdf_site / pdf_path(paper, exercise_id)
    pages = pdf_pages(path)
    assert 1 <= pages <= 2, f"{exercise_id} takes {pages} pages of {paper}"
    assert count_pages(path.read_bytes()) == pages
    media = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    size = re.search(r"^Page size:.*\((\w+)\)", media, re.M)
    assert size and size.group(1).lower() == paper, media
    for page in range(1, pages + 1):
        assert pdf_text(path, page).strip(), f"page {page} of {exercise_id} ({paper}) is blank"


@pytest.mark.parametrize("paper", list(PAPERS))
@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_pdf_has_the_whole_worksheet_and_nothing_else(
    pdf_site, built_site, exercises, exercise_id, paper
):
    ex = exercises[exercise_id]
    text = normalized(pdf_text(pdf_site / pdf_path(paper, exercise_id)))
    expected = [ex.title, ex.updated.isoformat(), f"exercises/{ex.id}/"]
    expected += [f"{n}. {step.title} ({step.minutes} min)" for n, step in enumerate(ex.steps, 1)]
    expected += [field.label for field in ex.worksheet.fields]
    expected += [item.text for item in ex.checklist.items]
    expected += [band.label for band in ex.checklist.bands]
    expected += [f"Total: ________ of {ex.checklist.max_score} points"]
    expected += [SETTINGS.config.words.name, SETTINGS.config.words.with_whom]
    # pdftotext may read an item's points ("2 points") into the middle of its wrapped text.
    unpointed = normalized(re.sub(r"\b\d+ points?\b", " ", text))
    missing = [s for s in expected if normalized(s) not in text and normalized(s) not in unpointed]
    assert not missing, f"not in the PDF of {exercise_id}: {missing}"
    chrome = [s for s in SITE_CHROME if s in text]
    assert not chrome, f"site text in the PDF of {exercise_id}: {chrome}"
    page = (built_site / "exercises" / exercise_id / "index.html").read_text(encoding="utf-8")
    if ex.facilitator_notes:
        notes = re.search(r'<div class="pb-facilitator pb-notes">(.*?)</div>', page, re.S)
        assert notes, "the page has no facilitator notes section"
        for sentence in re.split(r"(?<=[.!?])\s+", html_text(notes.group(1))):
            assert sentence[:60] not in text, (
                f"facilitator notes in the participant PDF: {sentence}"
            )
    prompts = {prompt for step in ex.steps for prompt in step.prompts}
    for question in set(ex.debrief) - prompts:
        assert normalized(question) not in text, "debrief questions are for the facilitator"


@pytest.mark.parametrize("pathway_id", PATHWAY_IDS)
def test_a_pathway_pack_has_a_cover_and_its_exercises_in_order(pdf_site, exercises, pathway_id):
    _, packs = read_manifest(pdf_site)
    (pack,) = [p for p in packs if p.id == pathway_id]
    members = [exercises[e] for e in pack.exercises]
    for paper in PAPERS:
        path = pdf_site / pdf_path(paper, pack.name)
        own = sum(pdf_pages(pdf_site / pdf_path(paper, ex.id)) for ex in members)
        assert pdf_pages(path) == 1 + own
        cover = normalized(pdf_text(path, 1))
        assert cover.startswith(normalized(pack.title))
        start = 2
        for ex in members:
            assert normalized(f"{ex.title}, page {start}") in cover
            assert normalized(ex.title) in normalized(pdf_text(path, start))
            start += pdf_pages(pdf_site / pdf_path(paper, ex.id))
    page = pack.html_path.read_text(encoding="utf-8")
    assert f'href="../../pdf/a4/{pack.name}.pdf"' in page


def test_exercise_pages_link_their_pdfs_and_their_packs(pdf_site):
    sheets, packs = read_manifest(pdf_site)
    assert sorted(s.id for s in sheets) == EXERCISE_IDS
    for sheet in sheets:
        page = sheet.html_path.read_text(encoding="utf-8")
        slot = re.search(r'<p class="pb-downloads"[^>]*>(.*?)</p>', page, re.S)
        assert slot and "hidden" not in slot.group(0).split(">")[0]
        hrefs = re.findall(r'href="([^"]+\.pdf)"', slot.group(1))
        wanted = {pdf_path(p, sheet.id) for p in PAPERS}
        for pack in packs:
            if sheet.id in pack.exercises:
                wanted |= {pdf_path(p, pack.name) for p in PAPERS}
        found = {(sheet.html_path.parent / h).resolve() for h in hrefs}
        assert found == {(pdf_site / w).resolve() for w in wanted}
        assert all(path.exists() for path in found)


def test_a_build_without_pdfs_has_no_pdf_links(built_site):
    assert not (built_site / "pdf").exists()
    pages = list((built_site / "exercises").glob("*/index.html"))
    assert len(pages) == len(EXERCISE_IDS)
    for path in pages:
        page = path.read_text(encoding="utf-8")
        assert ".pdf" not in page, path
        for slot in re.findall(r'<p class="pb-downloads"[^>]*>.*?</p>', page, re.S):
            assert " hidden>" in slot and slot.endswith("hidden></p>"), slot


def test_without_a_pdf_engine_the_site_is_left_without_links(built_site, tmp_path, monkeypatch):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    monkeypatch.setenv("PLAYBOOK_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result = CliRunner().invoke(main, ["pdf", "-d", str(site)])
    assert result.exit_code == 1
    assert "No PDFs: PDFs need Chromium" in result.output
    assert "Traceback" not in result.output
    assert not any(".pdf" in p.read_text() for p in site.glob("exercises/*/index.html"))


def test_pdf_needs_a_built_site(tmp_path):
    result = CliRunner().invoke(main, ["pdf", "-d", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a built site: run 'playbook build' first" in result.output
    (tmp_path / "notes.txt").write_text("mine\n")
    result = CliRunner().invoke(main, ["pdf", "-d", str(tmp_path / "notes.txt")])
    assert result.exit_code == 2
    assert "notes.txt' is a file" in result.output
    (tmp_path / "index.html").write_text("<p>built by something else</p>")
    result = CliRunner().invoke(main, ["pdf", "-d", str(tmp_path)])
    assert result.exit_code == 1
    assert "has no playbook-manifest.json" in result.output
    assert "Traceback" not in result.output


def test_build_with_pdf_option(tmp_path):
    """`playbook build --pdf` on a small project: the PDFs are in place when site/ appears."""
    from sample_site import write_sample_project

    config = write_sample_project(tmp_path, "https://example.org/playbook/")
    site = tmp_path / "site"
    result = CliRunner().invoke(main, ["build", "--pdf", "-f", str(config), "-d", str(site)])
    assert result.exit_code == 0, result.output
    ids = [p.stem for p in (tmp_path / "exercises").glob("*.yaml")]
    for exercise_id in ids:
        for paper in PAPERS:
            assert (site / pdf_path(paper, exercise_id)).exists()
        page = (site / "exercises" / exercise_id / "index.html").read_text(encoding="utf-8")
        assert f"pdf/a4/{exercise_id}.pdf" in page
        text = normalized(pdf_text(site / pdf_path("a4", exercise_id)))
        assert f"https://example.org/playbook/exercises/{exercise_id}/" in text
    assert not list(tmp_path.glob(".site-*")), "the staging folder was left behind"
    # Again on the same site: the links are replaced, not added twice.
    again = CliRunner().invoke(main, ["pdf", "-d", str(site)])
    assert again.exit_code == 0, again.output
    for exercise_id in ids:
        page = (site / "exercises" / exercise_id / "index.html").read_text(encoding="utf-8")
        assert page.count("Worksheet as PDF") == 1


def test_page_images_for_people_to_look_at(pdf_site, artifacts):
    """PNGs of every page of every PDF in the artifacts folder (pytest -s prints where)."""
    ARTIFACTS = artifacts / "pdf"
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"\npage images: {ARTIFACTS}")
    for paper in PAPERS:
        for pdf in sorted((pdf_site / "pdf" / paper).glob("*.pdf")):
            shutil.copy(pdf, ARTIFACTS / f"{pdf.stem}-{paper}.pdf")
            subprocess.run(
                ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"{pdf.stem}-{paper}")],
                check=True,
            )
    pngs = list(ARTIFACTS.glob("*.png"))
    assert len(pngs) >= 2 * len(EXERCISE_IDS)
    assert all(p.stat().st_size > 2000 for p in pngs)


def test_a_run_that_fails_part_way_keeps_the_previous_pdfs_and_links(
    pdf_site, tmp_path, monkeypatch
):
    from playwright.sync_api import Error as PlaywrightError

    import playbook.pdf as pdf_module

    site = tmp_path / "site"
    shutil.copytree(pdf_site, site)
    before = {p.relative_to(site): p.read_bytes() for p in (site / "pdf").rglob("*.pdf")}
    pages_before = {p: p.read_text(encoding="utf-8") for p in site.glob("exercises/*/index.html")}
    assert before

    real_print, calls = pdf_module._print, []

    def failing_print(page, target, paper):
        calls.append(target)
        if len(calls) == 3:
            raise PlaywrightError("Timeout 30000ms exceeded.")
        return real_print(page, target, paper)

    monkeypatch.setattr(pdf_module, "_print", failing_print)
    result = CliRunner().invoke(main, ["pdf", "-d", str(site)])
    assert result.exit_code == 1
    assert (
        "(the previous ones and their links were kept): Timeout 30000ms exceeded." in result.output
    )
    after = {p.relative_to(site): p.read_bytes() for p in (site / "pdf").rglob("*.pdf")}
    assert after == before
    assert {p: p.read_text(encoding="utf-8") for p in pages_before} == pages_before
    assert not list(site.glob(".pdf-new"))
