"""Rendering: every field type, escaping, strict templates and site overrides."""

from __future__ import annotations

import re
import subprocess
import sys

import jinja2
import pytest

from playbook.generate import RenderCache, generate_pages
from playbook.render import line, make_environment
from playbook.schema import Exercise

BASE = {
    "id": "sample",
    "title": "A sample exercise",
    "summary": "A short exercise.",
    "updated": __import__("datetime").date(2026, 11, 22),
    "idea": {"name": "Listen to the end", "credit": "After *a blog post*."},
    "purpose": "Practise **staying** a little longer.",
    "audiences": ["seller", "manager"],
    "format": "pair",
    "minutes": 20,
    "difficulty": "introductory",
    "themes": ["listening", "customer-meetings"],
    "steps": [
        {
            "title": "Listen",
            "minutes": 10,
            "instructions": "One talks.",
            "prompts": ["What did you hear?"],
        },
        {"title": "Swap", "minutes": 10, "instructions": "Swap roles."},
    ],
    "worksheet": {
        "fields": [
            {"id": "goal", "type": "short", "label": "Your goal", "help": "One line."},
            {"id": "notes", "type": "long", "lines": 6, "label": "Notes"},
            {"id": "questions", "type": "list", "items": 4, "label": "Questions"},
            {
                "id": "log",
                "type": "table",
                "columns": ["Date", "Who", "Why"],
                "rows": 3,
                "label": "Log",
            },
            {
                "id": "focus",
                "type": "rating",
                "label": "Focus",
                "low": "Distracted",
                "high": "Present",
            },
        ]
    },
    "checklist": {
        "items": [
            {"id": "waited", "text": "I waited.", "points": 2},
            {"id": "depth", "text": "How deep did it go?", "points": 3, "kind": "scale"},
        ],
        "bands": [
            {"min": 0, "max": 2, "label": "Start", "advice": "Try again."},
            {"min": 3, "max": 5, "label": "Good", "advice": "Try with a customer."},
        ],
    },
    "debrief": ["What surprised you?"],
    "facilitator_notes": "Watch the *pause*.",
    "variations": [{"name": "Remote", "description": "Cameras on."}],
    "related": ["other"],
}


def exercise(**changes) -> Exercise:
    return Exercise.model_validate({**BASE, **changes})


def other() -> Exercise:
    return exercise(id="other", title="The other one", related=[])


def render(ex: Exercise, env=None) -> str:
    pages = generate_pages([ex, other()], env or make_environment())
    return next(p.content for p in pages if p.exercise_id == ex.id)


@pytest.fixture(scope="module")
def page() -> str:
    return render(exercise())


def test_front_matter_carries_title_description_and_tags(page):
    front = page.split("---\n")[1]
    assert "title: A sample exercise" in front
    assert "description: A short exercise." in front
    assert "- Listening\n- Customer meetings" in front


def test_overview_card(page):
    assert "**Time:** 20 minutes" in page
    assert "**People:** 2 (pair)" in page
    assert "**Difficulty:** Introductory" in page
    assert "[Sellers](../audiences/seller.md), [Managers](../audiences/manager.md)" in page
    assert "[Customer meetings](../themes/customer-meetings.md)" in page


def test_steps_are_numbered_with_minutes_and_prompts(page):
    assert "### 1. Listen (10 min) { #step-1 }" in page
    assert "### 2. Swap (10 min) { #step-2 }" in page
    assert "- What did you hear?" in page


def test_short_answer(page):
    assert '<label for="pbf-goal">Your goal</label>' in page
    assert (
        '<input type="text" id="pbf-goal" name="goal" data-pb-key="goal" aria-describedby="pbf-goal-help">'
        in page
    )


def test_long_answer_has_its_lines(page):
    assert re.search(r'<textarea id="pbf-notes"[^>]* rows="6" data-pb-lines="6"', page)


def test_list_has_one_input_per_item(page):
    keys = re.findall(r'data-pb-key="(questions\.\d+)"', page)
    assert keys == ["questions.1", "questions.2", "questions.3", "questions.4"]


def test_table_has_named_columns_and_empty_rows(page):
    assert '<th scope="col">Date</th><th scope="col">Who</th><th scope="col">Why</th>' in page
    keys = re.findall(r'data-pb-key="(log\.r\d+\.c\d+)"', page)
    assert len(keys) == 9 and keys[0] == "log.r1.c1" and keys[-1] == "log.r3.c3"


