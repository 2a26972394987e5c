"""The output defence: every Markdown field becomes HTML through an allow-list
sanitizer, whatever the input checks let through."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest

from playbook import markup

# Known ways to run script from Markdown or HTML text (each must come out inert).
PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<details/open/ontoggle=alert(document.domain)//@x>",
    "<iframe/src=javascript:alert(1)//@x>",
    "<video/src/onerror=alert(1)//@x>",
    "<style/onload=alert(1)//@x>",
    "<textarea/autofocus/onfocus=alert(1)//@x>",
    "<svg/onload=alert(1)>",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "[n]:\n    javascript:alert(1)\n\n[click][n] and ![pic][n]",
    'A paragraph\n{: onclick="alert(1)" }',
    "<!--><script>alert(1)</script>-->",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<object data="javascript:alert(1)"></object><embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<div markdown="1" onclick="alert(1)">*x*</div>',
    '<https://example.org/" onmouseover="alert(1)>',
    '[x](https://example.org "t\\" onclick=\\"alert(1)")',
    "<input autofocus onfocus=alert(1)>",
    '<a href="  javascript:alert(1)">x</a>',
    "<scr<script>ipt>alert(1)</script>",
]

SAFE_SCHEMES = {"http", "https", "mailto"}


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def elements(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = Elements()
    parser.feed(fragment)
    parser.close()
    return parser.found


def unsafe_parts(found, allowed_tags) -> list[str]:
    """Tags outside the allow-list, event handlers and script-capable addresses."""
    bad = []
    for tag, attrs in found:
        if tag not in allowed_tags:
            bad.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                bad.append(f"{tag}[{name}]")
            if name in ("href", "src", "action", "formaction", "data", "xlink:href") and value:
                cleaned = re.sub(r"[\s\x00-\x1f]+", "", html.unescape(value)).lower()
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", cleaned)
                if scheme and scheme.group(1) not in SAFE_SCHEMES:
                    bad.append(f"{tag}[{name}={value}]")
    return bad


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_comes_out_inert(payload):
    out = markup.to_html(payload)
    assert unsafe_parts(elements(out), markup.ALLOWED_TAGS) == [], out


def test_the_checker_sees_what_it_must():
    """Without the sanitizer, the same payloads do produce live markup (so the test
    above can fail)."""
    import markdown

    raw = [markdown.markdown(p) for p in PAYLOADS]
    caught = [
        p
        for p, out in zip(PAYLOADS, raw, strict=True)
        if unsafe_parts(elements(out), markup.ALLOWED_TAGS)
    ]
    assert len(caught) >= len(PAYLOADS) * 2 // 3, caught


def test_ordinary_markdown_keeps_its_meaning():
    out = markup.to_html(
        "Some *emphasis*, **strength**, `code` and a [link](https://example.org/a?b=1).\n\n"
        "- one\n- two\n\nThen:\n\n1. first\n2. second\n\n> a quote\n\n"
        "Write to <someone@example.org>; a < b & c > d."
    )
    for piece in (
        "<em>emphasis</em>",
        "<strong>strength</strong>",
        "<code>code</code>",
        '<a href="https://example.org/a?b=1" rel="noopener noreferrer">link</a>',
        "<ul>\n<li>one</li>",
        "<ol>\n<li>first</li>",
        "<blockquote>",
        "a &lt; b &amp; c &gt; d",
    ):
        assert piece in out, (piece, out)
    assert 'href="mailto:someone@example.org"' in out


@pytest.mark.parametrize(
    ("directory_urls", "expected"),
    [(True, '"../listen-to-the-end/#step-2"'), (False, '"listen-to-the-end.html#step-2"')],
)
def test_links_to_other_exercises_point_at_their_pages(directory_urls, expected):
    out = markup.to_html("See [listening](listen-to-the-end.md#step-2).", directory_urls)
    assert expected in out


def test_inline_form_drops_a_single_paragraph_only():
    assert markup.to_inline_html("After *Someone* (1992).") == "After <em>Someone</em> (1992)."
    assert markup.to_inline_html("One.\n\nTwo.").count("<p>") == 2
