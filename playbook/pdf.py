"""Built site → PDF worksheets, and links to them on the exercise and pathway pages.

For every exercise page of a built site this writes the participant version (blank, no
facilitator notes) in two paper sizes, plus one pack per pathway (its exercises in
order, behind a cover page)::

    pdf/a4/<id>.pdf                 pdf/letter/<id>.pdf
    pdf/a4/pathway-<id>.pdf         pdf/letter/pathway-<id>.pdf

then writes the links into each page's empty ``.pb-downloads`` slot. So the links exist
exactly when the PDFs do, without JavaScript, and a build without this step has none.

What to print comes from the manifest the generator writes (``playbook-manifest.json``:
each exercise's id, title and address, and each pathway's exercises), not from the
built HTML, so this works on the output of any engine that builds the generated pages.

The engine is Chromium driven by Playwright: it prints the very page a reader prints,
with the site's own print stylesheet (print.css). WeasyPrint renders Material pages
broken (a blank first page, missing sections) without a stylesheet of its own.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PAPERS = {"a4": "A4", "letter": "Letter"}  # folder under pdf/ → Chromium's paper format
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}
PDF_DIR = "pdf"
MANIFEST = "playbook-manifest.json"
MAX_PAGES = 2

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Only the local copy of the site is loaded: any other host does not resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

_SLOT = re.compile(
    r'<p class="pb-downloads" data-pb-(?P<kind>pdf|pack)="(?P<id>[a-z0-9-]+)"[^>]*>.*?</p>', re.S
)
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


class PdfFailed(RuntimeError):
    """Chromium started but could not print a page (a time-out, a crash)."""


class PdfEngineMissing(RuntimeError):
    """Playwright or a Chromium for it is not installed."""


@dataclass(frozen=True)
class Worksheet:
    """An exercise page of the built site."""

    id: str
    title: str
    html_path: Path


@dataclass(frozen=True)
class Pack:
    """A pathway: its page, and the exercises it prints behind a cover."""

    id: str
    title: str
    html_path: Path
    exercises: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"pathway-{self.id}"


@dataclass
class PdfReport:
    """What was written: page counts by paper and by name (exercise id or pack name)."""

    pages: dict[str, dict[str, int]] = field(default_factory=dict)
    packs: list[Pack] = field(default_factory=list)

    def too_long(self, limit: int = MAX_PAGES) -> list[tuple[str, str, int]]:
        packs = {p.name for p in self.packs}
        return [
            (paper, name, count)
            for paper, counts in self.pages.items()
            for name, count in counts.items()
            if name not in packs and count > limit
        ]


def pdf_path(paper: str, name: str) -> str:
    """Where a PDF goes, relative to the site folder."""
    return f"{PDF_DIR}/{paper}/{name}.pdf"


def count_pages(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def _page_file(site_dir: Path, url: str) -> Path:
    """The HTML file of a page's address (``exercises/x/`` or ``exercises/x.html``)."""
    return site_dir / (url + "index.html" if url.endswith("/") or not url else url)


def read_manifest(site_dir: Path) -> tuple[list[Worksheet], list[Pack]]:
    """The exercise pages and pathways the generator listed, those the site has."""
    try:
        data = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PdfFailed(
            f"{site_dir} has no {MANIFEST}: build the site with the playbook plugin "
            "(or from 'playbook generate' output) first"
        ) from None
    sheets = [
        Worksheet(e["id"], e["title"], _page_file(site_dir, e["url"])) for e in data["exercises"]
    ]
    sheets = sorted((s for s in sheets if s.html_path.is_file()), key=lambda s: s.id)
    known = {s.id for s in sheets}
    packs = [
        Pack(
            p["id"],
            p["title"],
            _page_file(site_dir, p["url"]),
            tuple(e for e in p["exercises"] if e in known),
        )
        for p in data.get("packs", [])
    ]
    return sheets, [p for p in packs if p.exercises]


