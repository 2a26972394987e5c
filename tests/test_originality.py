"""Every exercise, pathway and page is written in our own words.

The ideas come from a handful of blog posts (the seeds, kept beside the repository in
``shared/seeds``). This test fails when any run of eight or more consecutive words
from a seed appears in an exercise file, a pathway or a hand-written page. Short
quotations with credit (under eight words) are fine. It compares against the hashed
runs in ``tests/seed-shingles.txt`` (see tests/seed_shingles.py), so it runs on every
clone; where the seeds themselves are at hand, it also checks that file is current.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import seed_shingles as shingles

ROOT = shingles.ROOT


def our_texts() -> list[Path]:
    return (
        sorted((ROOT / "exercises").glob("*.yaml"))
        + sorted((ROOT / "pathways").glob("*.yaml"))
        + sorted((ROOT / "content").rglob("*.md"))
    )


@pytest.fixture(scope="module")
def seed_hashes() -> dict[str, str]:
    return shingles.read()


def test_normalisation():
    assert shingles.words("Don’t stop—listen, to the END!") == [
        *("dont", "stop", "listen", "to", "the", "end")
    ]
    assert shingles.runs(["a", "b", "c"], 2) == {("a", "b"), ("b", "c")}
    cited = shingles.words(f"see {shingles.CITED_TITLES[0]} here")
    assert shingles.without_cited_titles(cited) == ["see", "|", "here"]


def test_the_hashes_cover_every_seed(seed_hashes):
    assert len(seed_hashes) > 1000
    assert len(set(seed_hashes.values())) >= 5


def test_the_hashes_are_current_where_the_seeds_are_at_hand(seed_hashes):
    """On a clone without ``shared/`` this compares the file with itself, which is fine:
    the seeds change only where they are."""
    if not sorted(shingles.SEEDS.glob("*.txt")):
        assert shingles.render(seed_hashes) == shingles.SHINGLES.read_text(encoding="utf-8")
        return
    assert shingles.shingles_of(shingles.SEEDS) == seed_hashes, (
        "tests/seed-shingles.txt is stale: run tests/seed_shingles.py"
    )


def test_a_copied_run_is_caught(seed_hashes, tmp_path):
    """A sentence lifted from a seed matches a hash, even with other case and punctuation."""
    seeds = sorted(shingles.SEEDS.glob("*.txt"))
    if seeds:
        text = " ".join(shingles.words(seeds[0].read_text(encoding="utf-8"))[40:52])
        assert {shingles.digest(r) for r in shingles.text_runs(text.upper())} & set(seed_hashes)
    assert not {shingles.digest(r) for r in shingles.text_runs("we wrote this ourselves " * 3)} & (
        set(seed_hashes)
    )


def test_there_is_something_to_check():
    assert len(our_texts()) >= 30


@pytest.mark.parametrize("path", our_texts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_run_of_eight_words_from_a_seed(path: Path, seed_hashes):
    copied = sorted(
        {
            " ".join(run): seed_hashes[digest]
            for run in shingles.text_runs(path.read_text(encoding="utf-8"))
            if (digest := shingles.digest(run)) in seed_hashes
        }.items()
    )
    assert not copied, "words copied from a seed (rewrite them in your own words):\n" + "\n".join(
        f"  {seed}: ...{text}..." for text, seed in copied
    )
