"""Whatever passes validation reaches the built page as text or safe links, never as
markup that runs script: checked on the HTML of a real build, not on the YAML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, copy_project, run_mkdocs_build, serve_folder
from payloads import PAYLOADS, unsafe_parts

from playbook.markup import ALLOWED_TAGS

# Allowed by the schema, and as close to the edge as it gets.
EDGY = (
    "Try <https://example.org/a?b=1&c=2> and <a@b.org> and "
    '[x](https://example.org "t\\" onclick=\\"alert(1)") and a < b > c, '
    "\\{: onclick=x \\} &lt;script&gt;alert(1)&lt;/script&gt; &#106;avascript"
)
EDGY_LINE = 'Say "hi" & <b and &lt;i&gt; or 1 < 2'
STEP_TITLE = 'Who\'s "in" the room & why'

# (The theme's own icons are inline <svg>: script inside them would still be caught.)
SCRIPTABLE = {"script", "iframe", "object", "embed", "img", "style", "base", "form"}
# What the page templates themselves write inside the article (never from exercise text).
TEMPLATE_TAGS = {
    "h1",
    "h2",
    "h3",
    "div",
    "span",
    "a",
    "ul",
    "ol",
    "li",
    "p",
    "strong",
    "em",
    "svg",
    "path",
    "form",
    "label",
    "input",
    "textarea",
    "fieldset",
    "legend",
    "table",
    "caption",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "dl",
    "dt",
    "dd",
    "nav",
    "section",
    "details",
    "summary",
    "button",
    "output",
    "footer",
    "abbr",
    "small",
    "br",
    "time",
}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.in_article = 0
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.in_article += 1
        elif self.in_article:
            self.found.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article -= 1


def edgy_exercise() -> str:
    data = yaml.safe_load(SAMPLE)
    data["purpose"] = data["idea"]["credit"] = EDGY
    data["steps"][0]["instructions"] = EDGY
    data["steps"][0]["prompts"] = [EDGY_LINE]
    data["steps"][0]["title"] = STEP_TITLE
    data["worksheet"]["intro"] = EDGY
    data["checklist"]["intro"] = EDGY
    data["facilitator_notes"] = EDGY
    data["variations"] = [{"name": EDGY_LINE, "description": EDGY}]
    data["title"] = data["summary"] = data["idea"]["name"] = EDGY_LINE
    data["debrief"] = [EDGY_LINE]
    data["worksheet"]["fields"][0]["label"] = EDGY_LINE
    data["checklist"]["items"][0]["text"] = EDGY_LINE
    data["checklist"]["bands"][0]["advice"] = EDGY_LINE
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_edgy_text_builds_into_no_live_markup(tmp_path):
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": edgy_exercise()})
    result = run_mkdocs_build(project, tmp_path / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (tmp_path / "site" / "exercises" / "sample" / "index.html").read_text(encoding="utf-8")
    collector = _Collector()
    collector.feed(page)
    assert collector.found, "the exercise's article was not found"
    for tag, attrs in collector.found:
        assert tag not in SCRIPTABLE or (tag == "form" and "pb-worksheet" in str(attrs)), tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name in ("href", "src", "action", "formaction") and value:
                cleaned = re.sub(r"[\s\x00-\x1f]+", "", html.unescape(value)).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
                assert not scheme or scheme.group(1) in {"http", "https", "mailto"}, value
    # The table of contents shows a step's title as written: escaped once, not twice.
    toc = page.split('class="md-nav md-nav--secondary"')[1].split("</nav>")[0]
    assert 'Who\'s "in" the room &amp; why' in toc
    assert "&amp;#" not in toc and "&amp;amp;" not in toc
    # The head, which the theme's own templates write from the front matter.
    head = page.split("</head>")[0]
    assert "<b and" not in head and 'content="Say "hi"' not in head


def _every_prose_field(payload: str, line: str = EDGY_LINE) -> str:
    data = yaml.safe_load(SAMPLE)
    data["purpose"] = data["idea"]["credit"] = payload
    for step in data["steps"]:
        step["instructions"] = payload
    data["worksheet"]["intro"] = data["checklist"]["intro"] = payload
    data["facilitator_notes"] = payload
    data["variations"] = [{"name": line, "description": payload}]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _build_without_input_checks(project: Path, site: Path, monkeypatch) -> None:
    """A real MkDocs build in this process, with the schema's markup checks switched
    off: what reaches the page is then up to the output sanitizer alone."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from playbook import schema

    monkeypatch.setattr(schema, "find_markup_problems", lambda text: [])
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    from _pytest.monkeypatch import MonkeyPatch

    folder = tmp_path_factory.mktemp("hostile")
    exercises = {f"sample-{n}.yaml": _every_prose_field(p) for n, p in enumerate(PAYLOADS)}
    for name in list(exercises):
        exercises[name] = exercises[name].replace("id: sample", f"id: {name[:-5]}", 1)
    project = copy_project(folder / "p", exercises=exercises)
    with MonkeyPatch.context() as monkeypatch:
        _build_without_input_checks(project, folder / "site", monkeypatch)
    return folder / "site"


def test_known_payloads_in_every_prose_field_build_into_inert_html(hostile_site):
    pages = sorted((hostile_site / "exercises").glob("sample-*/index.html"))
    assert len(pages) == len(PAYLOADS)
    for page in pages:
        collector = _Collector()
        collector.feed(page.read_text(encoding="utf-8"))
        assert collector.found, f"{page}: the exercise's article was not found"
        bad = unsafe_parts(collector.found, ALLOWED_TAGS | TEMPLATE_TAGS)
        assert bad == [], (page.parent.name, bad)


def test_no_payload_runs_script_in_chromium(hostile_site, browser):
    with serve_folder(hostile_site) as url:
        context = browser.new_context(base_url=url)
        try:
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            for n in range(len(PAYLOADS)):
                page.goto(f"/exercises/sample-{n}/")
                page.wait_for_selector("[data-pb-tools]")
                page.locator("details").evaluate_all("els => els.forEach(e => e.open = true)")
                page.mouse.move(10, 10)
                page.keyboard.press("Tab")
            page.wait_for_timeout(100)  # a timer-driven payload gets a moment to fire
            assert dialogs == []
        finally:
            context.close()
