"""`playbook serve` while a contributor edits: a broken exercise shows its problems on
the pages (the last good pages keep being served), the notice goes with the fix, and
stopping the command stops the server."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import SAMPLE, copy_project

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 5) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _wait_for(predicate, seconds: float) -> float:
    """Seconds until ``predicate()`` held; fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"not within {seconds} s")


@pytest.fixture
def served(tmp_path):
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": SAMPLE})
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "playbook.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _get(f"{url}/exercises/sample/")[0] == 200, 90)
        yield project, url, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_a_broken_exercise_shows_its_problems_and_the_fix_clears_them(served):
    project, url, _ = served
    path = project / "exercises" / "sample.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("summary:", "sumary:"), encoding="utf-8")
    seconds = _wait_for(lambda: "pb-build-problems" in _get(f"{url}/exercises/sample/")[1], 30)
    print(f"\nproblems shown {seconds:.1f} s after the file was saved")
    status, page = _get(f"{url}/exercises/sample/")
    assert status == 200
    assert "sumary: unknown key &#x27;sumary&#x27;" in page or "sumary: unknown key" in page
    assert "did you mean &#x27;summary&#x27;?" in page or "did you mean 'summary'?" in page
    # The last good version of the page is still there, under the notice.
    assert "A sample exercise" in page and "pb-worksheet" in page
    assert _get(f"{url}/assets/playbook/playbook.css", timeout=2)[0] == 200
    path.write_text(good, encoding="utf-8")
    _wait_for(lambda: "pb-build-problems" not in _get(f"{url}/exercises/sample/")[1], 30)


def test_stopping_serve_stops_the_server(served):
    _, url, process = served
    os.kill(process.pid, signal.SIGTERM)  # the PID a contributor sees, not its group
    process.wait(timeout=20)
    _wait_for(lambda: _get(f"{url}/", timeout=1)[0] == 0, 10)


def test_an_edit_rebuilds_its_page_the_catalog_and_search_only(served):
    """Serve builds dirty: the edited exercise's page, the catalog cards and the search
    index follow the edit; pages the edit cannot reach are not built again."""
    project, url, _ = served
    home_before = _get(f"{url}/")[1]
    index_before = json.loads(_get(f"{url}/search/search_index.json")[1])
    path = project / "exercises" / "sample.yaml"
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M).group(1)
    path.write_text(text.replace(f"title: {title}", "title: Renamed while serving"), "utf-8")
    seconds = _wait_for(lambda: "Renamed while serving" in _get(f"{url}/exercises/sample/")[1], 30)
    print(f"\nthe edited page was served {seconds:.1f} s after the file was saved")
    assert "Renamed while serving" in _get(f"{url}/exercises/")[1]
    index = json.loads(_get(f"{url}/search/search_index.json")[1])
    titles = [d["title"] for d in index["docs"] if d["location"] == "exercises/sample/"]
    assert titles == ["Renamed while serving"]
    pages = {d["location"].split("#")[0] for d in index["docs"]}
    assert pages == {d["location"].split("#")[0] for d in index_before["docs"]}

    # Not rebuilt (it shows nothing of the title): the same bytes but for the counters
    # the live-reload script is served with.
    def unchanged(page: str) -> str:
        return re.sub(r"livereload\(\d+, \d+\)", "livereload()", page)

    assert unchanged(_get(f"{url}/")[1]) == unchanged(home_before)


def test_a_dirty_rebuild_builds_what_the_edit_reaches_and_keeps_search_whole(tmp_path):
    """The plugin's side of `mkdocs serve --dirty`, in this process: which pages the
    second build renders after an edit, and the search index it leaves."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    other = SAMPLE.replace("id: sample", "id: other").replace("title: ", "title: Other ", 1)
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": SAMPLE, "other.yaml": other})
    (project / "content" / "ideas.md").write_text(
        '# Ideas\n\n<!-- playbook:exercises theme="listening" -->\n', encoding="utf-8"
    )
    site = tmp_path / "site"

    def rebuild():
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
        config.nav = None  # every page in the sidebar is fine here
        if not hasattr(rebuild, "plugin"):
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        rebuild.plugin = config.plugins["playbook"]
        return rebuild.plugin._pages_built

    first = rebuild()

    def indexed() -> tuple[set[str], dict]:
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        return {d["location"].split("#")[0] for d in index["docs"]}, index

    full, _ = indexed()
    assert {"ideas/", "exercises/sample/", "exercises/other/"} <= full
    assert {"", "ideas/", "exercises/sample/", "exercises/other/"} <= first
    exercise = project / "exercises" / "sample.yaml"
    text = exercise.read_text(encoding="utf-8")
    exercise.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")
    second = rebuild()
    assert "exercises/sample/" in second and "exercises/" in second
    assert not {"", "ideas/", "exercises/other/"} & second
    pages, index = indexed()
    assert pages == full
    summary = [d["text"] for d in index["docs"] if d["location"] == "exercises/sample/"]
    assert "Edited." in summary[0]
    title = re.search(r"^title: (.*)$", text, re.M).group(1)
    exercise.write_text(text.replace(f"title: {title}", "title: Renamed"), encoding="utf-8")
    third = rebuild()  # the list on ideas/ names the exercise: it is built again
    assert {"exercises/sample/", "exercises/", "ideas/"} <= third and "" not in third
    assert "Renamed" in (site / "ideas" / "index.html").read_text(encoding="utf-8")
