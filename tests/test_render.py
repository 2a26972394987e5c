"""Rendering: every field type, escaping, strict templates and site overrides."""

from __future__ import annotations

import re
import subprocess
import sys

import jinja2
import pytest
from conftest import SETTINGS
from sample_data import Exercise, exercise, other

from playbook.generate import RenderCache, generate_pages
from playbook.render import line, make_environment
from playbook.schema import Pathway


def render(ex: Exercise, env=None) -> str:
    pages = generate_pages([ex, other()], env or make_environment(SETTINGS))
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
    """The facts are finished HTML, their links final addresses (MkDocs does not read
    them as Markdown)."""
    assert (
        '<strong>Time:</strong> <span class="pb-time"><span class="pb-time-part">Prep 5 min'
        '</span> · <span class="pb-time-part">Session 20 min</span> · '
        '<span class="pb-time-part">Follow-up within 7 days</span></span>'
    ) in page
    assert (
        "<strong>People:</strong> 2–6 (pair). Make one trio: the third person keeps time." in page
    )
    assert (
        '<strong>Difficulty:</strong> <a href="../../levels/#introductory">Introductory</a>: '
        "No practice assumed; a first go at the idea."
    ) in page
    assert (
        '<a href="../../audiences/seller/">Sellers</a>, '
        '<a href="../../audiences/manager/">Managers</a>'
    ) in page
    assert '<a href="../../themes/customer-meetings/">Customer meetings</a>' in page


def test_steps_are_numbered_with_minutes_and_prompts(page):
    assert "### 1. Listen (10 min) { #step-1 }" in page
    assert "### 2. Swap (10 min) { #step-2 }" in page
    assert "<li>What did you hear?</li>" in page


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
    assert 'data-pb-max="6" data-pb-max-session="5"' in page
    assert re.search(r'<input type="checkbox" name="check.waited" value="2"', page)
    assert re.findall(r'name="check.depth" value="(\d)"', page) == ["0", "1", "2", "3"]
    assert (
        '<tr data-pb-min="0" data-pb-max="2"><td>0–2</td><th scope="row">'
        '<span class="pb-band-label">Start</span></th><td>Try again.</td></tr>'
    ) in page
    assert "the most you can score is 6" in page


def test_checklist_keeps_session_and_follow_up_items_apart(page):
    session, later = re.findall(r'<ul class="pb-items"[^>]* data-pb-when="([a-z-]+)"', page)
    assert (session, later) == ("session", "follow-up")
    after = page[page.index('data-pb-when="follow-up"') :]
    assert "check.again" in after and "check.waited" not in after
    assert "at the end of the session (at most 5)" in page
    assert "after the follow-up (at most 1)" in page


def test_a_band_only_the_follow_up_reaches_says_so(page):
    row = re.search(r'<tr data-pb-min="6"[^\n]*', page).group(0)
    assert "data-pb-needs-follow-up" in row
    assert "(reached only with the follow-up)" in row
    assert "follow-up" not in re.search(r'<tr data-pb-min="3"[^\n]*', page).group(0)


def test_before_during_and_after_are_sections_of_their_own(page):
    assert "## Before the session (5 min) { #before }" in page
    assert "## During the session (20 min) { #steps }" in page
    assert "## After the session, within 7 days { #after }" in page
    assert page.index("#before") < page.index("#steps") < page.index("#after")


def test_who_it_fits_and_when_to_use_it(page):
    assert "<p><strong>Use it when</strong></p>\n<ul>\n<li>Before a customer meeting" in page
    assert "<p><strong>Not when</strong></p>\n<ul>\n<li>In a crisis" in page


def test_every_worksheet_has_a_header_for_whose_it_is(page):
    for key in ("@name", "@with", "@date"):
        assert f'data-pb-key="{key}"' in page
    assert '<label for="pbh-name">Your name</label>' in page


def test_the_run_sheet_has_a_timed_agenda_and_what_to_have_ready(page):
    sheet = page[page.index('<section class="pb-runsheet') : page.index("</section>")]
    assert "<li>A timer</li>" in sheet
    rows = re.findall(r'<tr data-pb-offset="(\d+)"><td class="pb-clock">([^<]+)</td>', sheet)
    assert rows == [("0", "+0:00"), ("10", "+0:10"), ("20", "+0:20")]
    assert "Afterwards, within 7 days" in sheet


def test_debrief_variations_notes_and_related(page):
    assert "## Debrief { #debrief }\n\n<ol>\n<li>What surprised you?</li>" in page
    assert "### Remote\n\n<p>Cameras on.</p>" in page
    assert '<div class="pb-facilitator pb-notes">\n<p>Watch the <em>pause</em>.' in page
    assert '<li><a href="../other/">The other one</a></li>' in page


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
        render(exercise(), make_environment(SETTINGS, tmp_path))


def test_a_site_template_overrides_the_package_default(tmp_path):
    (tmp_path / "_overview.md.j2").write_text("CUSTOM OVERVIEW {{ ex.session.minutes }}\n")
    page = render(exercise(), make_environment(SETTINGS, tmp_path))
    assert "CUSTOM OVERVIEW 20" in page
    assert "**Time:**" not in page
    assert "## Worksheet" in page  # the rest still comes from the package


