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


def steps(project: Path, other: str) -> list[tuple[str, callable]]:
    """The edits, in order; ``other`` is the id of a shipped exercise to edit."""
    exercises = project / "exercises"
    added = exercises / "sample.yaml"
    return [
        ("first build", lambda: None),
        ("an exercise added", lambda: shutil.copy(SAMPLE, added)),
        (
            "a new title",
            lambda: _edit(exercises / f"{other}.yaml", r"^title: .*$", "title: A new title"),
        ),
        (
            "a step's words",
            lambda: _edit(
                exercises / f"{other}.yaml",
                r"^(    instructions: [>|]-?\n      )",
                r"\1Changed words. ",
            ),
        ),
        ("the exercise deleted", lambda: added.unlink()),
        ("a problem", lambda: _edit(exercises / f"{other}.yaml", r"^summary:", "sumary:")),
        ("the problem fixed", lambda: _edit(exercises / f"{other}.yaml", r"^sumary:", "summary:")),
        (
            "a hand-written page's title",
            lambda: _edit(project / "content" / "about.md", r"^# .*$", "# About it"),
        ),
        ("nothing changed", lambda: None),
    ]


def main(project: Path, out: Path, reuse: bool, other: str) -> None:
    logging.disable(logging.WARNING)
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
