"""Shared fixtures: the project's real site built once, served on localhost, and a
real Chromium (Debian's, driven by Playwright) to look at it."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import open_page

from playbook.config import load_settings
from playbook.loader import load_library, load_pathways
from playbook.pdf import CHROMIUM_ARGS  # flags for a closed network, shared with playbook pdf

# Set once for the whole test session, so every MkDocs run (in this process or a child
# process) goes without Material's end-of-life banner; ./dev exports it too.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
# The shipped playbook's configuration (its vocabularies and required parts).
SETTINGS = load_settings(ROOT / "playbook.yml")
# One valid exercise (tests/samples/sample.yaml) that tests change to make broken ones.
SAMPLE = (Path(__file__).parent / "samples" / "sample.yaml").read_text(encoding="utf-8")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


PROJECT_PARTS = (
    "mkdocs.yml",
    "playbook.yml",
    "content",
    "templates",
    "overrides",
    "schema",
    "exercises",
    "pathways",
)


def copy_project(dest: Path, *, exercises: dict[str, str] | None = None) -> Path:
    """A copy of the project's site sources in ``dest``; ``exercises`` (file name → text)
    replaces the shipped exercises when given."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, dest / part)
        else:  # a missing part is an error: a fresh clone would miss it too
            shutil.copy2(source, dest / part)
    if exercises is not None:
        shutil.rmtree(dest / "exercises")
        shutil.rmtree(dest / "pathways")  # they name the shipped exercises
        (dest / "exercises").mkdir()
        for name, text in exercises.items():
            (dest / "exercises" / name).write_text(text, encoding="utf-8")
        _pages_of_its_own(dest)
    return dest


# The shipped pages link to the shipped exercises (a strict build fails when one is
# missing), so a project with other exercises gets pages of its own.
_OWN_NAV = """nav:
  - Home: index.md
  - Exercises:
      - exercises/index.md
      - By theme: themes/index.md
      - By audience: audiences/index.md
      - Difficulty levels: levels.md
  - Reference:
      - Exercise file reference: reference/exercise-schema.md
      - Playbook configuration: reference/playbook-config.md
"""


def _pages_of_its_own(project: Path) -> None:
    content = project / "content"
    for page in content.rglob("*.md"):
        page.unlink()
    (content / "index.md").write_text(
        "# A test playbook\n\nSee [all exercises](exercises/index.md).\n", encoding="utf-8"
    )
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config[: config.index("\nnav:\n") + 1] + _OWN_NAV
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")


def run_mkdocs_build(project: Path, site_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir), *extra],
        cwd=project,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where tests leave files for people to look at (page images, transcripts): pytest's
    temporary folder, or $PLAYBOOK_TEST_ARTIFACTS. Never the repository."""
    folder = Path(
        os.environ.get("PLAYBOOK_TEST_ARTIFACTS") or tmp_path_factory.getbasetemp() / "artifacts"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The project's own site, built once per test session with --strict."""
    site = tmp_path_factory.mktemp("site")
    result = run_mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = ""  # the path the folder is served under, e.g. "/playbook"

    def log_message(self, format, *args):
        pass

    def translate_path(self, path: str) -> str:
        if self.prefix and path.startswith(self.prefix + "/"):
            path = path[len(self.prefix) :]
        return super().translate_path(path)


@contextlib.contextmanager
def serve_folder(folder: Path, prefix: str = "") -> Iterator[str]:
    """A folder served over HTTP on a free localhost port, for as long as the block runs;
    under ``prefix`` too (``/playbook/x`` is ``x``), as the hosted site is."""
    handler_class = type("_Handler", (_QuietHandler,), {"prefix": prefix.rstrip("/")})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    """The built site served over HTTP on a free localhost port."""
    with serve_folder(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    import playwright.sync_api as playwright_api  # the test extra installs it

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: ./dev test installs Debian's chromium package")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh browser context (empty storage) whose console errors and requests to
    other hosts fail the test."""
    with open_page(browser, site_url) as page:
        yield page


# Markers, from what a test uses: `-m "not slow"` is the fast loop (no browser, no site
# build, no server, no benchmark); `./dev test` runs everything.
_BROWSER_FIXTURES = {"browser", "page", "sample_page"}
_BUILD_FIXTURES = {"built_site", "site_url", "sample_url", "pdf_site", "research_site", "served"}
# Modules whose tests build sites themselves (through copy_project and MkDocs).
_BUILD_MODULES = {
    "test_build",
    "test_contributor",
    "test_bench",
    "test_serve",
    "test_injection",
    "test_reuse",
    "test_same_pages",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        names = set(item.fixturenames)
        module = item.module.__name__ if item.module else ""
        browser = bool(names & _BROWSER_FIXTURES)
        build = bool(names & _BUILD_FIXTURES) or module in _BUILD_MODULES
        if browser:
            item.add_marker(pytest.mark.browser)
        if build:
            item.add_marker(pytest.mark.build)
        if browser or build or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def library():
    """The shipped exercises (a test module may define a library of its own)."""
    return load_library(settings=SETTINGS, paths=[ROOT / "exercises"], root=ROOT).exercises


@pytest.fixture(scope="session")
def pathways(library):
    """The shipped pathways."""
    found = load_pathways(
        ROOT / "pathways", settings=SETTINGS, exercises={ex.id: ex for ex in library}, root=ROOT
    )
    assert not found.problems
    return found.pathways


@pytest.fixture(scope="session")
def instant_url(tmp_path_factory):
    """The site built for the address it is served at: Material's instant navigation only
    takes over links it finds in sitemap.xml, which are built from site_url. The server
    holds its port (0: a free one) from before the build until the tests are done."""
    site = tmp_path_factory.mktemp("instant-site")
    with serve_folder(site) as server:
        url = f"{server}/"
        with pytest.MonkeyPatch.context() as env:
            env.setenv("PLAYBOOK_SITE_URL", url)  # mkdocs.yml reads site_url from it
            result = run_mkdocs_build(ROOT, site)
        assert result.returncode == 0, result.stdout + result.stderr
        yield url
