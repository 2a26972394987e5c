"""overrides/main.html rewrites a few strings of Material's own HTML (Material offers no
setting for them). Those rewrites depend on Material's markup staying exactly as it is:
this states what they depend on, read from the installed Material, so that a theme
upgrade that changes it fails here, loudly, instead of the rewrite quietly doing nothing."""

from __future__ import annotations

from importlib.metadata import version

import jinja2
import pytest
from conftest import ROOT
from jinja2 import nodes
from mkdocs.theme import Theme

OVERRIDE = ROOT / "overrides" / "main.html"
MATERIAL = f"mkdocs-material {version('mkdocs-material')}"

# Material's markup that main.html rewrites → the partial it is written in, and the blocks
# of base.html that main.html filters, which must include that partial.
REWRITTEN = {
    # The search dialog gets a name (axe: aria-dialog-name).
    'data-md-component="search" role="dialog"': ("partials/search.html", {"header"}),
    # The repository link stays a plain link: no request to api.github.com.
    'class="md-source" data-md-component="source"': (
        "partials/source.html",
        {"header", "site_nav"},
    ),
}


@pytest.fixture(scope="module")
def theme_env() -> jinja2.Environment:
    """The templates the site is built with: overrides/ over the installed Material."""
    return Theme(name="material", custom_dir=str(ROOT / "overrides")).get_env()


def _source(env: jinja2.Environment, name: str) -> str:
    return env.loader.get_source(env, name)[0]


def _rewrites(template: nodes.Template) -> dict[str, set[str]]:
    """What each ``replace`` filter of the template replaces, and in which block."""
    named = {
        a.target.name: a.node.as_const()
        for a in template.find_all(nodes.Assign)
        if isinstance(a.target, nodes.Name)
    }
    found: dict[str, set[str]] = {}
    for block in template.find_all(nodes.Block):
        for f in block.find_all(nodes.Filter):
            if f.name != "replace":
                continue
            if f.dyn_args is not None:  # replace(*pair), pair set beforehand
                old = named[f.dyn_args.name][0]
            else:  # replace('old', 'new')
                old = f.args[0].as_const()
            found.setdefault(old, set()).add(block.name)
    return found


def _includes(env: jinja2.Environment, node: nodes.Node, seen: set[str]) -> set[str]:
    """Every template ``node`` includes, directly or through the templates it includes."""
    for include in node.find_all(nodes.Include):
        if isinstance(include.template, nodes.Const) and include.template.value not in seen:
            seen.add(include.template.value)
            _includes(env, env.parse(_source(env, include.template.value)), seen)
    return seen


def test_the_override_rewrites_only_what_this_test_knows_about(theme_env):
    rewrites = _rewrites(theme_env.parse(OVERRIDE.read_text(encoding="utf-8")))
    assert rewrites == {markup: blocks for markup, (_, blocks) in REWRITTEN.items()}


@pytest.mark.parametrize("markup", list(REWRITTEN))
def test_materials_templates_hold_the_markup_the_override_rewrites(theme_env, markup):
    partial, blocks = REWRITTEN[markup]
    assert markup in _source(theme_env, partial), (
        f"{MATERIAL}: {partial} no longer holds {markup!r}; overrides/main.html rewrites "
        "it, so change the override (and this test) to the new markup"
    )
    base = theme_env.parse(_source(theme_env, "base.html"))
    in_base = {b.name: b for b in base.find_all(nodes.Block)}
    for name in blocks:
        assert name in in_base, f"{MATERIAL}: base.html has no block {name!r} to override"
        reached = _includes(theme_env, in_base[name], set())
        assert partial in reached, (
            f"{MATERIAL}: base.html's block {name!r} no longer includes {partial}, so "
            "overrides/main.html filters that block for nothing"
        )


def test_the_built_pages_carry_the_rewritten_markup(built_site):
    page = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search" role="dialog" aria-label="Search"' in page
    assert 'class="md-source"' in page
    assert 'data-md-component="source"' not in page
