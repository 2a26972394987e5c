"""While serving: reuse the finished pages that an edit did not touch.

``mkdocs serve`` builds the whole site again after every saved file. With a thousand
exercises that is seconds of Markdown, templates and search indexing for pages that
come out byte for byte as before. The plugin hands each generated page to ``PageReuse``
with everything its output is made from:

* the page's own text and HTML blocks, and its edit link (``offer``);
* everything every page shows: the MkDocs configuration, the hand-written pages (the
  navigation shows their titles), the theme's overrides, the playbook's configuration
  and templates, and the problems banner (``start``: a change to any of them makes
  every page new).

A page whose inputs are all the same is not converted, rendered or indexed again: its
last output is written as it was, and its search entries are put back in their place in
the index (``merge_search_index``), so the index is the one a full build writes. Pages
made from a changed exercise, the catalog pages that show its card, and every
hand-written page are built as usual. ``mkdocs build`` never reuses anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

# The template a reused page is "rendered" with: nothing, as its output is put back.
TEMPLATE = "playbook/reused-page.html"


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once while serving: each rebuild gets a new theme
    environment, which would otherwise compile them all again. Jinja2 keys each entry by
    the template's name and a checksum of its source, so an edited template compiles."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self._code.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


@dataclass
class _Kept:
    key: tuple
    output: str
    toc: object
    anchors: set[str] | None


@dataclass
class PageReuse:
    site_stamp: object = None
    kept: dict[str, _Kept] = field(default_factory=dict)  # src_uri → last output
    entries: dict[str, list] = field(default_factory=dict)  # src_uri → search entries
    offered: dict[str, tuple] = field(default_factory=dict)  # this build's keys
    reused: set[str] = field(default_factory=set)  # this build's reused pages
    order: list[tuple[str, str]] = field(default_factory=list)  # (url, src_uri) of pages
    # Outputs of this build, kept only once the build has finished (with their entries).
    pending: dict[str, _Kept] = field(default_factory=dict)
    nav: object = None  # what the navigation showed in the last build

    def start(self, site_stamp: object) -> None:
        """A new build; everything kept is forgotten if what every page shows changed."""
        if site_stamp != self.site_stamp:
            self.kept.clear()
            self.entries.clear()
            self.site_stamp = site_stamp
        self.offered = {}
        self.reused = set()
        self.pending = {}

    def check_nav(self, nav: object) -> None:
        """The navigation every page shows: if it changed (a title of a generated page
        listed in it, say), nothing can be reused in this build."""
        if nav != self.nav:
            self.reused.clear()
            self.kept.clear()
            self.nav = nav

    def offer(self, src_uri: str, key: tuple) -> None:
        """A generated page of this build and what its output is made from."""
        self.offered[src_uri] = key
        kept = self.kept.get(src_uri)
        if kept is not None and src_uri in self.entries and kept.key == key:
            self.reused.add(src_uri)

    def keep(self, src_uri: str, output: str, page) -> None:
        """A generated page built in full: keep its output for the next build (once this
        one has finished, with the page's search entries)."""
        key = self.offered.get(src_uri)
        if key is None:
            return
        self.pending[src_uri] = _Kept(key, output, page.toc, page.present_anchor_ids)

    def put_back(self, src_uri: str, page) -> str:
        """A reused page: the table of contents and anchors of its last build (other
        pages' links to it are checked against them); the theme renders nothing for it."""
        kept = self.kept[src_uri]
        page.toc = kept.toc
        page.present_anchor_ids = kept.anchors
        page.meta["template"] = TEMPLATE
        page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
        return kept.output

    def merge_search_index(self, site_dir: str) -> None:
        """Material's search plugin indexed the pages built in full only. Put back the
        entries of the reused pages, in the order of the pages, as a full build has them;
        and keep this build's entries of every page for the next one."""
        path = os.path.join(site_dir, "search", "search_index.json")
        self.kept.update(self.pending)
        self.pending = {}
        if not os.path.isfile(path):  # no search plugin: nothing to put back
            self.entries.update((src, []) for src in self.offered if src not in self.reused)
            return
        with open(path, encoding="utf-8") as file:
            index = json.load(file)
        by_url: dict[str, list] = {}
        for entry in index.get("docs", []):
            by_url.setdefault(entry.get("location", "").split("#", 1)[0], []).append(entry)
        docs: list = []
        for url, src_uri in self.order:
            if src_uri in self.reused:
                docs += self.entries[src_uri]
            else:
                entries = by_url.pop(url, [])
                if src_uri in self.offered:
                    self.entries[src_uri] = entries
                docs += entries
        for rest in by_url.values():  # entries of no page we know: as they were
            docs += rest
        if self.reused:
            index["docs"] = docs
            data = json.dumps(index, separators=(",", ":"), default=str)
            with open(path, "w", encoding="utf-8") as file:
                file.write(data)


_INHERIT = re.compile(rb"^INHERIT:\s*['\"]?([^'\"#\n]+?)['\"]?\s*(?:#.*)?$", re.M)


def site_stamp(
    config_file: str | None, docs_dir: str, theme_dir: str | None, skip: list[Path], *extra
) -> str:
    """A digest of what every page shows: the MkDocs configuration file (and the files
    it inherits from), the name, size and modification time of every file in the docs
    folder (outside ``skip``) and in the theme's overrides, and ``extra``."""
    digest = hashlib.blake2b(digest_size=16)
    seen: set[str] = set()
    while config_file and os.path.isfile(config_file) and config_file not in seen:
        seen.add(config_file)
        with open(config_file, "rb") as file:
            data = file.read()
        digest.update(data)
        parent = _INHERIT.search(data)
        if parent is None:
            break
        config_file = os.path.join(
            os.path.dirname(config_file), parent.group(1).decode("utf-8", "replace").strip()
        )
    skipped = {os.path.realpath(p) for p in skip}
    for folder in (docs_dir, theme_dir):
        if not folder or not os.path.isdir(folder):
            continue
        for base, dirs, names in os.walk(folder):
            dirs[:] = sorted(
                d for d in dirs if os.path.realpath(os.path.join(base, d)) not in skipped
            )
            for name in sorted(names):
                path = os.path.join(base, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                name = os.path.relpath(path, folder)  # the same however the folder is named
                digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    digest.update(repr(extra).encode())
    return digest.hexdigest()
