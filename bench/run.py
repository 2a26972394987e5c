"""Build benchmark: build speed and page weight at 10, 100 and 1,000 exercises.

    .venv/bin/python bench/run.py [--sizes 10,100,1000] [--repeats 3] [--budget 540] [--quick]
                                  [--markdown content/performance.md]

For each size it writes synthetic exercises (``bench/synth.py``, fixed seed) into a
temporary copy of the project and measures, in one run:

* the full build (``load_config`` + ``build``, as ``mkdocs build`` does) in a
  child process that reports its own peak RSS, and the generator's share of it (the
  plugin instance keeps its timings);
* the floor: the same pages pre-rendered by ``playbook generate``, put in the docs
  folder and built with the playbook plugin disabled (same nav, theme and plugins);
* the rebuild after editing one exercise, the way ``mkdocs serve`` does it (one
  process, the config loaded again for the second build), and the cache hits;
* the built site's weight: bytes per exercise page, and the gzipped transfer of one
  exercise page with the same-site CSS and JavaScript it references;
* requests to other hosts from the built HTML (scripts, stylesheets, fonts, images).

Times are medians of up to ``--repeats`` runs, ours and the floor interleaved; the
largest size stops repeating when another run would end after ``--budget`` seconds
(the whole benchmark must stay under ten minutes on a loaded 2-core machine). The machine is
noisy: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import html.parser
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

_EXERCISE_LINK = re.compile(r"exercises/([a-z0-9]+(?:-[a-z0-9]+)*)(?:\.md|/)")
PROJECT_PARTS = ("mkdocs.yml", "playbook.yml", "content", "templates", "overrides", "schema")
DEFAULT_SIZES = (10, 100, 1000)
SEED = 7
# Pages the plugin keeps out of the nav; the floor gets the same rule as a not_in_nav pattern.
FLOOR_NOT_IN_NAV = "/exercises/*.md\n/themes/*.md\n/audiences/*.md\n"

# Targets, checked at the largest size measured.
TARGET_GENERATOR_SHARE = 0.03
TARGET_FLOOR_RATIO = 1.15
TARGET_GROWTH = 12.0
TARGET_REBUILD_GENERATOR = 0.050
TARGET_BASELINE_RATIO = 1.25
TARGET_SERVE_EDIT = 2.0
# 40% of the search index's gzipped size at 1,000 exercises before the worksheet,
# checklist, bands and run-sheet were kept out of it (1.6 MB, measured 2026-11-23).
TARGET_SEARCH_KB_1000 = 0.4 * 1600
# Peak memory of the build at 1,000 exercises when build speed was taken up
# (measured 2026-11-23): the build may not need more.
TARGET_RSS_MB_1000 = 218
# What search must find an exercise by: its page's first entry (title, summary) and
# the entries of its purpose and its steps.
_REQUIRED_SECTION = re.compile(r"^exercises/[^/#]+/(?:#(?:why-it-matters|step-\d+))?$")


# --------------------------------------------------------------------------- children
# Each build runs in a fresh child process (this file with --child), so that its peak
# RSS is its own: getrusage(RUSAGE_CHILDREN) only ever reports the largest child.


def _child_main(spec: dict) -> None:
    import logging
    import resource

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = spec["config_file"]
    overrides = dict(spec.get("overrides", {}))
    result: dict = {}

    def read_timings(config) -> dict:
        """The generator's own seconds in the last build (the plugin keeps them)."""
        playbook = config.plugins.get("playbook")
        return dict(playbook.timings) if playbook is not None else {}

    if spec["mode"] == "build":
        started = time.perf_counter()
        config = load_config(config_file, **overrides)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        result["seconds"] = time.perf_counter() - started
        result["timings"] = read_timings(config)
    elif spec["mode"] == "rebuild":
        serve_url = "http://127.0.0.1:8000/"

        def get_config():
            config = load_config(config_file, **overrides)
            config.site_url = serve_url
            return config

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=serve_url)
        # MkDocs keeps one instance of a plugin that defines on_startup across rebuilds.
        playbook = config.plugins["playbook"]
        load_cache, render_cache = playbook._load_cache, playbook._render_cache
        before = dict(load_cache)
        hits, misses = render_cache.hits, render_cache.misses

        edited = Path(spec["edit"])
        text = edited.read_text(encoding="utf-8")
        edited.write_text(text.replace("summary: ", "summary: Edited. ", 1), encoding="utf-8")

        started = time.perf_counter()
        config = get_config()
        assert config.plugins["playbook"] is playbook, "MkDocs made a new plugin instance"
        build(config, serve_url=serve_url)
        result["seconds"] = time.perf_counter() - started
        result["timings"] = read_timings(config)
        result["parsed"] = sum(1 for path, f in load_cache.items() if before.get(path) is not f)
        result["render_hits"] = render_cache.hits - hits
        result["render_misses"] = render_cache.misses - misses
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def run_child(spec: dict) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        cwd=Path(spec["config_file"]).parent,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench: the {spec['mode']} failed:\n{proc.stdout}\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    return result