def test_rating_offers_one_to_five_with_anchors(page):
    values = re.findall(r'name="focus" value="(\d)"', page)
    assert values == ["1", "2", "3", "4", "5"]
    assert "1 = Distracted" in page and "5 = Present" in page


def test_checklist_ticks_scales_and_bands(page):
    assert 'data-pb-max="5"' in page
    assert re.search(r'<input type="checkbox" name="check.waited" value="2"', page)
    assert re.findall(r'name="check.depth" value="(\d)"', page) == ["0", "1", "2", "3"]
    assert (
        '<tr data-pb-min="0" data-pb-max="2"><td>0–2</td><th scope="row">Start</th><td>Try again.</td></tr>'
        in page
    )
    assert "the most you can score is 5" in page


def test_debrief_variations_notes_and_related(page):
    assert "1. What surprised you?" in page
    assert "### Remote\n\n<p>Cameras on.</p>" in page
    assert '<div class="pb-facilitator">\n<p>Watch the <em>pause</em>.' in page
    assert "- [The other one](other.md)" in page


def test_plain_text_is_shown_as_written_not_as_markup():
    page = render(exercise(title="Less *is* < more & [better]", summary="A > B & C"))
    assert "# Less \\*is\\* &lt; more &amp; \\[better\\]" in page
    assert '<p class="pb-summary">A &gt; B &amp; C</p>' in page


def test_labels_in_html_are_escaped():
    fields = [{"id": "x", "type": "short", "label": 'Say "hi" & a < b'}]
    page = render(exercise(worksheet={"fields": fields}))
    assert '<label for="pbf-x">Say &#34;hi&#34; &amp; a &lt; b</label>' in page


def test_tags_are_refused_even_in_one_line_fields():
    """Titles also reach the theme's own templates, which print them without escaping."""
    with pytest.raises(ValueError, match="raw HTML is not allowed"):
        exercise(title="Hello </title><script>alert(1)</script>")


def test_templates_fail_loudly_on_a_typo(tmp_path):
    (tmp_path / "exercise.md.j2").write_text("{{ ex.titel }}")
    with pytest.raises(jinja2.UndefinedError):
        render(exercise(), make_environment(tmp_path))


def test_a_site_template_overrides_the_package_default(tmp_path):
    (tmp_path / "_overview.md.j2").write_text("CUSTOM OVERVIEW {{ ex.minutes }}\n")
    page = render(exercise(), make_environment(tmp_path))
    assert "CUSTOM OVERVIEW 20" in page
    assert "**Time:**" not in page
    assert "## Worksheet" in page  # the rest still comes from the package


def test_catalog_theme_and_audience_pages():
    pages = {p.path: p.content for p in generate_pages([exercise(), other()], make_environment())}
    assert set(pages) >= {
        "exercises/index.md",
        "exercises/sample.md",
        "exercises/other.md",
        "themes/index.md",
        "themes/listening.md",
        "themes/customer-meetings.md",
        "audiences/index.md",
        "audiences/seller.md",
        "audiences/manager.md",
    }
    assert "(../exercises/sample.md)" in pages["exercises/index.md"]
    assert "(../exercises/other.md)" in pages["themes/listening.md"]
    assert "- [Listening](../themes/listening.md): 2 exercises" in pages["themes/index.md"]
    assert 'data-pb-format="pair" data-pb-minutes="20"' in pages["exercises/index.md"]


def test_render_cache_reuses_pages_of_unchanged_exercises():
    env, cache = make_environment(), RenderCache()
    first, second = exercise(), other()
    generate_pages([first, second], env, cache=cache)
    assert (cache.hits, cache.misses) == (0, 2)
    generate_pages([first, second], env, cache=cache)
    assert (cache.hits, cache.misses) == (2, 2)
    # A changed title of a related exercise changes the page that links to it.
    generate_pages([first, other().model_copy(update={"title": "Renamed"})], env, cache=cache)
    assert (cache.hits, cache.misses) == (2, 4)


def test_line_filter_escapes_markdown_and_html():
    assert line("a_b *c* `d` <e> & #f") == "a\\_b \\*c\\* \\`d\\` &lt;e&gt; &amp; \\#f"


def test_generator_imports_nothing_from_mkdocs():
    """The generator must work without MkDocs (any engine can take its Markdown)."""
    code = (
        "import sys, playbook.cli, playbook.generate, playbook.loader, playbook.render;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
