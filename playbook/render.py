"""The Jinja2 environment that turns exercises into Markdown.

Templates come from the site's own ``templates/`` folder first, then from the
package's defaults, so a site can override any one template by name.
Autoescaping is on: a value lands in HTML escaped unless a filter says otherwise.
"""

from __future__ import annotations

import contextlib
import re
import traceback
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


@jinja2.pass_environment
def prose(env: jinja2.Environment, text: str) -> Markup:
    """Markdown text → a block of sanitized HTML (see ``markup``), which the page's
    Markdown engine leaves as it is."""
    return to_html(text, env.globals.get("use_directory_urls", True))


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
    )
    env.filters.update(
        line=line,
        prose=prose,
        prose_inline=prose_inline,
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
