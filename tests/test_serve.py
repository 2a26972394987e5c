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
from collections import Counter

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
    output = (tmp_path / "serve.log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "playbook.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=output,
        stderr=subprocess.STDOUT,
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
        output.close()


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


def test_an_edit_shows_on_its_page_in_the_catalog_and_in_search(served):
    """A saved title reaches the exercise's page, the catalog and the search index, with
    no stale or doubled search entries left behind."""
    project, url, _ = served
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
    assert title not in json.dumps(index)

    def per_location(docs: list[dict]) -> Counter:
        return Counter(d["location"] for d in docs)

    assert per_location(index["docs"]) == per_location(index_before["docs"])

    # The rebuild reused the pages the edit did not touch (the reference pages, say):
    # the log line of the plugin says how many, for the first rebuild of the session too.
    log = (project.parent / "serve.log").read_text(encoding="utf-8")
    counts = [
        (int(m.group(1)), int(m.group(2)))
        for m in re.finditer(r"playbook: (\d+) of (\d+) generated pages reused", log)
    ]
    assert len(counts) >= 2, log[-2000:]
    assert counts[0][0] == 0  # the first build has nothing to reuse
    assert 0 < counts[1][0] < counts[1][1]
