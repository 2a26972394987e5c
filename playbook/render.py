"""The Jinja2 environment that turns exercises into Markdown.

Templates come from the site's own ``templates/`` folder first, then from the
package's defaults, so a site can override any one template by name.
Autoescaping is on: a value lands in HTML escaped unless a filter says otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .markup import to_html, to_inline_html
from .schema import AUDIENCE_LABELS, DIFFICULTY_LABELS, FORMAT_LABELS

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#!|~])")


def line(text: str) -> Markup:
    """A plain-text line placed in Markdown: shown exactly as written."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


@jinja2.pass_environment
def prose(env: jinja2.Environment, text: str) -> Markup:
    """Markdown text → a block of sanitized HTML (see ``markup``), which the page's
    Markdown engine leaves as it is."""
    return to_html(text, env.globals.get("use_directory_urls", True))


@jinja2.pass_environment
def prose_inline(env: jinja2.Environment, text: str) -> Markup:
    """Like ``prose``, for text that continues a sentence (no paragraph around it)."""
    return to_inline_html(text, env.globals.get("use_directory_urls", True))


def slug_title(slug: str) -> str:
    """``customer-meetings`` → ``Customer meetings``."""
    words = slug.replace("-", " ")
    return words[:1].upper() + words[1:]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def make_environment(site_templates: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if site_templates is not None and site_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(site_templates))
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
    env.filters.update(line=line, prose=prose, prose_inline=prose_inline, slug_title=slug_title, plural=plural)
    env.globals.update(
        FORMAT_LABELS=FORMAT_LABELS,
        AUDIENCE_LABELS=AUDIENCE_LABELS,
        DIFFICULTY_LABELS=DIFFICULTY_LABELS,
    )
    return env
