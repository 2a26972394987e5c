"""The plain-text shortcut of ``markup.to_html``: a one-line text of words and plain
punctuation skips Markdown and the sanitizer. It must give exactly what they give."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT
from payloads import PAYLOADS

from playbook import markup

# Texts on the edge of "plain": each either takes the shortcut and must agree with
# Markdown, or must not take it.
EDGES = [
    "Plain words.",
    "  Spaces around it.  ",
    "Two  spaces inside, and a trailing one ",
    "A question? An answer! A colon: a list; a dash - and a slash/and/or 50%.",
    "Quotes: 'single', \"double\", ‘curly’ and “curly” – en dash — em dash.",
    "Ratings 1+1=2 and (brackets).",
    "http://example.org is not a link here",
    "Follow-up within 7 days.",
    "Tom's notes.",
    "**Bold lead** then words.\n**Another bold** line.\n",
    "Para one.\n\nPara two with **bold words**.",
    "Inside a**bold**word and **two** **bolds**.",
    "**Bold at the end.**",
    'Quotes in bold: **"said" it\'s** fine.',
    "Line one\nline two",
    "Para one\n\nPara two",
    "Three\n\n\nblank lines",
    "A line\n  indented continuation",
    "Ends with a newline and a space \n",
    "A line\n\n",
    # Not plain: Markdown reads these.
    "**unclosed bold",
    "** spaced bold**",
    "**bold **",
    "***three***",
    "*em* and **strong**",
    "A line\n- then a list",
    "A line\n1. then a numbered list",
    "A line\n===",
    "A line\n---",
    "**Bold**\n\n- list",
    "Para\n\n    code after a blank line",
    "1. A numbered item",
    "- a list item",
    "+ another list item",
    "# A heading",
    "> a quote",
    "a *star* and _underscore_",
    "`code` here",
    "[a link](https://example.org)",
    "x & y < z > w",
    "&amp; an entity",
    "    indented code",
    "Title\n=====",
    "a\\b backslash",
    "pipes | in | a row",
    "Nbsp\u00a0here",
    "",
    "   ",
]


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _library_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted(Path(ROOT, "exercises").glob("*.yaml")):
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


def _benchmark_texts() -> list[str]:
    """The benchmark's synthetic exercises (bench/synth.py), whose speed the shortcut is for."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    texts: list[str] = []
    for text in synth.exercise_files(40, seed=3).values():
        texts += _strings(yaml.safe_load(text))
    return texts


def test_the_shortcut_is_taken_and_skipped_where_it_should_be():
    taken = [t for t in EDGES if markup._PLAIN.match(t.rstrip("\n"))]
    assert "Plain words." in taken and "Tom's notes." in taken
    assert "Para one.\n\nPara two with **bold words**." in taken
    for text in (
        "1. A numbered item",
        "a *star* and _underscore_",
        "x & y < z > w",
        "",
        "**unclosed bold",
        "A line\n- then a list",
        "A line\n===",
    ):
        assert text not in taken, text
    library = _library_texts()
    share = sum(bool(markup._PLAIN.match(t.rstrip("\n"))) for t in library) / len(library)
    assert share > 0.5  # most of the library's texts are plain prose


@pytest.mark.parametrize("use_directory_urls", [True, False])
def test_the_shortcut_gives_what_markdown_and_the_sanitizer_give(use_directory_urls):
    texts = EDGES + list(PAYLOADS) + _library_texts() + _benchmark_texts()
    differ = [
        (text, markup.to_html(text, use_directory_urls), out)
        for text in dict.fromkeys(texts)
        if markup.to_html(text, use_directory_urls)
        != (out := markup.markdown_to_html(text, use_directory_urls))
    ]
    assert differ == []
