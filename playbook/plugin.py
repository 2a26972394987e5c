"""MkDocs plugin ``playbook``: a thin adapter from MkDocs events to the generator.

* ``on_pre_build`` loads and validates every exercise. It runs before MkDocs
  cleans ``site/``, so a failed validation leaves the last good site as it was.
* ``on_files`` adds the generated pages in memory. Exercise, theme and audience
  pages stay out of the navigation (the sidebar lists catalog pages only), which
  keeps build time linear in the number of exercises.
* Edit links of exercise pages point at their YAML source.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .generate import AUDIENCES_DIR, EXERCISES_DIR, THEMES_DIR, RenderCache, generate_pages
from .loader import Cache, load_library
from .problems import report
from .render import describe_template_error, make_environment

log = logging.getLogger("mkdocs.plugins.playbook")

# Catalog index pages are linked from the nav; everything else generated is not.
_IN_NAV = {f"{folder}/index.md" for folder in (EXERCISES_DIR, THEMES_DIR, AUDIENCES_DIR)}


# `mkdocs serve` reloads the config, and so makes new plugin instances, on every
# change: the caches live at module level, one per exercises folder, to survive that.
_CACHES: dict[str, tuple[Cache, RenderCache]] = {}


def _caches_for(exercises_dir: str) -> tuple[Cache, RenderCache]:
    return _CACHES.setdefault(os.path.abspath(exercises_dir), ({}, RenderCache()))


# Kept across rebuilds too, so templates are compiled once, until a template file is
# added, changed or removed (the stamp changes): then a new environment, and the render
# cache starts over. (Jinja2's own reloading misses a new override of a package template.)
_ENVIRONMENTS: dict[str | None, tuple[tuple, jinja2.Environment]] = {}


def _environment_for(templates: Path | None, stamp: tuple) -> jinja2.Environment:
    key = os.path.abspath(templates) if templates else None
    hit = _ENVIRONMENTS.get(key)
    if hit is None or hit[0] != stamp:
        hit = _ENVIRONMENTS[key] = (stamp, make_environment(templates))
    return hit[1]


def _templates_stamp(templates: Path | None) -> tuple:
    """Name, modification time and size of every template the pages can be made with."""
    folders = [templates] if templates else []
    folders.append(Path(__file__).parent / "templates")
    stamp = []
    for folder in folders:
        for path in sorted(folder.glob("*.j2")):
            stat = path.stat()
            stamp.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamp)


class PlaybookConfig(base.Config):
    enabled = c.Type(bool, default=True)
    exercises = c.Dir(exists=True, default="exercises")
    templates = c.Optional(c.Dir(exists=True))


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._pages = []
        self._sources: dict[str, Path] = {}
        self.timings: dict[str, float] = {}

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.enabled:
            return
        root = Path(config.config_file_path or ".").parent
        load_cache, render_cache = _caches_for(self.config.exercises)
        started = time.perf_counter()
        library = load_library([Path(self.config.exercises)], root=root, cache=load_cache)
        loaded = time.perf_counter()
        if not library.ok:
            raise PluginError(
                "The exercises have problems; the site was not built "
                "(the last good site/ is untouched).\n" + report(library.problems)
            )
        templates = Path(self.config.templates) if self.config.templates else None
        stamp = _templates_stamp(templates)
        env = _environment_for(templates, stamp)
        env.globals["site_url"] = config.site_url or ""  # printed in the worksheet's footer
        env.globals["use_directory_urls"] = config.use_directory_urls  # links between exercises
        render_cache.keep_for((stamp, env.globals["site_url"], config.use_directory_urls))
        try:
            self._pages = generate_pages(library.exercises, env, cache=render_cache)
        except jinja2.TemplateError as error:
            raise PluginError(describe_template_error(error, root)) from None
        sources = library.sources()
        self._sources = {
            page.path: sources[page.exercise_id] for page in self._pages if page.exercise_id
        }
        done = time.perf_counter()
        self.timings = {"load": loaded - started, "render": done - loaded}
        log.debug("playbook: %d exercises in %.3f s", len(library.exercises), done - started)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        started = time.perf_counter()
        folders: dict[Path, str] = {}  # a source's folder, relative to docs_dir
        for page in self._pages:
            if (hand_written := files.get_file_from_path(page.path)) is not None:
                log.warning(
                    "playbook: %s is generated from the exercises; the hand-written "
                    "file of the same name in %s is ignored",
                    page.path,
                    config.docs_dir,
                )
                files.remove(hand_written)
            inclusion = (
                InclusionLevel.UNDEFINED if page.path in _IN_NAV else InclusionLevel.NOT_IN_NAV
            )
            file = File.generated(config, page.path, content=page.content, inclusion=inclusion)
            if (source := self._sources.get(page.path)) is not None:
                if (folder := folders.get(source.parent)) is None:
                    folder = Path(os.path.relpath(source.parent, config.docs_dir)).as_posix()
                    folders[source.parent] = folder
                file.edit_uri = f"{folder}/{source.name}"
            files.append(file)
        self.timings["files"] = time.perf_counter() - started
        self.timings["total"] = sum(self.timings[k] for k in ("load", "render", "files"))
        if timings_file := os.environ.get("PLAYBOOK_TIMINGS_FILE"):
            # For the benchmark (bench/run.py): the generator's own seconds in this build.
            try:
                Path(timings_file).write_text(json.dumps(self.timings), encoding="utf-8")
            except OSError as error:
                log.warning(
                    "playbook: PLAYBOOK_TIMINGS_FILE: cannot write %s (%s); "
                    "point it at a file in an existing folder",
                    timings_file,
                    error.strerror or error,
                )
        return files

    def on_serve(self, server, *, config: MkDocsConfig, builder):  # noqa: ANN001
        if self.config.enabled:
            server.watch(self.config.exercises)
            if self.config.templates:
                server.watch(self.config.templates)
        return server
