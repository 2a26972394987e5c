"""The Jinja2 environment that turns exercises into Markdown.

Templates come from the site's own ``templates/`` folder first, then from the
package's defaults, so a site can override any one template by name.
Autoescaping is on: a value lands in HTML escaped unless a filter says otherwise.
"""

from __future__ import annotations

import contextlib
import re
import secrets
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Settings
from .markup import to_html, to_inline_html

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#!|~])")


def line(text: str) -> Markup:
    """A plain-text line placed in Markdown: shown exactly as written. Quotes stay as
    they are (this is text, never an attribute): escaped, the table of contents would
    show their entities."""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(_MD_SPECIAL.sub(r"\\\1", escaped))


# Blocks of finished HTML in a page kept out of the page's Markdown engine. Markdown
# only ever sees a one-word paragraph in their place (see ``Blocks``).
_TOKEN_NONCE = secrets.token_hex(4)
TOKEN = re.compile(rf"<p>((?:pbk{_TOKEN_NONCE}x\d+\s*)+)</p>")
_TOKEN_NUMBER = re.compile(rf"(?<!<!--)pbk{_TOKEN_NONCE}x(\d+)")
LATE = re.compile(rf"<!--pbk{_TOKEN_NONCE}x(\d+)-->")


@dataclass
class Blocks:
    """The finished HTML blocks of one page, each standing in the page's Markdown as a
    one-word paragraph (a token) until ``restore`` puts it back into the converted page.

    Without them, Markdown would read every block again with its HTML parser (worksheets,
    checklists, sanitized prose: most of an exercise page) only to pass it through
    unchanged. ``late`` blocks are the ones kept out of search (worksheet, checklist,
    run-sheet, cards): ``restore`` leaves them as comments, and ``restore_late`` puts them
    in the finished page, so the search indexer never reads them either.
    The page is the same HTML either way; ``playbook generate`` writes the blocks inline.
    """

    html: list[str] = field(default_factory=list)
    late: list[bool] = field(default_factory=list)
    _ids: tuple[int, set[str]] | None = field(default=None, repr=False, compare=False)

    def add(self, html: str, late: bool = False) -> Markup:
        html = str(html)
        if _TOKEN_NONCE in html:  # a block inside a block: put the inner one back now
            html = self._inline(html)
        self.html.append(html)
        self.late.append(late)
        return Markup(f"pbk{_TOKEN_NONCE}x{len(self.html) - 1}")

    def restore(self, content: str) -> str:
        """Converted page → the page with its blocks (late ones as comments)."""

        def put(match: re.Match) -> str:
            parts = []
            for number in _TOKEN_NUMBER.findall(match.group(1)):
                n = int(number)
                parts.append(f"<!--pbk{_TOKEN_NONCE}x{n}-->" if self.late[n] else self.html[n])
            return "\n".join(parts)

        content = TOKEN.sub(put, content)
        # A token Markdown did not leave as a paragraph of its own (a site's template
        # that puts ``|prose`` inside its own raw HTML, say) is put back where it is.
        return self._inline(content) if _TOKEN_NONCE in content else content

    def _inline(self, text: str) -> str:
        return _TOKEN_NUMBER.sub(lambda m: self.html[int(m.group(1))], text)

    def restore_late(self, output: str) -> tuple[str, int]:
        """The finished page with the late blocks in it, and how many of them were
        missing (taken out with the comments standing for them, by a plugin that strips
        comments before this one runs)."""
        found: set[int] = set()

        def put(match: re.Match) -> str:
            found.add(int(match.group(1)))
            return self.html[int(match.group(1))]

        output = LATE.sub(put, output)
        return output, sum(self.late) - len(found)

    def ids(self) -> set[str]:
        """The ids the blocks give elements (links to them are checked like any other);
        found once, as a page's blocks do not change after it is rendered."""
        if self._ids is None or self._ids[0] != len(self.html):
            self._ids = (len(self.html), {i for html in self.html for i in _ID.findall(html)})
        return self._ids[1]


_ID = re.compile(r'\bid="([^"]+)"')


def _blocks(context) -> Blocks | None:
    blocks = context.get("blocks")
    return blocks if isinstance(blocks, Blocks) else None


@jinja2.pass_context
def block(context, html: str, late: bool = False) -> Markup:
    """``{% filter block %}<div>…</div>{% endfilter %}``: finished HTML, written as is by
    ``playbook generate`` and kept out of Markdown by the plugin (``Blocks``)."""
    blocks = _blocks(context)
    return blocks.add(html, late) if blocks is not None else Markup(html)


