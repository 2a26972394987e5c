"""The build benchmark (bench/run.py) still runs, and prints the table it promises.

Smoke test only: 10 exercises, one build of each kind. It asserts on the table's
structure, never on times (the machines are shared and noisy).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BENCH = ROOT / "bench" / "run.py"

ROWS = [
    "builds measured (median of)",
    "full build, s",
    "peak memory of the build, MB",
    "generator: load + validate, s",
    "generator: render, s",
    "generator share of the build",
    "hand-over to MkDocs (File objects), s",
    "floor: plain-Markdown build, s",
    "our build / floor",
    "growth of the build time",
    "rebuild after editing one exercise, as serve does, s",
    "serve: saved edit to page served, s",
    "hand-written baseline build, s",
    "generator share of that rebuild, ms",
    "rebuild: files parsed / pages rendered / reused",
    "built site, MB",
    "one exercise page, gzipped HTML, KB",
    "one exercise page, first visit total, KB",
    "search index, gzipped, KB",
    "of which titles, summaries, purposes and steps alone, KB",
    "requests to other hosts",
]


def test_bench_prints_the_table_and_a_verdict_per_target(tmp_path):
    page = tmp_path / "performance.md"
    result = subprocess.run(
        [sys.executable, str(BENCH), "--sizes", "10", "--quick", "--markdown", str(page)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()

    header = next(line for line in lines if line.startswith("| measure |"))
    assert header == "| measure | 10 exercises |"
    cells = {
        line.split("|")[1].strip(): line.split("|")[2].strip()
        for line in lines
        if line.startswith("| ") and line.count("|") == 3
    }
    for row in ROWS:
        assert cells.get(row), f"row missing or empty: {row}"
    # Ten exercises, one edited: one file parsed, one page rendered, nine reused.
    assert cells["rebuild: files parsed / pages rendered / reused"] == "1 / 1 / 9"
    assert cells["requests to other hosts"] == "0"

    verdicts = [line for line in lines if line.startswith("| ") and line.count("|") == 4]
    verdicts = [line for line in verdicts if "| result |" not in line]
    assert len(verdicts) == 10
    for line in verdicts:
        assert line.split("|")[2].strip() in {"PASS", "MISS", "N/A"}, line

    assert "Measured" in lines[0] and "Python" in lines[0]
    assert "| measure | 10 exercises |" in page.read_text(encoding="utf-8")


def test_serve_rebuilds_reuse_unchanged_pages_and_follow_template_edits(tmp_path):
    """The caches behind the rebuild row: unchanged exercises are neither parsed nor
    rendered again, and an edited template renders every page again."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = run.make_project(tmp_path, 12)
    config_file = str(project / "mkdocs.yml")

    plugins = []

    def rebuild() -> Path:
        site = tmp_path / "site"
        config = load_config(config_file, site_dir=str(site))
        if not plugins:
            config.plugins.on_startup(command="serve", dirty=False)
        plugins.append(config.plugins["playbook"])
        build(config, serve_url="http://127.0.0.1:8000/")
        return site

    rebuild()
    render_cache = plugins[0]._render_cache
    hits, misses = render_cache.hits, render_cache.misses
    exercises = sorted((project / "exercises").glob("*.yaml"))
    exercises[0].write_text(
        exercises[0].read_text(encoding="utf-8").replace("summary: ", "summary: Edited. ", 1),
        encoding="utf-8",
    )
    rebuild()
    assert (render_cache.hits - hits, render_cache.misses - misses) == (11, 1)

    template = (ROOT / "playbook" / "templates" / "exercise.md.j2").read_text(encoding="utf-8")
    (project / "templates" / "exercise.md.j2").write_text(
        template + "\nMarker from the site's own template.\n", encoding="utf-8"
    )
    site = rebuild()
    assert render_cache.misses - misses == 13
    page = site / "exercises" / exercises[5].stem / "index.html"
    assert "Marker from the site" in page.read_text(encoding="utf-8")
    assert all(p is plugins[0] for p in plugins), "serve keeps one plugin instance"
