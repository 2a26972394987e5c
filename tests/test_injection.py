"""Whatever passes validation reaches the built page as text or safe links, never as
markup that runs script: checked on the HTML of a real build, not on the YAML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import yaml
from conftest import copy_project, run_mkdocs_build
from test_cli import SAMPLE

# Allowed by the schema, and as close to the edge as it gets.
EDGY = (
    'Try <https://example.org/" onmouseover="alert(1)> and <a@b.org> and '
    '[x](https://example.org "t\\" onclick=\\"alert(1)") and a < b > c, '
    "\\{: onclick=x \\} &lt;script&gt;alert(1)&lt;/script&gt; &#106;avascript"
)
EDGY_LINE = 'Say "hi" & <b and &lt;i&gt; or 1 < 2'

# (The theme's own icons are inline <svg>: script inside them would still be caught.)
SCRIPTABLE = {"script", "iframe", "object", "embed", "img", "style", "base", "form"}


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
    # The head, which the theme's own templates write from the front matter.
    head = page.split("</head>")[0]
    assert "<b and" not in head and 'content="Say "hi"' not in head