def test_catalog_theme_and_audience_pages():
    pages = {
        p.path: p.content for p in generate_pages([exercise(), other()], make_environment(SETTINGS))
    }
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
    # Cards are plain HTML with the pages' final addresses, relative to the catalog page.
    assert '<a href="sample/">' in pages["exercises/index.md"]
    assert '<a href="../../exercises/other/">' in pages["themes/listening.md"]
    assert "- [Listening](../themes/listening.md): 2 exercises" in pages["themes/index.md"]
    assert (
        'data-pb-format="pair" data-pb-minutes="20" data-pb-people="2 6"'
        in pages["exercises/index.md"]
    )


def test_a_worked_example_is_shown_apart_from_the_worksheet():
    example = {
        "who": "Sam, a fictional seller",
        "answers": {
            "goal": "A pilot",
            "questions": ["Why now?"],
            "focus": 4,
            "log": [["Mon", "Ana", "Renewal"]],
        },
    }
    page = render(exercise(worked_example=example))
    block = page[page.index('<details class="pb-example"') : page.index("</details>")]
    assert "data-search-exclude" in block and "data-pb-key" not in block
    assert "<dt>Your goal</dt>\n<dd><p>A pilot</p></dd>" in block
    assert "<li>Why now?</li>" in block and "4 of 5 (Distracted … Present)" in block
    assert "<td>Mon</td><td>Ana</td><td>Renewal</td>" in block
    assert page.index("</form>") < page.index('<details class="pb-example"')


def test_examples_resources_and_licence():
    page = render(
        exercise(
            examples=[{"title": "A team's run", "text": "They *found* two gaps."}],
            resources=[{"title": "A guide", "url": "https://example.org/g", "note": "Short."}],
            licence={"name": "Public domain", "url": "https://example.org/pd"},
        )
    )
    assert "## Examples { #examples }" in page and "<em>found</em>" in page
    assert "- [A guide](https://example.org/g): Short." in page
    assert 'Licence: <a href="https://example.org/pd">Public domain</a>.' in page
    assert "· Public domain ·" in page  # the print footer


def test_render_cache_reuses_pages_of_unchanged_exercises():
    env, cache = make_environment(SETTINGS), RenderCache()
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


def test_cards_link_to_html_files_when_addresses_are_not_folders():
    env = make_environment(SETTINGS)
    env.globals["use_directory_urls"] = False
    pages = {p.path: p.content for p in generate_pages([exercise(), other()], env)}
    assert '<a href="sample.html">' in pages["exercises/index.md"]
    assert '<a href="../exercises/other.html">' in pages["themes/listening.md"]
    assert '<a href="../exercises/other.html">' in pages["audiences/seller.md"]


def test_a_sites_own_card_in_markdown_still_works(tmp_path):
    """A `_card.md.j2` written for the earlier Markdown cards keeps working."""
    (tmp_path / "_card.md.j2").write_text(
        '<div class="pb-card" data-pb-id="{{ ex.id }}" markdown>\n\n'
        "**[{{ ex.title|line }}]({{ exercise_link(ex) }})**\n\n</div>\n"
    )
    pages = {
        p.path: p.content
        for p in generate_pages([exercise(), other()], make_environment(SETTINGS, tmp_path))
    }
    catalog = pages["exercises/index.md"]
    assert '<div class="pb-cards" markdown>' in catalog
    assert "](../exercises/sample.md)**" in catalog


def test_a_pathway_edit_reaches_the_cards_of_a_cached_catalog():
    cache = RenderCache()
    env = make_environment(SETTINGS)
    library = [exercise(), other()]
    first = {p.path: p.content for p in generate_pages(library, env, cache=cache)}
    assert 'data-pb-pathways=""' in first["exercises/index.md"]
    pathway = Pathway.model_validate(
        {
            "id": "start-here",
            "title": "Start here",
            "summary": "The first two.",
            "audiences": ["seller"],
            "intro": "Start with the sample.",
            "steps": [
                {"exercise": "sample", "when": "Week 1", "why": "First."},
                {"exercise": "sample", "when": "Week 2", "why": "Again."},
            ],
        }
    )
    again = {
        p.path: p.content for p in generate_pages(library, env, cache=cache, pathways=[pathway])
    }
    assert 'data-pb-pathways="start-here"' in again["exercises/index.md"]


def test_blocks_come_back_in_place_and_late_ones_after_the_theme():
    from playbook.render import Blocks

    blocks = Blocks()
    early = blocks.add("<div>early</div>")
    late = blocks.add('<form id="f">late</form>', late=True)
    converted = f"<h2>Title</h2>\n<p>{early}</p>\n<p>{late}</p>"
    content = blocks.restore(converted)
    assert "<div>early</div>" in content and "late</form>" not in content
    assert blocks.ids() == {"f"}
    page, missing = blocks.restore_late(f"<body>{content}</body>")
    assert missing == 0 and '<form id="f">late</form>' in page
    # A plugin that strips comments before the late blocks are put back loses them;
    # the plugin is told how many went missing.
    stripped = re.sub(r"<!--.*?-->", "", content)
    _, missing = blocks.restore_late(stripped)
    assert missing == 1
