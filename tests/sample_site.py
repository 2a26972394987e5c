"""A small, stable site for the browser tests of exercise pages.

It uses the project's real theme settings, templates, overrides and assets, but its
exercises are the samples in tests/browser_sample/ (every worksheet field type, both
checklist item kinds, two pages that link to each other), so the browser tests do
not depend on the playbook's content of the day.

A test module gets its fixtures with ``pytest_plugins = ["sample_site"]``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from browser_helpers import open_page
from conftest import ROOT, run_mkdocs_build, serve_folder
from mkdocs.utils.yaml import yaml_load

SAMPLES = Path(__file__).parent / "browser_sample"


def write_sample_project(folder: Path, site_url: str) -> Path:
    """Write a project in `folder` whose config mirrors mkdocs.yml; return the config."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(
        "# Sample playbook\n\nStart with [every field](exercises/every-field.md).\n"
    )
    exercises = folder / "exercises"
    shutil.copytree(SAMPLES, exercises)
    config.update(
        docs_dir=str(docs),
        site_url=site_url,
        nav=[
            {"Home": "index.md"},
            {"Exercises": ["exercises/index.md", "themes/index.md", "audiences/index.md"]},
        ],
        plugins=[
            "search",
            {"playbook": {"exercises": str(exercises), "config": str(ROOT / "playbook.yml")}},
        ],
    )
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    templates = ROOT / "templates"
    if any(templates.glob("*.j2")):
        config["plugins"][1]["playbook"]["templates"] = str(templates)
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    return config_file


@pytest.fixture(scope="session")
def sample_url(tmp_path_factory) -> Iterator[str]:
    """The sample site, built and served on localhost.

    The server takes its port first and the site is built with it as `site_url`:
    Material's instant navigation only takes over links listed in sitemap.xml, and it
    matches them by host and path, but not by port.
    """
    folder = tmp_path_factory.mktemp("sample")
    site = folder / "site"
    with serve_folder(site) as url:
        config_file = write_sample_project(folder, url + "/")
        result = run_mkdocs_build(folder, site, "-f", str(config_file))
        assert result.returncode == 0, result.stdout + result.stderr
        yield url


@pytest.fixture
def sample_page(browser, sample_url):
    with open_page(browser, sample_url, accept_downloads=True) as page:
        yield page
