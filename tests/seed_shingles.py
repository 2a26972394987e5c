"""Hashed eight-word runs of the seed texts, so the originality test runs on any clone.

The ideas of the exercises come from a handful of blog posts (``shared/seeds``, beside
the repository, not in it). Their text is not ours to commit, so the repository keeps
only a hash of every run of eight consecutive words (``tests/seed-shingles.txt``), made
by this script:

    .venv/bin/python tests/seed_shingles.py [SEEDS_DIR]

A hash cannot be read back into the sentence, but it matches the same run of words in
our own texts (tests/test_originality.py). Run the script again when a seed changes;
the test fails when the file is stale and the seeds are at hand.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SHINGLES = Path(__file__).resolve().parent / "seed-shingles.txt"
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


def digest(run: tuple[str, ...]) -> str:
    return hashlib.blake2b(" ".join(run).encode(), digest_size=8).hexdigest()


def text_runs(text: str) -> set[tuple[str, ...]]:
    return runs(without_cited_titles(words(text)))


def shingles_of(seeds: Path) -> dict[str, str]:
    """Hash of each run → the seed file it comes from (the first one, by name)."""
    found: dict[str, str] = {}
    for path in sorted(seeds.glob("*.txt")):
        for run in text_runs(path.read_text(encoding="utf-8")):
            found.setdefault(digest(run), path.name)
    return found


def render(shingles: dict[str, str]) -> str:
    lines = [
        "# Hashed eight-word runs of the seed texts (tests/seed_shingles.py writes this file).",
        *(f"{h} {name}" for h, name in sorted(shingles.items())),
    ]
    return "\n".join(lines) + "\n"


def read(path: Path = SHINGLES) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            h, name = line.split(" ", 1)
            found[h] = name
    return found


def main(argv: list[str]) -> int:
    seeds = Path(argv[0]) if argv else SEEDS
    if not sorted(seeds.glob("*.txt")):
        print(f"no seed texts in {seeds}", file=sys.stderr)
        return 1
    shingles = shingles_of(seeds)
    SHINGLES.write_text(render(shingles), encoding="utf-8")
    print(f"wrote {len(shingles)} hashed runs to {SHINGLES.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
