"""MkDocs plugin ``playbook``: a thin adapter from MkDocs events to the generator.

* ``on_pre_build`` reads ``playbook.yml`` and loads and validates every exercise. It
  runs before MkDocs cleans ``site/``, so a failed validation leaves the last good site.
* ``on_files`` adds the generated pages in memory. Exercise, theme and audience
  pages stay out of the navigation (the sidebar lists catalog pages only), which
  keeps build time linear in the number of exercises.
* ``on_page_markdown`` fills in the licence on hand-written pages.
* ``on_page_content`` puts the finished HTML of generated pages back in place of the
  tokens Markdown saw (``render.Blocks``); ``on_post_page`` does the same for the blocks
  kept out of search (worksheet, checklist, run-sheet, catalog cards), so neither
  Markdown nor the search indexer parses them.
* Edit links of exercise pages point at their YAML source.

Defining ``on_startup`` keeps one plugin instance across ``mkdocs serve`` rebuilds, so
the caches live on the instance.
"""

from __future__ import annotations

import html
import logging
import os
import posixpath
import re
import time
from pathlib import Path

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel

from .config import ConfigError, Settings, load_settings
from .generate import RenderCache, generate_pages
from .loader import Cache, Library, load_library, load_pathways
from .problems import report
from .render import Blocks, describe_template_error, make_environment
from .reuse import TEMPLATE as REUSED_TEMPLATE
from .reuse import CompiledTemplates, PageReuse, site_stamp
from .schema import Exercise

log = logging.getLogger("mkdocs.plugins.playbook")

LICENCE_MARK = "<!-- playbook:licence -->"
LIST_MARK_START = "<!-- playbook:exercises"
LIST_MARK = re.compile(r'<!-- playbook:exercises (idea|theme)="([^"]+)" -->')
# The engine's own styles and scripts (worksheets, checklists, print, catalog filters):
# added to every site that uses the plugin, from the package.
ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/playbook"
STYLES = ("playbook.css", "print.css", "catalog.css", "planner.css")
SCRIPTS = ("playbook.js", "print.js", "catalog.js", "planner.js")


class PlaybookConfig(base.Config):
    config = c.File(exists=True, default="playbook.yml")
    exercises = c.Dir(exists=True, default="exercises")
    pathways = c.Type(str, default="pathways")  # optional: a folder that may not exist
    templates = c.Optional(c.Dir(exists=True))
    # While serving, pages an edit did not touch are not built again (see reuse.py).
    reuse_pages = c.Type(bool, default=True)


