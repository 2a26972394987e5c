"""Every exercise and page is written in our own words.

The ideas come from a handful of blog posts (the seeds, kept beside the repository
in ``shared/seeds``). This test fails when any run of eight or more consecutive words
from a seed appears in an exercise file or a hand-written page. Short quotations
with credit (under eight words) are fine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
RUN = 8
# Titles of sources we cite by name. A title is a citation, not borrowed prose, so
# it is blanked out before comparing (and cannot join up with the words around it).
CITED_TITLES = ["Automation: Are We Empowering Human Interaction or Displacing It?"]

_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def words(text: str) -> list[str]:
    """Lowercase words with punctuation stripped ("Don't" → "dont")."""
    text = _APOSTROPHES.sub("", text.lower())
    return _NOT_WORD.sub(" ", text).split()


def without_cited_titles(tokens: list[str]) -> list[str]:
    for title in map(words, CITED_TITLES):
        i = 0
        while i <= len(tokens) - len(title):
            if tokens[i : i + len(title)] == title:
                tokens = [*tokens[:i], "|", *tokens[i + len(title) :]]
            i += 1
    return tokens


def runs(tokens: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def our_texts() -> list[Path]:
    return sorted((ROOT / "exercises").glob("*.yaml")) + sorted((ROOT / "content").rglob("*.md"))


@pytest.fixture(scope="module")
def seed_runs() -> dict[tuple[str, ...], str]:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.skip(f"no seed texts at {SEEDS}: nothing to compare against")
    found: dict[tuple[str, ...], str] = {}
    for path in files:
        for run in runs(without_cited_titles(words(path.read_text(encoding="utf-8")))):
            found.setdefault(run, path.name)
    return found


def test_normalisation():
    assert words("Don’t stop—listen, to the END!") == ["dont", "stop", "listen", "to", "the", "end"]
    assert runs(["a", "b", "c"], 2) == {("a", "b"), ("b", "c")}
    cited = words(f"see {CITED_TITLES[0]} here")
    assert without_cited_titles(cited) == ["see", "|", "here"]


def test_there_is_something_to_check():
    assert len(our_texts()) >= 2


@pytest.mark.parametrize("path", our_texts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_of_eight_words_from_a_seed(path: Path, seed_runs):
    copied = sorted(
        {
            " ".join(run): seed_runs[run]
            for run in runs(without_cited_titles(words(path.read_text(encoding="utf-8"))))
            if run in seed_runs
        }.items()
    )
    assert not copied, "words copied from a seed (rewrite them in your own words):\n" + "\n".join(
        f"  {seed}: ...{text}..." for text, seed in copied
    )
