"""axe-core (pinned in package-lock.json, installed by `npm ci`) finds no WCAG 2.1 A/AA or
best-practice violation on exercise pages, in light and dark mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser_helpers import fill_every_field, open_exercise, open_page

pytest_plugins = ["sample_site"]  # the sample_url fixture

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (./dev test does it)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, { runOnly: { type: 'tag', values: tags } })", TAGS
    )
    return [
        {
            "id": v["id"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", ""),
        }
        for v in results["violations"]
    ]


def scheme(page) -> str:
    return page.evaluate("document.body.getAttribute('data-md-color-scheme')")


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
