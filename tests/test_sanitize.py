"""The output defence: every Markdown field becomes HTML through an allow-list
sanitizer, whatever the input checks let through."""

from __future__ import annotations

import pytest
from payloads import PAYLOADS, elements, unsafe_parts

from playbook import markup


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
