"""Built site → PDF worksheets, and links to them on the exercise pages.

For every exercise page of a built site this writes the participant version (blank, no
facilitator notes) in two paper sizes, plus a combined one-on-one pack::

    pdf/a4/<id>.pdf          pdf/letter/<id>.pdf
    pdf/a4/one-on-one-pack.pdf   pdf/letter/one-on-one-pack.pdf

then writes the links into each page's empty ``.pb-downloads`` slot. So the links exist
exactly when the PDFs do, without JavaScript, and a build without this step has none.

The engine is Chromium driven by Playwright: it prints the very page a reader prints,
with the site's own print stylesheet (print.css). WeasyPrint renders Material pages
broken (a blank first page, missing sections) without a stylesheet of its own.
Exercise pages are found by their slot, not by their address, so this works on the
output of any engine that builds the generated Markdown.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

PAPERS = {"a4": "A4", "letter": "Letter"}  # folder under pdf/ → Chromium's paper format
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}
PDF_DIR = "pdf"
PACK = "one-on-one-pack"
PACK_TITLE = "One-on-one pack"
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
    r'<p class="pb-downloads" data-pb-pdf="(?P<id>[a-z0-9-]+)"(?P<attrs>[^>]*)>.*?</p>', re.S
)
_ATTR = re.compile(r'data-pb-(format|audiences)="([^"]*)"')
_PAGE = re.compile(rb"/Type\s*/Page(?![s\w])")


class PdfFailed(RuntimeError):
    """Chromium started but could not print a page (a time-out, a crash)."""


class PdfEngineMissing(RuntimeError):
    """Playwright or a Chromium for it is not installed."""


@dataclass(frozen=True)
class Worksheet:
    """An exercise page of the built site."""

    id: str
    html_path: Path
    format: str
    audiences: tuple[str, ...]

    @property
    def in_pack(self) -> bool:
        """The one-on-one pack: exercises for one-on-ones, and the solo or pair exercises a
        manager brings to one (team exercises are run in a team meeting instead)."""
        return self.format == "one-on-one" or (
            "manager" in self.audiences and self.format != "team"
        )


@dataclass
class PdfReport:
    """What was written: page counts by paper, exercise id (and the pack), and titles."""

    site_dir: Path
    pages: dict[str, dict[str, int]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    pack: list[str] = field(default_factory=list)

    def too_long(self, limit: int = MAX_PAGES) -> list[tuple[str, str, int]]:
        return [
            (paper, ex_id, count)
            for paper, counts in self.pages.items()
            for ex_id, count in counts.items()
            if ex_id != PACK and count > limit
        ]


def pdf_path(paper: str, name: str) -> str:
    """Where a PDF goes, relative to the site folder."""
    return f"{PDF_DIR}/{paper}/{name}.pdf"


def count_pages(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


def find_worksheets(site_dir: Path) -> list[Worksheet]:
    """Every page of the built site with a PDF slot, sorted by id."""
    found: dict[str, Worksheet] = {}
    for path in sorted(site_dir.rglob("*.html")):
        if path.is_relative_to(site_dir / PDF_DIR):
            continue
        text = path.read_text(encoding="utf-8")
        if (m := _SLOT.search(text)) is None:
            continue
        attrs = dict(_ATTR.findall(m["attrs"]))
        found.setdefault(
            m["id"],
            Worksheet(
                id=m["id"],
                html_path=path,
                format=attrs.get("format", ""),
                audiences=tuple(attrs.get("audiences", "").split()),
            ),
        )
    return [found[k] for k in sorted(found)]


def make_pdfs(
    site_dir: Path,
    *,
    papers: tuple[str, ...] = tuple(PAPERS),
    progress: Callable[[str], None] = lambda _: None,
) -> PdfReport:
    """Write the PDFs into ``site_dir/pdf/`` and link them from the exercise pages.

    Chromium is driven from a thread of its own: Playwright's synchronous API refuses
    to start in a thread that already runs an event loop (a caller's own Playwright
    session, a notebook, an async server).
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="playbook-pdf") as pool:
        return pool.submit(_make_pdfs, site_dir, papers=papers, progress=progress).result()


