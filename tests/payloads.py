"""Known script payloads and a check that HTML holds nothing that can run script,
shared by the sanitizer tests and the whole-site injection tests."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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