# --------------------------------------------------------------------------- projects


def make_project(base: Path, count: int) -> Path:
    """A copy of the project whose exercises/ holds ``count`` synthetic exercises."""
    project = base / "project"
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part)
        elif source.exists():
            shutil.copy2(source, project / part)
    exercises = project / "exercises"
    exercises.mkdir()
    for name, text in synth.exercise_files(count, SEED, linked_ids(project / "content")).items():
        (exercises / name).write_text(text, encoding="utf-8")
    return project


def linked_ids(docs: Path) -> list[str]:
    """Ids of exercises the hand-written pages link to, so that those links resolve."""
    found: set[str] = set()
    for page in docs.rglob("*.md"):
        found.update(_EXERCISE_LINK.findall(page.read_text(encoding="utf-8")))
    return sorted(found - {"index"})


def make_floor_docs(project: Path, base: Path) -> Path:
    """The docs folder plus every generated page as Markdown (``playbook generate``)."""
    docs, generated = base / "floor-docs", base / "generated"
    playbook = Path(sys.executable).with_name("playbook")
    command = [str(playbook)] if playbook.exists() else [sys.executable, "-m", "playbook.cli"]
    proc = subprocess.run(
        [*command, "generate", str(generated)], cwd=project, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench: playbook generate failed:\n{proc.stdout}\n{proc.stderr}")
    shutil.copytree(project / "content", docs)
    shutil.copytree(generated, docs, dirs_exist_ok=True)
    return docs


_PLAYBOOK_PLUGIN = re.compile(r"^  - playbook:\n(?:      .*\n)*", re.M)


def without_playbook_plugin(project: Path) -> Path:
    """The project's mkdocs.yml without the playbook plugin, for builds of docs folders
    that already hold every page: the floor and the hand-written baseline. (Setting the
    plugin's ``enabled`` after loading the config would not stop it: MkDocs reads that
    option only while loading.)"""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    plain, count = _PLAYBOOK_PLUGIN.subn("", text)
    if count != 1:
        raise SystemExit("bench: cannot find the playbook plugin in mkdocs.yml")
    path = project / "mkdocs-plain.yml"
    path.write_text(plain, encoding="utf-8")
    return path


def make_baseline_docs(floor_docs: Path, base: Path, count: int, project: Path) -> Path:
    """The floor's docs with every exercise page replaced by the same exercise written
    by hand as plain Markdown (``synth.handwritten_page``): what our pages cost beyond it."""
    docs = base / "baseline-docs"
    shutil.copytree(floor_docs, docs)
    pages = synth.handwritten_pages(count, SEED, linked_ids(project / "content"))
    for name, text in pages.items():
        (docs / "exercises" / name).write_text(text, encoding="utf-8")
    return docs


# --------------------------------------------------------------------------- serve


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _poll(predicate, seconds: float) -> float | None:
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        if predicate():
            return time.perf_counter() - started
        time.sleep(0.05)
    return None


def _search_locations(index_text: str) -> dict[str, int]:
    docs = json.loads(index_text or '{"docs": []}')["docs"]
    counts: dict[str, int] = {}
    for doc in docs:
        counts[doc["location"]] = counts.get(doc["location"], 0) + 1
    return counts


def serve_edit(project: Path, count: int, log) -> dict:
    """``playbook serve`` as a contributor lives it: wait for the site, save a new title
    into one exercise, and time until the served page shows it; then check the catalog
    page and the search index show it too."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    playbook = Path(sys.executable).with_name("playbook")
    command = [str(playbook)] if playbook.exists() else [sys.executable, "-m", "playbook.cli"]
    process = subprocess.Popen(
        [*command, "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    edit = sorted((project / "exercises").glob("*.yaml"))[count // 3]
    page = f"{url}/exercises/{edit.stem}/"
    try:
        log(f"  {count} exercises: playbook serve, first build")
        if _poll(lambda: "pb-worksheet" in _get(page), 900) is None:
            raise SystemExit("bench: playbook serve did not serve the site")
        time.sleep(1)  # let the watcher settle after the first build
        text = edit.read_text(encoding="utf-8")
        title = f"Renamed in serve {count}"
        edit.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M))
        before = _search_locations(_get(f"{url}/search/search_index.json"))
        old_title = re.search(r"^title: (.*)$", text, re.M).group(1)
        seconds = _poll(lambda: title in _get(page), 300)
        catalog = title in _get(f"{url}/exercises/")
        index = _get(f"{url}/search/search_index.json")
        # Right only with the new title, without the old one, and no page lost or doubled.
        search = title in index and old_title not in index
        search = search and _search_locations(index) == before
        return {"seconds": seconds, "catalog": catalog, "search": search}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


# --------------------------------------------------------------------------- page weight


class _Refs(html.parser.HTMLParser):
    """What a page makes the browser fetch: scripts, stylesheets, icons, images, fonts."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and a.get("href"):
            if "stylesheet" in rel:
                self.styles.append(a["href"])
            elif rel and set(rel) & {"icon", "preload", "modulepreload", "prefetch", "manifest"}:
                self.other.append(a["href"])
        elif tag in ("img", "source", "video", "audio", "iframe", "embed") and a.get("src"):
            self.other.append(a["src"])
        if a.get("srcset"):
            self.other += [part.split()[0] for part in a["srcset"].split(",") if part.strip()]


_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def _external(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https") or url.startswith("//")


def page_weight(site: Path, page: Path) -> dict:
    """Gzipped bytes of one page and the same-site CSS/JS it references."""
    refs = _Refs()
    refs.feed(page.read_text(encoding="utf-8"))
    base = page.relative_to(site).as_posix()
    own, material = 0, 0
    for url in refs.scripts + refs.styles:
        if _external(url):
            continue
        target = site / urljoin(base, urlsplit(url).path)
        if not target.is_file():
            continue
        size = _gz(target.read_bytes())
        if (
            "/assets/javascripts/" in target.as_posix()
            or "/assets/stylesheets/" in target.as_posix()
        ):
            material += size
        else:
            own += size
    html_gz = _gz(page.read_bytes())
    return {"html": html_gz, "own": own, "material": material, "total": html_gz + own + material}


def external_requests(site: Path) -> list[str]:
    """http(s) URLs the built site would fetch from other hosts (not plain links)."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        refs = _Refs()
        refs.feed(page.read_text(encoding="utf-8"))
        found.update(u for u in refs.scripts + refs.styles + refs.other if _external(u))
    for css in site.rglob("*.css"):
        for match in _CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            url = match.group(1) or match.group(2)
            if _external(url):
                found.add(url)
    return sorted(found)


def _required_search_kb(search_index: Path) -> float:
    """The gzipped size of an index holding only what search must find exercises by:
    each exercise page's title and summary, its purpose and its steps (no other page,
    no other part). The least any index can weigh that meets the search requirement."""
    if not search_index.exists():
        return 0.0
    index = json.loads(search_index.read_text(encoding="utf-8"))
    docs = [e for e in index["docs"] if _REQUIRED_SECTION.match(e["location"])]
    data = json.dumps({"config": index["config"], "docs": docs}, separators=(",", ":"))
    return _gz(data.encode("utf-8")) / 1e3


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# --------------------------------------------------------------------------- measuring


def measure(count: int, repeats: int, work: Path, log, deadline: float | None = None) -> dict:
    """Measure one size. With a ``deadline`` (perf_counter seconds), builds are
    repeated only while one more, and the rebuild after them, would end before it."""
    base = work / str(count)
    project = make_project(base, count)
    floor_docs = make_floor_docs(project, base)
    baseline_docs = make_baseline_docs(floor_docs, base, count, project)
    ours_site, floor_site = base / "site", base / "floor-site"
    config_file = str(project / "mkdocs.yml")
    plain_config = str(without_playbook_plugin(project))
    ours, floor, baseline = [], [], []
    for run in range(repeats):
        if run and deadline is not None:
            one_more = ours[-1]["wall"] + floor[-1]["wall"] + baseline[-1]["wall"]
            rebuild = 2.5 * ours[-1]["wall"]
            if time.perf_counter() + one_more + rebuild > deadline:
                log(f"  {count} exercises: no more repeats (time budget)")
                break
        log(f"  {count} exercises: build {run + 1}/{repeats}, ours and the floor")
        ours.append(
            run_child(
                {
                    "mode": "build",
                    "config_file": config_file,
                    "overrides": {"site_dir": str(ours_site)},
                },
            )
        )
        floor.append(
            run_child(
                {
                    "mode": "build",
                    "config_file": plain_config,
                    "overrides": {
                        "site_dir": str(floor_site),
                        "docs_dir": str(floor_docs),
                        "not_in_nav": FLOOR_NOT_IN_NAV,
                    },
                },
            )
        )
        baseline.append(
            run_child(
                {
                    "mode": "build",
                    "config_file": plain_config,
                    "overrides": {
                        "site_dir": str(base / "baseline-site"),
                        "docs_dir": str(baseline_docs),
                        "not_in_nav": FLOOR_NOT_IN_NAV,
                    },
                },
            )
        )
    log(f"  {count} exercises: rebuild after editing one exercise")
    edit = sorted((project / "exercises").glob("*.yaml"))[count // 2]
    rebuild = run_child(
        {
            "mode": "rebuild",
            "config_file": config_file,
            "edit": str(edit),
            "overrides": {"site_dir": str(base / "serve-site")},
        },
    )

    served = serve_edit(project, count, log)

    def median(runs: list[dict], key) -> float:
        return statistics.median(key(r) for r in runs)

    pages = sorted((ours_site / "exercises").glob("*/index.html"))
    weight = page_weight(ours_site, pages[len(pages) // 2])
    search_index = ours_site / "search" / "search_index.json"
    site_bytes = tree_size(ours_site)
    return {
        "count": count,
        "runs": len(ours),
        "build": median(ours, lambda r: r["seconds"]),
        "rss": max(r["max_rss_mb"] for r in ours),
        "load": median(ours, lambda r: r["timings"]["load"]),
        "render": median(ours, lambda r: r["timings"]["render"]),
        "generator": median(ours, lambda r: r["timings"]["load"] + r["timings"]["render"]),
        "files": median(ours, lambda r: r["timings"]["files"]),
        "floor": median(floor, lambda r: r["seconds"]),
        "floor_rss": max(r["max_rss_mb"] for r in floor),
        "baseline": median(baseline, lambda r: r["seconds"]),
        "baseline_rss": max(r["max_rss_mb"] for r in baseline),
        "rebuild": rebuild["seconds"],
        "serve_edit": served,
        "planner_kb": (ours_site / "assets" / "playbook" / "planner.json").stat().st_size / 1e3,
        "rebuild_generator": rebuild["timings"]["load"] + rebuild["timings"]["render"],
        "rebuild_files": rebuild["timings"]["files"],
        "parsed": rebuild["parsed"],
        "render_hits": rebuild["render_hits"],
        "render_misses": rebuild["render_misses"],
        "site_mb": site_bytes / 1e6,
        "page_html_kb": sum(p.stat().st_size for p in pages) / len(pages) / 1e3,
        "per_page_kb": site_bytes / count / 1e3,
        "weight": weight,
        "search_gz_kb": _gz(search_index.read_bytes()) / 1e3 if search_index.exists() else 0.0,
        "search_required_gz_kb": _required_search_kb(search_index),
        "external": external_requests(ours_site),
    }


# --------------------------------------------------------------------------- reporting


def table(results: list[dict]) -> str:
    """One Markdown table: a row per measure, a column per size."""
    by_count = {r["count"]: r for r in results}
    counts = sorted(by_count)
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, fmt) -> None:
        rows.append((label, [fmt(by_count[n]) for n in counts]))

    def growth(r: dict) -> str:
        index = counts.index(r["count"])
        if index == 0:
            return "–"
        prev = by_count[counts[index - 1]]
        return f"{r['build'] / prev['build']:.1f}× (vs {prev['count']})"

    row("builds measured (median of)", lambda r: str(r["runs"]))
    row("full build, s", lambda r: f"{r['build']:.2f}")
    row("peak memory of the build, MB", lambda r: f"{r['rss']:.0f}")
    row("generator: load + validate, s", lambda r: f"{r['load']:.3f}")
    row("generator: render, s", lambda r: f"{r['render']:.3f}")
    row("generator share of the build", lambda r: f"{r['generator'] / r['build']:.1%}")
    row("hand-over to MkDocs (File objects), s", lambda r: f"{r['files']:.3f}")
    row("floor: plain-Markdown build, s", lambda r: f"{r['floor']:.2f}")
    row("our build / floor", lambda r: f"{r['build'] / r['floor']:.2f}×")
    row("hand-written baseline build, s", lambda r: f"{r['baseline']:.2f}")
    row("our build / hand-written baseline", lambda r: f"{r['build'] / r['baseline']:.2f}×")
    row("growth of the build time", growth)
    row("rebuild after editing one exercise, as serve does, s", lambda r: f"{r['rebuild']:.2f}")
    row(
        "serve: saved edit to page served, s",
        lambda r: (
            "never" if r["serve_edit"]["seconds"] is None else f"{r['serve_edit']['seconds']:.2f}"
        ),
    )
    row(
        "serve: the new title in the catalog / in search",
        lambda r: " / ".join("yes" if r["serve_edit"][k] else "no" for k in ("catalog", "search")),
    )
    row("generator share of that rebuild, ms", lambda r: f"{r['rebuild_generator'] * 1e3:.0f}")
    row("hand-over to MkDocs in that rebuild, ms", lambda r: f"{r['rebuild_files'] * 1e3:.0f}")
    row(
        "rebuild: files parsed / pages rendered / reused",
        lambda r: f"{r['parsed']} / {r['render_misses']} / {r['render_hits']}",
    )
    row("built site, MB", lambda r: f"{r['site_mb']:.1f}")
    row("built site per exercise, KB", lambda r: f"{r['per_page_kb']:.0f}")
    row("exercise page HTML, KB", lambda r: f"{r['page_html_kb']:.0f}")
    row("one exercise page, gzipped HTML, KB", lambda r: f"{r['weight']['html'] / 1e3:.1f}")
    row("  + the site's own CSS/JS, gzipped, KB", lambda r: f"{r['weight']['own'] / 1e3:.1f}")
    row(
        "  + Material's CSS/JS bundle, gzipped, KB",
        lambda r: f"{r['weight']['material'] / 1e3:.1f}",
    )
    row("one exercise page, first visit total, KB", lambda r: f"{r['weight']['total'] / 1e3:.1f}")
    row("search index, gzipped, KB", lambda r: f"{r['search_gz_kb']:.0f}")
    row(
        "  of which titles, summaries, purposes and steps alone, KB",
        lambda r: f"{r['search_required_gz_kb']:.0f}",
    )
    row("planner data (planner.json), KB", lambda r: f"{r['planner_kb']:.1f}")
    row("requests to other hosts", lambda r: str(len(r["external"])))

    header = ["measure", *(f"{n:,} exercises" for n in counts)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" + "---:|" * len(counts)]
    lines += ["| " + " | ".join([label, *cells]) + " |" for label, cells in rows]
    return "\n".join(lines)


def targets(results: list[dict]) -> list[tuple[str, str, str]]:
    """(PASS/MISS/N/A, target, measured) at the largest size measured."""
    by_count = {r["count"]: r for r in results}
    big = by_count[max(by_count)]
    n = f"{big['count']:,}"

    def verdict(ok: bool) -> str:
        return "PASS" if ok else "MISS"

    share = big["generator"] / big["build"]
    ratio = big["build"] / big["floor"]
    against_baseline = big["build"] / big["baseline"]
    out = [
        (
            verdict(against_baseline <= TARGET_BASELINE_RATIO),
            f"our build ≤ {TARGET_BASELINE_RATIO}× the hand-written baseline at {n}",
            f"{against_baseline:.2f}×",
        ),
        (
            verdict(share <= TARGET_GENERATOR_SHARE),
            f"generator share of the full build at {n} ≤ {TARGET_GENERATOR_SHARE:.0%}",
            f"{share:.1%}",
        ),
        (
            verdict(ratio <= TARGET_FLOOR_RATIO),
            f"our build ≤ {TARGET_FLOOR_RATIO}× the plain-Markdown floor at {n}",
            f"{ratio:.2f}×",
        ),
    ]
    if 1000 in by_count:
        search = by_count[1000]["search_gz_kb"]
        required = by_count[1000]["search_required_gz_kb"]
        out.append(
            (
                verdict(search <= TARGET_SEARCH_KB_1000),
                f"search index at 1,000 ≤ {TARGET_SEARCH_KB_1000:.0f} KB gzipped "
                "(40% of the 1.6 MB before)",
                f"{search:.0f} KB (titles, summaries, purposes and steps alone: {required:.0f} KB)",
            )
        )
        rss = by_count[1000]["rss"]
        out.append(
            (
                verdict(rss <= TARGET_RSS_MB_1000),
                f"peak memory of the build at 1,000 ≤ {TARGET_RSS_MB_1000} MB (before this work)",
                f"{rss:.0f} MB",
            )
        )
    else:
        out.append(("N/A", "search index at 1,000 ≤ 640 KB gzipped", "needs size 1000"))
        out.append(("N/A", f"peak memory at 1,000 ≤ {TARGET_RSS_MB_1000} MB", "needs size 1000"))
    if 100 in by_count and 1000 in by_count:
        growth = by_count[1000]["build"] / by_count[100]["build"]
        out.append(
            (
                verdict(growth <= TARGET_GROWTH),
                f"time(1000) / time(100) ≤ {TARGET_GROWTH:.0f}",
                f"{growth:.1f}",
            )
        )
    else:
        out.append(
            ("N/A", f"time(1000) / time(100) ≤ {TARGET_GROWTH:.0f}", "needs sizes 100 and 1000")
        )
    edit = big["serve_edit"]
    ok = edit["seconds"] is not None and edit["catalog"] and edit["search"]
    out.append(
        (
            verdict(ok and edit["seconds"] <= TARGET_SERVE_EDIT),
            f"serve: a saved edit is served within {TARGET_SERVE_EDIT:.0f} s at {n}, "
            "catalog and search too",
            "never" if edit["seconds"] is None else f"{edit['seconds']:.2f} s",
        )
    )
    rebuild_ms = big["rebuild_generator"] * 1e3
    out.append(
        (
            verdict(big["rebuild_generator"] <= TARGET_REBUILD_GENERATOR),
            f"generator share of a one-exercise rebuild at {n} ≤ {TARGET_REBUILD_GENERATOR * 1e3:.0f} ms",
            f"{rebuild_ms:.0f} ms",
        )
    )
    reused = big["parsed"] == 1 and big["render_misses"] == 1
    out.append(
        (
            verdict(reused),
            "a one-exercise rebuild parses and renders that exercise only",
            f"{big['parsed']} parsed, {big['render_misses']} rendered, {big['render_hits']} reused",
        )
    )
    external = sorted({u for r in results for u in r["external"]})
    out.append(
        (
            verdict(not external),
            "no requests to other hosts (scripts, stylesheets, fonts, images)",
            ", ".join(external) or "none",
        )
    )
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def versions() -> str:
    from importlib.metadata import version

    names = ("mkdocs", "mkdocs-material", "pyyaml", "pydantic", "jinja2")
    return ", ".join(f"{n} {version(n)}" for n in names)


def report(results: list[dict]) -> str:
    lines = [
        f"Measured {dt.date.today().isoformat()} on {machine()}; {versions()}.",
        "Build times are medians of the runs counted in the table; the machine is shared "
        "and noisy, so compare ratios within this table rather than seconds.",
        "",
        table(results),
        "",
        "| target | result | measured |",
        "|---|---|---|",
    ]
    lines += [f"| {goal} | {verdict} | {value} |" for verdict, goal, value in targets(results)]
    return "\n".join(lines)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def write_markdown(path: Path, text: str) -> None:
    """Put the report between the bench markers of ``path`` (the hand-written text
    around them is kept), or write a page holding only the report."""
    block = f"{START}\n{text}\n{END}"
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in current and END in current:
        head, rest = current.split(START, 1)
        page = head + block + rest.split(END, 1)[1]
    else:
        page = f"# Performance\n\n{block}\n"
    path.write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--repeats", type=int, default=3, help="builds per size (median)")
    parser.add_argument(
        "--budget", type=float, default=540, help="seconds; fewer repeats at the largest size"
    )
    parser.add_argument("--quick", action="store_true", help="one build per size (for tests)")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    # Once for this process and every build it starts: no Material end-of-life banner.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    if args.child:
        _child_main(json.loads(args.child))
        return 0
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    repeats = 1 if args.quick else max(1, args.repeats)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    work = Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    started = time.perf_counter()
    try:
        deadline = started + args.budget
        results = [
            measure(n, repeats, work, log, deadline if n == sizes[-1] else None) for n in sizes
        ]
    finally:
        if args.keep:
            log(f"bench: projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results)
    print(text)
    log(f"bench: done in {time.perf_counter() - started:.0f} s")
    if args.markdown:
        write_markdown(args.markdown, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
