"""Builds a project the way ``mkdocs serve`` does (one process, the plugins kept, the
configuration read again before each build), through a fixed series of edits; after
each build the site is copied aside. Run by tests/test_reuse.py, once with the plugin's
page reuse and once without, so that the two series can be compared file by file.

    python serve_steps.py PROJECT OUT on|off OTHER

Prints one JSON line: the number of pages reused by each build.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


def _edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert count == 1, f"{path}: {pattern!r} not found"
    path.write_text(changed, encoding="utf-8")


SAMPLE = Path(__file__).parent / "samples" / "sample.yaml"

# A hook that strips HTML comments from finished pages, as a minifier does; it must not
# take the worksheets and checklists with it (the plugin puts them back first).
STRIP_COMMENTS = """import re

from mkdocs.plugins import event_priority


@event_priority(50)
def on_post_page(output, **kwargs):
    return re.sub(r"<!--.*?-->", "", output, flags=re.S)
"""


def prepare(project: Path) -> None:
    """Before the first build: what the edits need and what a site may hold. The site's
    name comes from an inherited file; a pathway's page sits in the navigation under its
    own title; one guide is a draft (built by serve only); a hook strips comments."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    name = re.search(r"^site_name: .*$", text, re.M).group(0)
    (project / "base.yml").write_text(name + "\n", encoding="utf-8")
    text = text.replace(name, "INHERIT: base.yml", 1)
    listed = "      - Pathways: pathways/index.md\n"
    assert listed in text, "the navigation changed; update serve_steps.prepare"
    text = text.replace(listed, listed + "      - pathways/customer-success-quarter.md\n", 1)
    text += "\ndraft_docs: |\n  guides/teams.md\nhooks:\n  - strip_comments.py\n"
    config.write_text(text, encoding="utf-8")
    (project / "strip_comments.py").write_text(STRIP_COMMENTS, encoding="utf-8")


def steps(project: Path, other: str) -> list[tuple[str, callable]]:
    """The edits, in order; ``other`` is the id of a shipped exercise to edit."""
    exercise = project / "exercises" / f"{other}.yaml"
    added = project / "exercises" / "sample.yaml"
    pathway = project / "pathways" / "customer-success-quarter.yaml"
    words = r"^(    instructions: [>|]-?\n      )"
    return [
        ("first build", lambda: None),
        ("an exercise added", lambda: shutil.copy(SAMPLE, added)),
        ("a new title", lambda: _edit(exercise, r"^title: .*$", "title: A new title")),
        ("a step's words", lambda: _edit(exercise, words, r"\1Changed words. ")),
        ("the exercise deleted", lambda: added.unlink()),
        ("a problem", lambda: _edit(exercise, r"^summary:", "sumary:")),
        ("the problem fixed", lambda: _edit(exercise, r"^sumary:", "summary:")),
        (
            "a pathway's title, shown in the navigation",
            lambda: _edit(pathway, r"^title: .*$", "title: A changed pathway"),
        ),
        (
            "the inherited site name",
            lambda: _edit(project / "base.yml", r"^site_name: .*$", "site_name: Renamed site"),
        ),
        (
            "a hand-written page's title",
            lambda: _edit(project / "content" / "about.md", r"^# .*$", "# About it"),
        ),
        ("nothing changed", lambda: None),
    ]


def main(project: Path, out: Path, reuse: bool, other: str) -> None:
    logging.disable(logging.WARNING)
    prepare(project)
    plugins = None
    reused = []
    for number, (_, change) in enumerate(steps(project, other)):
        change()
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(out / "site"))
        config.site_url = SERVE_URL
        config.plugins["playbook"].config.reuse_pages = reuse
        if plugins is None:
            config.plugins.on_startup(command="serve", dirty=False)
        plugins = config.plugins
        build(config, serve_url=SERVE_URL)
        playbook = config.plugins["playbook"]
        reused.append(len(playbook._reuse.reused))
        shutil.copytree(out / "site", out / f"step-{number}")
    print(json.dumps(reused))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "on", sys.argv[4])