def _make_pdfs(
    site_dir: Path,
    *,
    papers: tuple[str, ...],
    progress: Callable[[str], None],
) -> PdfReport:
    site_dir = site_dir.resolve()
    sheets = find_worksheets(site_dir)
    report = PdfReport(site_dir)
    report.pack = [s.id for s in sheets if s.in_pack]
    if not sheets:
        shutil.rmtree(site_dir / PDF_DIR, ignore_errors=True)
        return report
    # The PDFs are written beside the current ones and replace them only when all of
    # them were made: a failure part-way leaves the pages and their links as they were.
    staging = site_dir / f".{PDF_DIR}-new"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _render_all(site_dir, staging, sheets, papers, report, progress)
        shutil.rmtree(site_dir / PDF_DIR, ignore_errors=True)
        (staging / PDF_DIR).rename(site_dir / PDF_DIR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for sheet in sheets:
        _write_links(sheet, site_dir, papers, in_pack=sheet.id in report.pack)
    return report


def _render_all(site_dir, staging, sheets, papers, report, progress) -> None:  # noqa: ANN001
    try:
        from playwright.sync_api import Error as PlaywrightError
    except ImportError:
        PlaywrightError = RuntimeError  # noqa: N806 - _chromium() reports the missing engine
    try:
        _render_with_chromium(site_dir, staging, sheets, papers, report, progress)
    except PlaywrightError as error:
        raise PdfFailed(str(error).splitlines()[0]) from None


def _render_with_chromium(site_dir, staging, sheets, papers, report, progress) -> None:  # noqa: ANN001
    with _served(site_dir) as base_url, _chromium() as browser:
        context = browser.new_context()
        # What only the interactive site needs: the search index (large), the sitemap.
        for unneeded in ("**/search/*", "**/workers/*", "**/sitemap.xml"):
            context.route(unneeded, lambda route: route.abort())
        page = context.new_page()
        page.emulate_media(media="print")
        for sheet in sheets:
            url = _url(base_url, site_dir, sheet.html_path)
            page.goto(f"{url}?print=blank", wait_until="load")
            report.titles[sheet.id] = page.evaluate(
                "() => document.querySelector('.pb-worksheet').parentElement"
                ".querySelector('h1').textContent.replace(/¶$/, '').trim()",
            )
            for paper in papers:
                report.pages.setdefault(paper, {})[sheet.id] = _print(
                    page, staging / pdf_path(paper, sheet.id), paper
                )
            progress(sheet.id)
        if report.pack:
            for paper in papers:
                _open_pack(page, base_url, site_dir, sheets, report, paper)
                report.pages[paper][PACK] = _print(page, staging / pdf_path(paper, PACK), paper)
            progress(PACK)
        context.close()


def _print(page, target: Path, paper: str) -> int:  # noqa: ANN001 - a Playwright page
    target.parent.mkdir(parents=True, exist_ok=True)
    data = page.pdf(format=PAPERS[paper], print_background=False)
    target.write_bytes(data)
    return count_pages(data)


def _open_pack(page, base_url, site_dir, sheets, report, paper) -> None:  # noqa: ANN001
    """One page holding a cover and every pack exercise's article, each on new pages.

    The exercises keep their own markup and print stylesheet, so each prints exactly as
    its own PDF does (same page count): the cover can list where each one starts."""
    members = [s for s in sheets if s.id in report.pack]
    urls = [_url(base_url, site_dir, s.html_path) for s in members]
    page.goto(f"{urls[0]}?print=blank", wait_until="load")
    start, contents = 2, []
    for sheet in members:
        contents.append((report.titles[sheet.id], start))
        start += report.pages[paper][sheet.id]
    page.evaluate(_PACK_JS, {"urls": urls[1:], "title": PACK_TITLE, "contents": contents})


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
  intro.textContent = `${contents.length} worksheets for one-on-ones, from ${
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


def _write_links(sheet: Worksheet, site_dir: Path, papers: tuple[str, ...], *, in_pack: bool):
    here = sheet.html_path.parent

    def link(paper: str, name: str, text: str) -> str:
        href = Path(os.path.relpath(site_dir / pdf_path(paper, name), here)).as_posix()
        return f'<a href="{html.escape(href)}" type="application/pdf">{text}</a>'

    parts = [link(p, sheet.id, PAPER_LABELS[p]) for p in papers]
    text = "Worksheet as PDF: " + " · ".join(parts)
    if in_pack:
        pack = " · ".join(link(p, PACK, PAPER_LABELS[p]) for p in papers)
        text += f"; in the {PACK_TITLE.lower()}: {pack}"
    source = sheet.html_path.read_text(encoding="utf-8")
    slot = (
        f'<p class="pb-downloads" data-pb-pdf="{sheet.id}" data-pb-format="{sheet.format}" '
        f'data-pb-audiences="{" ".join(sheet.audiences)}">{text}</p>'
    )
    sheet.html_path.write_text(_SLOT.sub(lambda _: slot, source, count=1), encoding="utf-8")


def _url(base_url: str, site_dir: Path, html_path: Path) -> str:
    rel = html_path.relative_to(site_dir).as_posix()
    return f"{base_url}/{rel[: -len('index.html')] if rel.endswith('index.html') else rel}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
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