def make_pdfs(
    site_dir: Path,
    *,
    papers: tuple[str, ...] = tuple(PAPERS),
) -> PdfReport:
    """Write the PDFs into ``site_dir/pdf/`` and link them from the exercise pages.

    Chromium is driven from a thread of its own: Playwright's synchronous API refuses
    to start in a thread that already runs an event loop (a caller's own Playwright
    session, a notebook, an async server).
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="playbook-pdf") as pool:
        return pool.submit(_make_pdfs, site_dir, papers=papers).result()


def _make_pdfs(site_dir: Path, *, papers: tuple[str, ...]) -> PdfReport:
    site_dir = site_dir.resolve()
    sheets, packs = read_manifest(site_dir)
    report = PdfReport(packs=packs)
    if not sheets:
        shutil.rmtree(site_dir / PDF_DIR, ignore_errors=True)
        return report
    # The PDFs are written beside the current ones and replace them only when all of
    # them were made: a failure part-way leaves the pages and their links as they were.
    staging = site_dir / f".{PDF_DIR}-new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _render_all(site_dir, staging, sheets, papers, report)
        shutil.rmtree(site_dir / PDF_DIR, ignore_errors=True)
        (staging / PDF_DIR).rename(site_dir / PDF_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    in_packs: dict[str, list[Pack]] = {}
    for pack in packs:
        for exercise_id in pack.exercises:
            in_packs.setdefault(exercise_id, []).append(pack)
        _write_links(pack.html_path, site_dir, papers, pack.name, "Pathway pack as PDF", [])
    for sheet in sheets:
        _write_links(
            sheet.html_path,
            site_dir,
            papers,
            sheet.id,
            "Worksheet as PDF",
            in_packs.get(sheet.id, []),
        )
    return report


def _render_all(site_dir, staging, sheets, papers, report) -> None:
    try:
        from playwright.sync_api import Error as PlaywrightError
    except ImportError:
        PlaywrightError = RuntimeError  # _chromium() reports the missing engine
    try:
        _render_with_chromium(site_dir, staging, sheets, papers, report)
    except PlaywrightError as error:
        raise PdfFailed(str(error).splitlines()[0]) from None


def _render_with_chromium(site_dir, staging, sheets, papers, report) -> None:
    with _served(site_dir) as base_url, _chromium() as browser:
        context = browser.new_context()
        # What only the interactive site needs: the search index (large), the sitemap.
        for unneeded in ("**/search/*", "**/workers/*", "**/sitemap.xml"):
            context.route(unneeded, lambda route: route.abort())
        page = context.new_page()
        page.emulate_media(media="print")
        for sheet in sheets:
            page.goto(f"{_url(base_url, site_dir, sheet.html_path)}?print=blank", wait_until="load")
            for paper in papers:
                report.pages.setdefault(paper, {})[sheet.id] = _print(
                    page, staging / pdf_path(paper, sheet.id), paper
                )
        by_id = {s.id: s for s in sheets}
        for pack in report.packs:
            for paper in papers:
                _open_pack(page, base_url, site_dir, pack, by_id, report, paper)
                report.pages[paper][pack.name] = _print(
                    page, staging / pdf_path(paper, pack.name), paper
                )
        context.close()


def _print(page, target: Path, paper: str) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    data = page.pdf(format=PAPERS[paper], print_background=False)
    target.write_bytes(data)
    return count_pages(data)


def _open_pack(page, base_url, site_dir, pack, by_id, report, paper) -> None:
    """One page holding a cover and every pack exercise's article, each on new pages.

    The exercises keep their own markup and print stylesheet, so each prints exactly as
    its own PDF does (same page count): the cover can list where each one starts."""
    members = [by_id[e] for e in pack.exercises]
    urls = [_url(base_url, site_dir, s.html_path) for s in members]
    page.goto(f"{urls[0]}?print=blank", wait_until="load")
    start, contents = 2, []
    for sheet in members:
        contents.append((sheet.title, start))
        start += report.pages[paper][sheet.id]
    page.evaluate(_PACK_JS, {"urls": urls[1:], "title": pack.title, "contents": contents})


_PACK_JS = """
async ({ urls, title, contents }) => {
  const first = document.querySelector(".pb-worksheet").parentElement;
  let last = first;
  for (const url of urls) {
    const doc = new DOMParser().parseFromString(await (await fetch(url)).text(), "text/html");
    const article = document.importNode(doc.querySelector(".pb-worksheet").parentElement, true);
    const address = article.querySelector(".pb-print-url");
    if (address && !address.textContent) address.textContent = new URL(url, location).href;
    article.style.breakBefore = "page";
    last.after(article);
    last = article;
  }
  const cover = document.createElement("section");
  cover.className = "md-typeset pb-pack-cover";
  cover.style.breakAfter = "page";
  const h1 = document.createElement("h1");
  h1.textContent = title;
  const intro = document.createElement("p");
  intro.textContent = `${contents.length} worksheets of this pathway, in its order, from ${
    document.title.split(" - ").pop()}. Each starts on a new page.`;
  const list = document.createElement("ol");
  for (const [name, start] of contents) {
    const item = document.createElement("li");
    item.textContent = `${name}, page ${start}`;
    list.append(item);
  }
  cover.append(h1, intro, list);
  first.before(cover);
}
"""


def _write_links(
    html_path: Path,
    site_dir: Path,
    papers: tuple[str, ...],
    name: str,
    label: str,
    packs: list[Pack],
) -> None:
    """Fill the page's empty PDF slot with its links (and the packs it is in)."""
    here = html_path.parent

    def link(paper: str, target: str, text: str) -> str:
        href = Path(os.path.relpath(site_dir / pdf_path(paper, target), here)).as_posix()
        return f'<a href="{html.escape(href)}" type="application/pdf">{html.escape(text)}</a>'

    text = f"{label}: " + " · ".join(link(p, name, PAPER_LABELS[p]) for p in papers)
    for pack in packs:
        both = " · ".join(link(p, pack.name, PAPER_LABELS[p]) for p in papers)
        text += f"; in the pack of “{html.escape(pack.title)}”: {both}"
    source = html_path.read_text(encoding="utf-8")

    def fill(match: re.Match) -> str:
        opening = match.group(0)[: match.group(0).index(">")].replace(" hidden", "")
        return f"{opening}>{text}</p>"

    html_path.write_text(_SLOT.sub(fill, source, count=1), encoding="utf-8")


def _url(base_url: str, site_dir: Path, html_path: Path) -> str:
    rel = html_path.relative_to(site_dir).as_posix()
    return f"{base_url}/{rel[: -len('index.html')] if rel.endswith('index.html') else rel}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def _served(site_dir: Path) -> Iterator[str]:
    """The site on a free localhost port, as a reader's browser would load it."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def find_chromium() -> str | None:
    """A Chromium to drive: $PLAYBOOK_CHROMIUM, else one on PATH (Debian's `chromium`).
    None means Playwright's own browser, if one was installed with `playwright install`."""
    if explicit := os.environ.get("PLAYBOOK_CHROMIUM"):
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    return None


@contextmanager
def _chromium():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PdfEngineMissing(
            "PDFs need Playwright and Chromium: pip install playwright, and install "
            "Chromium (Debian: apt-get install chromium)"
        ) from None
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=find_chromium(), args=CHROMIUM_ARGS
            )
        except Error as error:
            raise PdfEngineMissing(
                "PDFs need Chromium and none could be started (Debian: apt-get install "
                f"chromium, or set PLAYBOOK_CHROMIUM): {str(error).splitlines()[0]}"
            ) from None
        try:
            yield browser
        finally:
            browser.close()
