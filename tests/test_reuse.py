"""While serving, the plugin reuses the finished pages an edit did not touch
(playbook/reuse.py). The site it serves after each edit must be the site a build without
reuse gives after the same edits: every file byte for byte, the search index included.
Both series of builds run the way ``mkdocs serve`` runs them (tests/serve_steps.py)."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project

STEPS = ROOT / "tests" / "serve_steps.py"
# Steps of serve_steps.py in order; after these, nothing can be reused (what every
# page shows changed: the problems banner, the navigation, the site's configuration).
EVERYTHING_NEW = {
    "first build",
    "a problem",
    "the problem fixed",
    "a pathway's title, shown in the navigation",
    "the inherited site name",
    "a hand-written page's title",
}
NAMES = [
    "first build",
    "an exercise added",
    "a new title",
    "a step's words",
    "the exercise deleted",
    "a problem",
    "the problem fixed",
    "a pathway's title, shown in the navigation",
    "the inherited site name",
    "a hand-written page's title",
    "nothing changed",
]


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    base = tmp_path_factory.mktemp("reuse")
    results = {}
    for mode in ("on", "off"):
        project = copy_project(base / f"project-{mode}")
        other = sorted(p.stem for p in (project / "exercises").glob("*.yaml"))[3]
        out = base / f"out-{mode}"
        done = subprocess.run(
            [sys.executable, str(STEPS), str(project), str(out), mode, other],
            capture_output=True,
            text=True,
            cwd=project,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        results[mode] = (out, json.loads(done.stdout.strip().splitlines()[-1]), other)
    return results


def _differences(left: Path, right: Path) -> list[str]:
    found = []
    compare = filecmp.dircmp(left, right)
    stack = [(compare, "")]
    while stack:
        node, prefix = stack.pop()
        found += [f"only one side: {prefix}{n}" for n in node.left_only + node.right_only]
        for name in node.common_files:
            if not filecmp.cmp(Path(node.left, name), Path(node.right, name), shallow=False):
                found.append(f"differs: {prefix}{name}")
        stack += [(sub, f"{prefix}{name}/") for name, sub in node.subdirs.items()]
    return sorted(found)


@pytest.mark.parametrize("number", range(len(NAMES)), ids=NAMES)
def test_the_served_site_is_the_one_a_full_build_gives(series, number):
    (on, _, _), (off, _, _) = series["on"], series["off"]
    assert _differences(on / f"step-{number}", off / f"step-{number}") == []


def test_pages_are_reused_where_nothing_they_show_changed(series):
    _, reused, _ = series["on"]
    _, never, _ = series["off"]
    assert never == [0] * len(NAMES)
    for name, count in zip(NAMES, reused, strict=True):
        if name in EVERYTHING_NEW:
            assert count == 0, name
        else:
            assert count > 25, name  # the other exercise pages, catalogs, levels, …


def test_an_edit_shows_everywhere_it_should(series):
    """The comparison above holds for a site that did change: the new title is on the
    page, in the catalog and in the search index, and the deleted exercise is gone."""
    out, _, other = series["on"]
    assert (out / "step-1" / "exercises" / "sample" / "index.html").is_file()
    assert "A sample exercise" in (out / "step-1" / "exercises" / "index.html").read_text(
        encoding="utf-8"
    )
    step = out / "step-2"
    assert "A new title" in (step / "exercises" / other / "index.html").read_text(encoding="utf-8")
    assert "A new title" in (step / "exercises" / "index.html").read_text(encoding="utf-8")
    index = json.loads((step / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(e["title"] == "A new title" for e in index["docs"])
    assert "Changed words." in (out / "step-3" / "exercises" / other / "index.html").read_text(
        encoding="utf-8"
    )
    assert not (out / "step-4" / "exercises" / "sample").exists()
    index = (out / "step-4" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "exercises/sample/" not in index
    assert "pb-build-problems" in (out / "step-5" / "index.html").read_text(encoding="utf-8")
    assert "pb-build-problems" not in (out / "step-6" / "index.html").read_text(encoding="utf-8")
    # Every page's navigation shows the pathway's new title, then the inherited name.
    levels = out / "step-7" / "levels" / "index.html"
    assert "A changed pathway" in levels.read_text(encoding="utf-8")
    levels = out / "step-8" / "levels" / "index.html"
    assert "Renamed site" in levels.read_text(encoding="utf-8")
    # The hook that strips comments ran after the plugin put the worksheets back.
    last = (out / "step-10" / "exercises" / other / "index.html").read_text(encoding="utf-8")
    assert 'class="pb-worksheet"' in last and "<!--" not in last
    assert (out / "step-10" / "guides" / "teams" / "index.html").is_file()  # the draft
