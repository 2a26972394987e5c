"""axe-core (pinned in package-lock.json, installed by `npm ci`) finds no WCAG 2.1 A/AA or
best-practice violation on exercise pages, in light and dark mode."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_helpers import axe_violations, fill_every_field, open_exercise, open_page, scheme
from conftest import serve_folder

pytest_plugins = ["sample_site"]  # the sample_url fixture


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_exercise_page_in_use_has_no_violations(browser, sample_url, color_scheme):
    """The sample exercise, with every field filled, a score saved and a notice shown."""
    with open_page(browser, sample_url, color_scheme=color_scheme) as page:
        page.add_init_script("localStorage.setItem('engagement-playbook:every-field', '{bad')")
        open_exercise(page)
        assert scheme(page) == ("slate" if color_scheme == "dark" else "default")
        fill_every_field(page)
        page.get_by_role("button", name="Save today’s score").click()
        page.locator("[data-pb-import]").set_input_files(
            files=[{"name": "x.json", "mimeType": "application/json", "buffer": b"{"}]
        )
        page.wait_for_selector(".pb-status--problem")
        assert page.locator(".pb-notice").count() == 1
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=1)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_playbook_exercise_page_has_no_violations(page, built_site, color_scheme):
    """An exercise page of the playbook itself, as a visitor first sees it."""
    first = sorted(p.parent.name for p in (built_site / "exercises").glob("*/index.html"))[0]
    page.emulate_media(color_scheme=color_scheme)
    page.goto(f"/exercises/{first}/")
    page.wait_for_selector("[data-pb-tools]")
    assert scheme(page) == ("slate" if color_scheme == "dark" else "default")
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as an address (redirect pages for old addresses
    included: a reader may land on one). 404.html is tested on its own: it links its
    styles by the site's absolute path."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("assets/", "search/")) or relative == "404.html":
            continue
        pages.append("/" + relative.removesuffix("index.html"))
    return pages


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_every_built_page_has_no_violations(page, built_site, color_scheme):
    """axe over the whole site, page by page, in one scheme: every finding is listed."""
    page.emulate_media(color_scheme=color_scheme)
    addresses = site_pages(built_site)
    assert len(addresses) > 60 and "/" in addresses and "/plan/" in addresses
    found = {}
    for address in addresses:
        page.goto(address)
        if page.locator("meta[http-equiv=refresh]").count():
            page.wait_for_load_state()
        violations = axe_violations(page)
        if violations:
            found[address] = violations
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_not_found_page_has_no_violations(browser, built_site, color_scheme):
    """404.html links its styles and scripts by the hosted site's path (site_url's, e.g.
    /playbook/): served under that path, as on the host."""
    page_html = (built_site / "404.html").read_text(encoding="utf-8")
    prefix = re.search(r'href="(/[^"]*?)assets/stylesheets/', page_html).group(1)
    with serve_folder(built_site, prefix=prefix) as url:
        with open_page(browser, url, color_scheme=color_scheme) as page:
            page.goto(f"{prefix}404.html")
            assert page.locator(".md-content h1").inner_text().startswith("404")
            assert axe_violations(page) == []