@jinja2.pass_context
def opening(context, tag: str) -> Markup:
    """The opening tag of a wrapper around Markdown (``<div class="…">``): with the
    ``markdown`` attribute for Markdown's md_in_html, or kept out of Markdown (the
    plugin), so the Markdown inside is read as part of the page."""
    blocks = _blocks(context)
    if blocks is not None:
        return blocks.add(tag)
    return Markup(re.sub(r">$", " markdown>", str(tag).rstrip(), count=1))


@jinja2.pass_context
def closing(context, tag: str) -> Markup:
    blocks = _blocks(context)
    return blocks.add(tag) if blocks is not None else Markup(tag)


@jinja2.pass_context
def prose(context, text: str) -> Markup:
    """Markdown text → a block of sanitized HTML (see ``markup``), which the page's
    Markdown engine leaves as it is."""
    html = to_html(text, context.environment.globals.get("use_directory_urls", True))
    blocks = _blocks(context)
    return blocks.add(html) if blocks is not None else html


@jinja2.pass_environment
def prose_inline(env: jinja2.Environment, text: str) -> Markup:
    """Like ``prose``, for text that continues a sentence (no paragraph around it)."""
    return to_inline_html(text, env.globals.get("use_directory_urls", True))


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``3 exercises``; ``many`` is the plural when it is not ``noun`` + s."""
    return f"{count} {noun}" if count == 1 else f"{count} {many or noun + 's'}"


def make_environment(settings: Settings, site_templates: Path | None = None) -> jinja2.Environment:
    """The environment pages are rendered in; ``playbook`` (the configuration's
    Settings) gives templates the playbook's labels and words."""
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(_SiteTemplates(site_templates))
    loaders.append(jinja2.PackageLoader("playbook", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        # Markdown/HTML templates escape by default; YAML scaffolds are not HTML.
        autoescape=lambda name: not (name or "").endswith(".yaml.j2"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Changed templates make a new environment (the plugin's `_templates_stamp`), so
        # Jinja2 need not look at a template's file each time it is included.
        auto_reload=False,
    )
    env.filters.update(
        line=line,
        prose=prose,
        prose_inline=prose_inline,
        block=block,
        opening=opening,
        closing=closing,
        theme_label=settings.theme_label,
        plural=plural,
        clock=clock,
    )
    env.globals.update(playbook=settings, config=settings.config, words=settings.config.words)
    return env


def clock(minutes: int) -> str:
    """Minutes from the start as ``h:mm`` (``75`` → ``1:15``)."""
    return f"{minutes // 60}:{minutes % 60:02d}"


class _SiteTemplates(jinja2.FileSystemLoader):
    """The site's templates folder; a file that is not UTF-8 is a template error with
    its line, like a syntax error, instead of a bare UnicodeDecodeError."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as error:
            for folder in self.searchpath:
                path = Path(folder, *jinja2.loaders.split_template_path(template))
                if path.is_file():
                    break
            data = path.read_bytes()
            raise jinja2.TemplateSyntaxError(
                f"not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read)",
                data[: error.start].count(b"\n") + 1,
                template,
                str(path),
            ) from None


_TEMPLATE_HINTS = {
    jinja2.TemplateSyntaxError: "check the {{ }} and {% %} tags on that line "
    "(one left open, or a block without its end tag?)",
    jinja2.UndefinedError: "the template uses a name it is not given: check its spelling "
    "against the package's template of the same name in playbook/templates/",
}


def describe_template_error(error: jinja2.TemplateError, root: Path) -> str:
    """A template error as ``templates/x.j2:LINE: message`` and a hint; paths relative
    to ``root`` (the project folder)."""
    filename, lineno = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename is None:  # raised while rendering: the template's frame says where
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")
        ]
        if frames:
            filename, lineno = frames[-1].filename, frames[-1].lineno
    where = filename or getattr(error, "name", None) or "a template"
    if filename and Path(filename).is_absolute():
        with contextlib.suppress(ValueError):
            where = Path(filename).relative_to(root.resolve()).as_posix()
    if lineno:
        where = f"{where}:{lineno}"
    message = (error.message or str(error)).splitlines()[0]
    hint = next((h for kind, h in _TEMPLATE_HINTS.items() if isinstance(error, kind)), None)
    hint = hint or "fix the template, or remove it to use the package's default"
    return f"{where}: {message}\n    hint: {hint}"
