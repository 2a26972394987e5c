"""A second playbook from the same code: a research team's methods, with audiences,
formats and themes of its own, no difficulty levels and no checklists, time ranges,
resources, examples, a section of its own (Considerations), old addresses and another
licence. Its exercises were converted from a folder of Markdown methods by
`playbook import`; the conversion is checked here too."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_mkdocs_build

from playbook.cli import main
from playbook.config import load_settings
from playbook.importer import convert_folder, report

HERE = Path(__file__).parent / "playbooks"
SOURCE = HERE / "methods-source"
RESEARCH = HERE / "research"
SETTINGS = load_settings(RESEARCH / "playbook.yml")
CONVERTED_ON = dt.date(2026, 12, 5)
IMPORT_OPTIONS = {
    "audiences": ["researcher", "designer"],
    "formats": ["alone", "small-group"],
    "aliases": "{category}/{stem}/",
}


def _convert(out: Path):
    return convert_folder(SOURCE, out, settings=SETTINGS, today=CONVERTED_ON, **IMPORT_OPTIONS)


def test_the_conversion_gives_the_committed_exercises(tmp_path):
    results = _convert(tmp_path)
    assert [r.problems for r in results] == [[] for _ in results]
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in (RESEARCH / "exercises").iterdir())
    for name in written:
        assert (tmp_path / name).read_text() == (RESEARCH / "exercises" / name).read_text(), name


def test_the_conversion_reports_what_it_changed_and_what_it_could_not_map(tmp_path):
    text = report(_convert(tmp_path))
    assert "not mapped: front matter 'owner' (research-guild)" in text
    assert "changed: dropped 1 HTML comment" in text
    assert "changed: dropped 2 wrapper tags" in text
    assert "changed: time '1–2 hours per interviewee' → 1-2 hours, per interviewee" in text
    assert "changed: time '2–5 days, 1–4 weeks elapsed' → 2-5 days, elapsed 1-4 weeks" in text
    assert "changed: time 'N/A' → 'varies'" in text
    assert "changed: link '{{site.baseurl}}/discover/journey-mapping/' → journey-mapping.md" in text
    assert "changed: link '/discover/stakeholder-interviews/' → stakeholder-interviews.md" in text
    assert "changed: 'Considerations' → sections.considerations" in text
    assert text.endswith("6 of 6 methods written, 6 valid as written; 1 thing not mapped.")


def test_a_section_the_playbook_has_no_place_for_is_reported_not_dropped(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    (source / "one.md").write_text(
        "---\ntitle: One\ntime: 10 minutes\n---\n## What\n\nA thing.\n\n## Budget\n\nMoney.\n"
    )
    (result,) = convert_folder(source, tmp_path / "out", settings=SETTINGS, **IMPORT_OPTIONS)
    assert result.unmapped == [
        "section 'Budget' has no place in an exercise (1 words); add it to playbook.yml's "
        "sections to keep it"
    ]


def test_import_never_overwrites(tmp_path):
    _convert(tmp_path)
    again = _convert(tmp_path)
    assert all(r.target is None and "already exists" in r.problems[-1] for r in again)


def test_validate_passes_with_the_playbooks_own_vocabularies(monkeypatch):
    monkeypatch.chdir(RESEARCH)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output
    assert result.output == "6 exercise files OK.\n"


def test_our_words_are_refused_there(monkeypatch, tmp_path):
    project = tmp_path / "research"
    shutil.copytree(RESEARCH, project)
    path = project / "exercises" / "card-sorting.yaml"
    path.write_text(
        path.read_text().replace("- researcher\n", "- seller\n") + "difficulty: introductory\n"
    )
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1
    assert (
        "audiences[0]: expected one of researcher, designer, product-manager; found the text "
        "'seller'" in result.stderr
    )
    assert "difficulty: this playbook has no 'difficulty' values" in result.stderr


@pytest.fixture(scope="module")
def research_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("research") / "site"
    result = run_mkdocs_build(RESEARCH, site)
    assert result.returncode == 0, result.stderr
    return site


def _article(site: Path, path: str) -> str:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    return re.search(r"<article\b.*?</article>", html, re.S).group(0)


def _text(html: str) -> str:
    html = re.sub(r'<a class="headerlink"[^>]*>.*?</a>', "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_method_page_shows_what_the_method_holds(research_site):
    text = _text(_article(research_site, "exercises/stakeholder-interviews"))
    assert "Time: Session 1–2 hours per interviewee" in text
    assert "People: 1–3 (alone or in a group of two or three)" in text
    assert "For: Researchers , Designers" in text or "For: Researchers, Designers" in text
    assert "Difficulty" not in text
    assert "Considerations Tell each person how their answers will be used" in text
    assert "An interview guide template : questions to adapt" in text
    assert "Stakeholder interviews in practice" in text
    assert "Score yourself" not in text and "Worksheet" not in text


def test_times_that_are_ranges_days_or_vary(research_site):
    journey = _text(_article(research_site, "exercises/journey-mapping"))
    assert "Session 2–5 days · 1-4 weeks elapsed" in journey
    design = _text(_article(research_site, "exercises/design-studio"))
    assert "Session varies (The method gives no time (Flexible).)" in design


def test_old_addresses_send_readers_on(research_site):
    page = (research_site / "discover" / "stakeholder-interviews" / "index.html").read_text()
    assert (
        '<meta http-equiv="refresh" content="0; url=../../exercises/stakeholder-interviews/">'
        in page
    )
    target = (
        research_site
        / "discover"
        / "stakeholder-interviews"
        / "../../exercises/stakeholder-interviews/index.html"
    ).resolve()
    assert target.is_file()


def test_the_licence_is_the_playbooks_own(research_site):
    home = (research_site / "index.html").read_text()
    assert "These methods are in the public domain." in home
    assert "CC BY" not in home
    assert (
        '<a href="https://creativecommons.org/publicdomain/zero/1.0/">Public domain (CC0 1.0)</a>'
        in home
    )


def test_the_catalog_speaks_of_methods_and_filters_by_its_own_words(research_site):
    catalog = _article(research_site, "exercises")
    assert "6 methods for finding out what people need" in _text(catalog)
    assert '<option value="small-group">In a group of two or three</option>' in catalog
    assert '<option value="discover">Discover</option>' in catalog
    assert "pb-filter-difficulty" not in catalog


def test_search_finds_what_the_methods_hold(research_site):
    index = json.loads((research_site / "search" / "search_index.json").read_text())
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "keep the recordings out of shared drives" in text
    assert "An interview guide template" in text


def test_the_printout_carries_the_sections_examples_and_resources(research_site, tmp_path):
    from playbook.pdf import make_pdfs, pdf_path

    site = tmp_path / "site"
    shutil.copytree(research_site, site)
    made = make_pdfs(site, papers=("a4",))
    assert sorted(made.pages["a4"]) == sorted(p.stem for p in (RESEARCH / "exercises").iterdir())
    pdf = site / pdf_path("a4", "stakeholder-interviews")
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in (
        "Stakeholder interviews",
        "Session 1–2 hours per interviewee",
        "Considerations",
        "keep the recordings out of shared drives",
        "An interview guide template",
        "Public domain (CC0 1.0)",
    ):
        assert expected in text, expected
    page = (site / "exercises" / "stakeholder-interviews" / "index.html").read_text()
    assert 'href="../../pdf/a4/stakeholder-interviews.pdf"' in page
