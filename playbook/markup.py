"""Exercise Markdown → safe HTML fragments.

Every Markdown field of an exercise is converted here, once per distinct text, and the
result goes through an allow-list sanitizer (nh3, the Python binding of the ammonia
crate) before it is placed in a page. The page's own Markdown engine then sees a
finished block of HTML and leaves it alone.

The schema's input checks (raw HTML, script links, attribute braces) are there to give
contributors a precise message; this module is the defence: whatever the checks miss,
nothing but the tags, attributes and address schemes below reaches the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .schema import EXERCISE_LINK

# What Markdown text may produce: paragraphs, emphasis, lists, quotes, code, tables,
# and links. No images, no forms, no media, no style, nothing with an event.
ALLOWED_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "em",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


LinkResolver = Callable[[str, str], str]


def exercise_url(use_directory_urls: bool) -> LinkResolver:
    """How one exercise page links to another: ``(id, "#anchor") → address``."""
    if use_directory_urls:
        return lambda target, anchor: f"../{target}/{anchor}"
    return lambda target, anchor: f"{target}.html{anchor}"


class _ExerciseLinks(Treeprocessor):
    def __init__(self, md: markdown.Markdown, resolve: LinkResolver) -> None:
        super().__init__(md)
        self.resolve = resolve

    def run(self, root: Element) -> None:
        for link in root.iter("a"):
            if match := EXERCISE_LINK.match(link.get("href", "")):
                link.set("href", self.resolve(match.group(1), match.group(2) or ""))


def _converter(resolve: LinkResolver) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["tables"], output_format="html")
    md.treeprocessors.register(_ExerciseLinks(md, resolve), "playbook-links", 1)
    return md


@lru_cache(maxsize=4)
def _converters(use_directory_urls: bool) -> markdown.Markdown:
    return _converter(exercise_url(use_directory_urls))


def sanitize(html: str) -> str:
    """Keep only the allowed tags, attributes and address schemes."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Prose that Markdown would only wrap in paragraphs and bold: lines that start with a
# letter (or bold), made of words, plain punctuation and **bold**, no trailing space;
# paragraphs apart by one blank line. No character here starts a list, a heading, a
# link, code, an entity or a tag, so Markdown and the sanitizer would change nothing
# else (tests/test_markup.py compares the two on every text of the library and the
# benchmark, and on edge cases).
_CH = "A-Za-z0-9 ,.;:'\"()?!\u2013\u2014\u2018\u2019\u201c\u201d/%+=\\-"
_BOLD = rf"\*\*[A-Za-z0-9][{_CH}]*?[A-Za-z0-9.,;:?!)'\"\u2019\u201d]\*\*"
_LINE = rf"(?:[A-Za-z]|{_BOLD})(?:[{_CH}]|{_BOLD})*(?<! )"
_PLAIN = re.compile(rf"{_LINE}(?:\n{_LINE})*(?:\n\n{_LINE}(?:\n{_LINE})*)*\Z")
_BOLD_PAIR = re.compile(r"\*\*(.+?)\*\*")


@lru_cache(maxsize=65536)
def to_html(text: str, use_directory_urls: bool = True) -> Markup:
    """Markdown text → sanitized HTML (cached by text: unchanged fields are converted
    once per process, which is what keeps serve rebuilds cheap). A plain one-line text
    is a paragraph as it stands, without running Markdown and the sanitizer."""
    prose = text.rstrip("\n")  # YAML's block text ends with a line break
    if _PLAIN.match(prose):
        paragraphs = (_BOLD_PAIR.sub(r"<strong>\1</strong>", p) for p in prose.split("\n\n"))
        return Markup("\n".join(f"<p>{p}</p>" for p in paragraphs))
    return markdown_to_html(text, use_directory_urls)


def markdown_to_html(text: str, use_directory_urls: bool = True) -> Markup:
    """Markdown text → sanitized HTML, always through Markdown and the sanitizer."""
    md = _converters(use_directory_urls)
    try:
        return Markup(sanitize(md.convert(text)))
    finally:
        md.reset()


_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def to_inline_html(text: str, use_directory_urls: bool = True) -> Markup:
    """Like ``to_html``, without the paragraph around a single paragraph (for text that
    continues a sentence of the template)."""
    html = to_html(text, use_directory_urls)
    match = _ONE_PARAGRAPH.match(html)
    if match and "<p>" not in match.group(1):
        return Markup(match.group(1))
    return html
