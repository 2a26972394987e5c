"""A small, stable site for the browser tests of exercise pages.

It uses the project's real theme settings, templates, overrides and assets, but its
exercises are the samples in tests/browser_sample/ (every worksheet field type, both
checklist item kinds, two pages that link to each other), so the browser tests do
not depend on the playbook's content of the day.

Import the fixtures into a test module with
``from sample_site import sample_page, sample_site, sample_url  # noqa: F401``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, _QuietHandler, run_mkdocs_build
from mkdocs.utils.yaml import yaml_load

SAMPLES = Path(__file__).parent / "browser_sample"
EXERCISE = "/exercises/every-field/"
SECOND = "/exercises/second-sample/"
STORAGE_KEY = "engagement-playbook:every-field"


def write_sample_project(folder: Path) -> Path:
    """Write a project beside `folder` whose config mirrors mkdocs.yml; return the config."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    docs = folder / "docs"
    shutil.copytree(ROOT / "content" / "assets", docs / "assets")
    (docs / "index.md").write_text(
        "# Sample playbook\n\nStart with [every field](exercises/every-field.md).\n"
    )
    exercises = folder / "exercises"
    shutil.copytree(SAMPLES, exercises)
    config.update(
        docs_dir=str(docs),
        site_url="http://127.0.0.1/",
        nav=[
            {"Home": "index.md"},
            {"Exercises": ["exercises/index.md", "themes/index.md", "audiences/index.md"]},
        ],
        plugins=["search", {"playbook": {"exercises": str(exercises)}}],
    )
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    templates = ROOT / "templates"
    if any(templates.glob("*.j2")):
        config["plugins"][1]["playbook"]["templates"] = str(templates)
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    return config_file


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    config_file = write_sample_project(folder)
    site = folder / "site"
    result = run_mkdocs_build(folder, site, "-f", str(config_file))
    assert result.returncode == 0, result.stdout + result.stderr
    return site


@pytest.fixture(scope="session")
def sample_url(sample_site) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(sample_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


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
    try:
        yield page
    finally:
        context.close()
    assert not errors, f"console errors: {errors}"
    assert not foreign, f"requests to other hosts: {foreign}"


@pytest.fixture
def sample_page(browser, sample_url):
    with open_page(browser, sample_url, accept_downloads=True) as page:
        yield page


def open_exercise(page, path: str = EXERCISE) -> None:
    """Go to an exercise page and wait until the script has set it up."""
    page.goto(path)
    page.wait_for_selector("[data-pb-tools]")