class PlaybookPlugin(BasePlugin[PlaybookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self._pages = []
        self._blocks: dict[str, Blocks] = {}  # a generated page's path → its HTML blocks
        self._sources: dict[str, Path] = {}
        self.settings: Settings | None = None
        self._settings_stamp: tuple | None = None
        self._load_cache: Cache = {}
        self._render_cache = RenderCache()
        self._environment: tuple[tuple, jinja2.Environment] | None = None
        self._serving = False
        self._reuse: PageReuse | None = None  # while serving (see reuse.py)
        self._compiled = CompiledTemplates()  # the theme's templates, across serve rebuilds
        # While serving: what each file held when it last had no problems, and the
        # problems of the current build (shown at the top of every page).
        self._last_good: dict[Path, object] = {}
        self._last_good_pathways: list = []
        self.problems: list[str] = []
        self._exercises: list = []
        self._config_problems: list[str] = []
        # The generator's own seconds in the last build (the benchmark reads them).
        self.timings: dict[str, float] = {}

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """MkDocs keeps this instance (and its caches) across rebuilds because this hook
        exists. While serving, problems are shown in the pages instead of stopping the
        server (a failed build makes every request of `mkdocs serve` wait)."""
        self._serving = command == "serve"
        self._reuse = PageReuse() if self._serving else None

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path or ".").parent
        started = time.perf_counter()
        settings = self._load_settings(root)
        library = load_library(
            [Path(self.config.exercises)], settings=settings, root=root, cache=self._load_cache
        )
        pathways = load_pathways(
            self._pathways_dir(config),
            settings=settings,
            exercises={f.raw_id: f.exercise for f in library.files if f.raw_id},
            root=root,
        )
        loaded = time.perf_counter()
        problems = library.problems + pathways.problems
        if problems and not self._serving:
            raise PluginError(
                "The exercises have problems; the site was not built.\n" + report(problems)
            )
        exercises = self._exercises = self._last_good_exercises(library)
        self.problems = self._config_problems + [p.format() for p in problems]
        if problems:
            log.warning(
                "playbook: the exercises have problems; the pages show the last good "
                "version of each broken file, with the problems at the top:\n%s",
                report(problems),
            )
            pathways.pathways = self._last_good_pathways or pathways.pathways
        else:
            self._last_good_pathways = pathways.pathways
        env = self._environment_for(settings, config)
        try:
            self._pages = generate_pages(
                exercises,
                env,
                cache=self._render_cache,
                use_directory_urls=config.use_directory_urls,
                pathways=[
                    p
                    for p in pathways.pathways
                    if all(s.exercise in {e.id for e in exercises} for s in p.steps)
                ],
                blocks=True,
            )
        except jinja2.TemplateError as error:
            if not self._serving or not self._pages:
                raise PluginError(describe_template_error(error, root)) from None
            self.problems.append(describe_template_error(error, root))  # last pages kept
            if self._reuse is not None:
                self._start_reuse(config, root)
            return
        sources = {ex.id: path for path, ex in self._last_good.items()}
        sources.update(library.sources())
        sources.update({f"pathway:{k}": v for k, v in pathways.sources.items()})
        self._sources = {
            page.path: sources[page.source_key] for page in self._pages if page.source_key
        }
        if self._reuse is not None:
            self._start_reuse(config, root)
        done = time.perf_counter()
        self.timings = {"load": loaded - started, "render": done - loaded}
        log.debug("playbook: %d exercises in %.3f s", len(library.exercises), done - started)

    def _last_good_exercises(self, library: Library) -> list:
        """The valid exercises, and for a file with problems the exercise it held when it
        last had none (while serving)."""
        exercises = []
        for loaded in library.files:
            if loaded.exercise is not None:
                self._last_good[loaded.path] = loaded.exercise
                exercises.append(loaded.exercise)
            elif self._serving and (last := self._last_good.get(loaded.path)) is not None:
                exercises.append(last)
        ids: set[str] = set()
        return [e for e in exercises if not (e.id in ids or ids.add(e.id))]

    def _start_reuse(self, config: MkDocsConfig, root: Path) -> None:
        if not self.config.reuse_pages:
            self._reuse.start(None)
            self._reuse.kept.clear()
            return
        overrides = config.theme.custom_dir  # relative to mkdocs.yml, or absolute
        stamp = site_stamp(
            config.config_file_path,
            config.docs_dir,
            str(root / overrides) if overrides else None,
            [Path(self.config.exercises).resolve(), self._pathways_dir(config).resolve()],
            self._environment[0] if self._environment else None,
            self._settings_stamp,
            tuple(self.problems),
        )
        self._reuse.start(stamp)

    @event_priority(100)  # before any other plugin sees (or changes) the placeholders
    def on_page_content(self, html: str, *, page, config, files) -> str:
        if self._reuse is not None and page.file.src_uri in self._reuse.reused:
            self._reuse.put_back(page.file.src_uri, page)
            return ""  # its output is put back whole in on_post_page
        blocks = self._blocks.get(page.file.src_uri)
        if blocks is None:
            return html
        if page.present_anchor_ids is not None:
            page.present_anchor_ids |= blocks.ids()
        return blocks.restore(html)

    @event_priority(100)  # before a plugin that strips comments (a minifier) runs
    def on_post_page(self, output: str, *, page, config) -> str:
        """The blocks kept out of search; and while serving with problems, a banner
        listing them at the top of every page (it goes with the next good build, as every
        page is then built again)."""
        src_uri = page.file.src_uri
        if self._reuse is not None and src_uri in self._reuse.reused:
            return self._reuse.kept[src_uri].output
        if (blocks := self._blocks.get(src_uri)) is not None:
            output, missing = blocks.restore_late(output)
            if missing:
                log.warning(
                    "playbook: %s lost %d of its worksheet, checklist or card blocks before "
                    "they were put back: a plugin removed HTML comments from the page before "
                    "this one ran; list it after playbook in mkdocs.yml",
                    src_uri,
                    missing,
                )
        if self.problems:
            output = self._with_banner(output)
        if self._reuse is not None and self.config.reuse_pages:
            self._reuse.keep(src_uri, output, page)
        return output

    def _with_banner(self, output: str) -> str:
        items = "".join(f"<li><pre>{html.escape(p)}</pre></li>" for p in self.problems)
        banner = (
            '<div class="pb-build-problems" role="alert" style="position:relative;z-index:10;'
            "margin:0;padding:0.8em 1.2em;background:#fff3e0;color:#3e2000;border-bottom:"
            '3px solid #e65100;font:14px/1.4 system-ui,sans-serif">'
            f"<strong>{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''} "
            "in the playbook's files.</strong> The pages show the last good version of each "
            "broken file; this notice goes away once the files are fixed."
            f'<ul style="margin:0.4em 0 0;padding-left:1.2em">{items}</ul></div>'
        )
        return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + banner, output, count=1)

    def _pathways_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").parent / self.config.pathways

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent
        settings = self._load_settings(root)
        if not config.copyright:
            config.copyright = settings.config.licence.footer
        for name in STYLES:
            if f"{ASSET_DIR}/{name}" not in config.extra_css:
                config.extra_css.append(f"{ASSET_DIR}/{name}")
        for name in SCRIPTS:
            if f"{ASSET_DIR}/{name}" not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(f"{ASSET_DIR}/{name}")
        return config

    def _load_settings(self, root: Path) -> Settings:
        """playbook.yml, read again only when it changed."""
        path = Path(self.config.config)
        info = path.stat()
        stamp = (str(path), info.st_mtime_ns, info.st_size)
        if self.settings is None or stamp != self._settings_stamp:
            try:
                self.settings = load_settings(path, root=root)
                self._config_problems = []
            except ConfigError as error:
                if not (self._serving and self.settings is not None):
                    raise PluginError(
                        "The playbook's configuration has problems; the site was not built.\n"
                        + report(error.problems)
                    ) from None
                self._config_problems = [p.format() for p in error.problems]
                return self.settings  # the last good one, while serving
            self._settings_stamp = stamp
            self._load_cache.clear()
        return self.settings

    def _environment_for(self, settings: Settings, config: MkDocsConfig) -> jinja2.Environment:
        """Templates are compiled once, until a template file is added, changed or
        removed, or the configuration changes: then a new environment, and the render
        cache starts over. (Jinja2's own reloading misses a new override of a package
        template.)"""
        templates = Path(self.config.templates) if self.config.templates else None
        stamp = (_templates_stamp(templates), id(settings))
        if self._environment is None or self._environment[0] != stamp:
            self._environment = (stamp, make_environment(settings, templates))
        env = self._environment[1]
        env.globals["site_url"] = config.site_url or ""  # printed in the worksheet's footer
        env.globals["use_directory_urls"] = config.use_directory_urls  # links between exercises
        self._render_cache.keep_for((stamp, env.globals["site_url"], config.use_directory_urls))
        return env

    @event_priority(-100)  # after the search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._reuse is not None and self.config.reuse_pages:
            self._reuse.merge_search_index(config.site_dir)
            log.info(
                "playbook: %d of %d generated pages reused, the others built",
                len(self._reuse.reused),
                len(self._reuse.offered),
            )

    def on_nav(self, nav, *, config: MkDocsConfig, files: Files):
        """While serving: every page shows the navigation, so a change to it (a generated
        page listed in it that changed its title, one that went away) rebuilds them all."""
        if self._reuse is not None and self.config.reuse_pages:
            self._reuse.check_nav(_nav_signature(nav.items, self._pages))
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files):
        """While serving, a reused page is rendered with an empty template (its output is
        put back whole)."""
        if self._reuse is not None and self.config.reuse_pages:
            # The pages as they are built and indexed, drafts and other plugins' too; their
            # addresses as search entries have them (the home page's is "", not "./").
            self._reuse.order = [
                ("" if f.url == "./" else f.url, f.src_uri)
                for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            ]
            env.bytecode_cache = self._compiled
            if self._reuse.reused:
                env.loader = jinja2.ChoiceLoader(
                    [jinja2.DictLoader({REUSED_TEMPLATE: ""}), env.loader]
                )
        return env

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        started = time.perf_counter()
        folders: dict[Path, str] = {}  # a source's folder, relative to docs_dir
        self._blocks = {page.path: page.blocks for page in self._pages if page.blocks}
        for page in self._pages:
            if (hand_written := files.get_file_from_path(page.path)) is not None:
                log.warning(
                    "playbook: %s is generated from the exercises; the hand-written "
                    "file of the same name in %s is ignored",
                    page.path,
                    config.docs_dir,
                )
                files.remove(hand_written)
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.path, content=page.content, inclusion=inclusion)
            if (source := self._sources.get(page.path)) is not None:
                if (folder := folders.get(source.parent)) is None:
                    folder = Path(os.path.relpath(source.parent, config.docs_dir)).as_posix()
                    folders[source.parent] = folder
                file.edit_uri = f"{folder}/{source.name}"
            files.append(file)
            if self._reuse is not None and self.config.reuse_pages and page.path.endswith(".md"):
                blocks = tuple(page.blocks.html) if page.blocks else ()
                self._reuse.offer(page.path, (page.content, blocks, file.edit_uri))
        for name in (*STYLES, *SCRIPTS):
            files.append(
                File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name))
            )
        self.timings["files"] = time.perf_counter() - started
        self.timings["total"] = sum(self.timings[k] for k in ("load", "render", "files"))
        return files

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Hand-written pages may ask for the licence (``<!-- playbook:licence -->``) and
        for lists of exercises (``<!-- playbook:exercises idea="…" -->`` or ``theme="…"``),
        which stay right as exercises come and go."""
        if self._reuse is not None and page.file.src_uri in self._reuse.reused:
            return ""  # nothing to convert: on_page_content puts its last output back
        if LICENCE_MARK in markdown and self.settings is not None:
            licence = self.settings.config.licence
            text = f"[{licence.name}]({licence.url})" if licence.url else licence.name
            markdown = markdown.replace(LICENCE_MARK, text)
        if LIST_MARK_START in markdown:
            here = posixpath.dirname(page.file.src_uri)
            markdown = LIST_MARK.sub(lambda m: self._exercise_list(m, here, page), markdown)
        return markdown

    def _exercise_list(self, mark: re.Match, here: str, page) -> str:
        kind, wanted = mark.group(1), mark.group(2).strip().lower()
        found = sorted(
            (ex for ex in self._exercises if _matches(ex, kind, wanted)),
            key=lambda ex: (ex.session.minutes.low or 0, ex.title.lower()),
        )
        if not found:
            log.warning(
                "playbook: %s asks for the exercises of %s '%s', and there are none",
                page.file.src_uri,
                kind,
                mark.group(2),
            )
            return ""
        lines = []
        for ex in found:
            link = posixpath.relpath(f"exercises/{ex.id}.md", here or ".")
            lines.append(f"- [{ex.title}]({link}) ({ex.session.minutes.text()} session)")
        return "\n".join(lines)

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        server.watch(self.config.exercises)
        server.watch(self.config.config)
        if self._pathways_dir(config).is_dir():
            server.watch(str(self._pathways_dir(config)))
        if self.config.templates:
            server.watch(self.config.templates)
        return server


_TITLE = re.compile(r"^title: (.*)$|^# (.*)$", re.M)


def _nav_signature(items, pages) -> tuple:
    """What the navigation shows: its sections, links and pages with their addresses
    and titles. A generated page's title is read from its text (MkDocs has not read the
    pages yet); a hand-written page's is covered by the site's digest."""
    return _nav_items(items, {page.path: page.content for page in pages})


def _nav_items(items, texts: dict[str, str]) -> tuple:
    out = []
    for item in items:
        file = getattr(item, "file", None)
        if file is not None:  # a page
            title = item.title
            if file.src_uri in texts:
                match = _TITLE.search(texts[file.src_uri])
                title = (title, match.group(0) if match else None)
            out.append(("page", file.src_uri, file.url, title))
        elif getattr(item, "children", None) is not None:  # a section
            out.append(("section", item.title, _nav_items(item.children, texts)))
        else:  # a link
            out.append(("link", item.title, getattr(item, "url", None)))
    return tuple(out)


def _matches(ex: Exercise, kind: str, wanted: str) -> bool:
    """A theme by its id; an idea by the start of its name, so that "GYST" also lists
    "GYST: …, for a first meeting"."""
    if kind == "theme":
        return wanted in ex.themes
    return ex.idea is not None and ex.idea.name.strip().lower().startswith(wanted)


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
