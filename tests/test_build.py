"""Real MkDocs builds: generated pages, navigation, edit links, and failed builds."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, SAMPLE, SETTINGS, copy_project, run_mkdocs_build

from playbook.loader import load_library


def shipped_ids() -> list[str]:
    return sorted(
        ex.id for ex in load_library(settings=SETTINGS, paths=[ROOT / "exercises"]).exercises
    )


def test_every_exercise_gets_a_page_and_the_catalogs_list_them(built_site):
    catalog = (built_site / "exercises" / "index.html").read_text(encoding="utf-8")
    for exercise_id in shipped_ids():
        assert (built_site / "exercises" / exercise_id / "index.html").is_file()
        assert f'href="../{exercise_id}/"' in catalog or f'href="{exercise_id}/"' in catalog
    assert (built_site / "themes" / "index.html").is_file()
    assert (built_site / "audiences" / "index.html").is_file()
    assert list((built_site / "themes").glob("*/index.html"))


def test_the_sidebar_does_not_list_every_exercise(built_site):
    """Exercise pages stay out of the navigation: the nav is the same small list on
    every page, so the build grows linearly with the number of exercises."""
    ids = shipped_ids()
    page = (built_site / "exercises" / ids[0] / "index.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', page, re.S)
    assert nav, "primary navigation not found"
    for exercise_id in ids:
        assert f"/exercises/{exercise_id}/" not in nav.group(0)
    assert "By theme" in nav.group(0)  # the catalog pages are in the nav


def test_edit_links_point_at_the_yaml_source(built_site):
    for exercise_id in shipped_ids():
        page = (built_site / "exercises" / exercise_id / "index.html").read_text(encoding="utf-8")
        assert f"/edit/main/exercises/{exercise_id}.yaml" in page


def test_plain_text_fields_are_escaped_in_the_built_html(tmp_path):
    text = SAMPLE.replace("title: A sample exercise", "title: 'Tom & Jerry say \"a < b\"'")
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": text})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "site" / "exercises" / "sample" / "index.html").read_text(encoding="utf-8")
    assert (
        '<meta name="description" content="A short exercise used to test error messages.">' in page
    )
    assert "<title>Tom &amp; Jerry say &#34;a &lt; b&#34; - " in page
    assert re.search(r'<h1 id=[^>]*>Tom &amp; Jerry say "a &lt; b"<', page)
    assert '"a < b"' not in page  # never raw, neither in text nor in an attribute


def test_an_invalid_exercise_fails_the_build_with_every_problem_and_keeps_the_site(tmp_path):
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": SAMPLE})
    site = tmp_path / "site"
    assert run_mkdocs_build(project, site).returncode == 0
    before = (site / "exercises" / "sample" / "index.html").read_text(encoding="utf-8")

    broken = SAMPLE.replace("{minutes: 20}", "{minutes: twenty}").replace("title:", "titel:")
    (project / "exercises" / "sample.yaml").write_text(broken, encoding="utf-8")
    (project / "exercises" / "second.yaml").write_text(
        SAMPLE.replace("id: sample", "id: second").replace("format: pair", "format: pairs"),
        encoding="utf-8",
    )
    result = run_mkdocs_build(project, site)
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "Traceback" not in output
    assert "exercises/sample.yaml:12:20: session.minutes: expected a time" in output
    assert "exercises/sample.yaml:2:1: titel: unknown key 'titel'" in output
    assert "exercises/second.yaml:11:9: format: expected one of" in output
    assert (site / "exercises" / "sample" / "index.html").read_text(encoding="utf-8") == before


def playbook_build(project: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run(
        [sys.executable, "-m", "playbook.cli", "build"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def test_playbook_build_keeps_the_last_good_site_when_strict_fails(tmp_path):
    """Not only exercise problems: any failure (here a broken link under --strict,
    found after MkDocs started writing) leaves site/ as it was."""
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": SAMPLE})
    first = playbook_build(project)
    assert first.returncode == 0, first.stderr
    index = project / "site" / "index.html"
    good = index.read_text(encoding="utf-8")

    home = project / "content" / "index.md"
    home.write_text(
        home.read_text(encoding="utf-8") + "\n[broken](missing-page.md)\n", encoding="utf-8"
    )
    second = playbook_build(project)
    assert second.returncode == 1
    assert "missing-page.md" in second.stderr
    assert "was kept as it was" in second.stderr
    assert "Traceback" not in second.stderr
    assert index.read_text(encoding="utf-8") == good
    assert not list(project.glob(".site-*")), "the staging folder must be cleaned up"


def test_playbook_build_replaces_the_site_on_success(tmp_path):
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": SAMPLE})
    assert playbook_build(project).returncode == 0
    (project / "exercises" / "sample.yaml").write_text(
        SAMPLE.replace("A sample exercise", "A renamed exercise"), encoding="utf-8"
    )
    assert playbook_build(project).returncode == 0
    page = (project / "site" / "exercises" / "sample" / "index.html").read_text(encoding="utf-8")
    assert "A renamed exercise" in page


def test_no_font_service_is_requested(built_site):
    pages = list(built_site.rglob("*.html"))
    assert pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in text and "fonts.gstatic.com" not in text, page


def test_a_clean_checkout_of_the_committed_files_builds(tmp_path):
    """What CI and a newcomer get: only what git tracks (an empty folder, an ignored
    file or anything else left on this machine does not count)."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True, check=False
    )
    if archive.returncode != 0:
        pytest.skip("not a git checkout")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    subprocess.run(["tar", "-x", "-C", str(checkout)], input=archive.stdout, check=True)
    result = run_mkdocs_build(checkout, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
