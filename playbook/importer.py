"""A folder of Markdown methods (front matter + sections) → exercise files.

Playbooks written elsewhere keep each method as one Markdown file: front matter with a
title, a category and a time, then sections such as *What*, *Why*, *How to*,
*Examples*, *Additional resources* and *Considerations*. ``convert_folder`` maps what it
can onto an exercise and reports, file by file, what it changed on the way and what it
could not map, so nothing is lost silently:

* headings are matched by their words (``## How to do it`` is the steps);
* the time becomes the session's time (``1-2 hours per interviewee`` → ``1-2 hours``
  per ``interviewee``; ``2-5 days, 1-4 weeks elapsed``; ``N/A`` → ``varies`` with a note);
* links to other methods become ``other-id.md``, whatever form they had
  (``{{site.baseurl}}/decide/personas/``, ``/decide/personas/``, ``../personas/``);
* HTML comments and wrappers such as ``<section markdown="1">`` are dropped, with a note;
* each method's old address can become an alias (``--aliases "{category}/{stem}/"``).

Every file written is then checked as ``playbook validate`` would check it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import Settings
from .loader import parse_exercise
from .messages import suggest_slug

_FRONT = re.compile(r"^---\s*\n(.*?)\n---\s*\n", re.S)
_HEADING = re.compile(r"(?m)^(#{1,3})\s+(.+?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->\s*", re.S)
_WRAPPER = re.compile(r"</?(?:section|div|article|aside|span|main)\b[^>]*>\s*", re.I)
_OTHER_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_LINK = re.compile(r"\]\(\s*([^)\s]+)([^)]*)\)")
_LIST_ITEM = re.compile(r"(?m)^(\s*)(?:\d+[.)]|[-*+])\s+")
_TIME_RANGE = re.compile(
    r"(\d+)\s*(?:(?:-|–|to)\s*(\d+))?\s*(minutes?|mins?|hours?|hrs?|days?|weeks?|months?)", re.I
)

# Which exercise part a heading's words stand for.
_PARTS = [
    ("steps", ("how to", "how-to", "steps", "instructions", "process")),
    ("purpose", ("why",)),
    ("what", ("what",)),
    ("examples", ("example",)),
    ("materials", ("you need", "materials", "what you'll need", "tools", "supplies")),
    ("resources", ("resource", "reading", "further", "links", "templates")),
]


@dataclass
class Converted:
    """One method: the file written (if any) and what the reader should know."""

    source: Path
    target: Path | None = None
    notes: list[str] = field(default_factory=list)  # changed on the way
    unmapped: list[str] = field(default_factory=list)  # not carried over
    problems: list[str] = field(default_factory=list)  # the written file does not validate


def convert_folder(
    source: Path,
    out: Path,
    *,
    settings: Settings,
    audiences: list[str],
    formats: list[str],
    aliases: str | None = None,
    today: dt.date | None = None,
) -> list[Converted]:
    """Convert every ``*.md`` in ``source`` into ``out/<id>.yaml`` (never overwriting)."""
    files = sorted(p for p in source.rglob("*.md") if p.is_file())
    ids = {_id_of(p): p for p in files}
    results = []
    for path in files:
        result = Converted(path)
        data = _convert(path, ids, settings, audiences, formats, aliases, today, result)
        if data is not None:
            _write(data, out, settings, result)
        results.append(result)
    return results


def _id_of(path: Path) -> str:
    return suggest_slug(path.stem) or "method"


def _convert(path, ids, settings, audiences, formats, aliases, today, result):
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    front = yaml.safe_load(match.group(1)) if match else {}
    if not isinstance(front, dict):
        front = {}
    body = _clean_markup(text[match.end() :] if match else text, result)
    sections = _sections(body)
    exercise_id = _id_of(path)
    title = str(front.get("title") or path.stem.replace("-", " ").capitalize())
    if len(title) > 80:
        result.notes.append(f"title shortened to 80 characters (was {len(title)})")
        title = title[:79].rstrip() + "…"
    data: dict = {"id": exercise_id, "title": title}
    parts = _map_sections(sections, settings, result)
    what, why = parts.pop("what", ""), parts.pop("purpose", "")
    data["summary"] = _first_sentence(str(front.get("description") or what or why or title))
    data["updated"] = _date(front.get("date")) or today or dt.date.today()
    data["purpose"] = _links("\n\n".join(t for t in (what, why) if t) or title, ids, result)
    data["audiences"] = audiences
    data["format"] = formats[0] if len(formats) == 1 else formats
    data["themes"] = _themes(front, result)
    data["session"] = _session(front.get("time"), result)
    steps = parts.pop("steps", None)
    data["steps"] = _steps(_links(steps, ids, result) if steps else "", title, result)
    if examples := parts.pop("examples", None):
        data["examples"] = [
            {"title": f"{title} in practice", "text": _links(examples, ids, result)}
        ]
    if resources := parts.pop("resources", None):
        data["resources"] = _resources(resources, ids, result)
    if materials := parts.pop("materials", None):
        data["materials"] = [_plain(m)[:300] for m in (_items(materials) or [materials])][:20]
    if own := parts.pop("sections", None):
        data["sections"] = {k: _links(v, ids, result) for k, v in own.items()}
    if related := front.get("related"):
        wanted = related if isinstance(related, list) else str(related).replace(",", " ").split()
        data["related"] = [suggest_slug(str(r)) for r in wanted if suggest_slug(str(r)) in ids]
        for r in wanted:
            if suggest_slug(str(r)) not in ids:
                result.unmapped.append(f"related method '{r}' is not in this folder")
    if aliases:
        category = suggest_slug(str(front.get("category") or ""))
        alias = aliases.format(stem=path.stem, id=exercise_id, category=category)
        data["aliases"] = [alias.replace("//", "/")]
        result.notes.append(f"old address kept as an alias: {data['aliases'][0]}")
    known = {"title", "description", "date", "time", "category", "related"}
    for key in sorted(set(front) - known):
        result.unmapped.append(f"front matter '{key}' ({_short(front[key])})")
    return data


def _clean_markup(body: str, result: Converted) -> str:
    comments = len(_COMMENT.findall(body))
    if comments:
        body = _COMMENT.sub("", body)
        result.notes.append(f"dropped {comments} HTML comment{'s' * (comments != 1)}")
    wrappers = len(_WRAPPER.findall(body))
    if wrappers:
        body = _WRAPPER.sub("", body)
        result.notes.append(
            f"dropped {wrappers} wrapper tag{'s' * (wrappers != 1)} (<section>, <div>…)"
        )
    others = sorted({m.group(0)[:30] for m in _OTHER_TAG.finditer(body)})
    if others:
        body = _OTHER_TAG.sub("", body)
        result.unmapped.append(f"HTML tags removed (their text is kept): {', '.join(others)}")
    return body


def _sections(body: str) -> list[tuple[str, str]]:
    """(heading, text) pairs; the text before the first heading under ''."""
    found: list[tuple[str, str]] = []
    last, heading = 0, ""
    for m in _HEADING.finditer(body):
        found.append((heading, body[last : m.start()].strip()))
        heading, last = m.group(2).strip(), m.end()
    found.append((heading, body[last:].strip()))
    return [(h, t) for h, t in found if t or h]


def _map_sections(sections, settings, result) -> dict:
    parts: dict = {}
    own = {s.id: s for s in settings.config.sections}
    for heading, text in sections:
        if not text:
            continue
        words = heading.lower()
        slug = suggest_slug(heading)
        part = next((p for p, keys in _PARTS if any(k in words for k in keys)), None)
        if not heading:
            part = "what"
        if slug in own:
            parts.setdefault("sections", {})[slug] = text
            result.notes.append(f"'{heading}' → sections.{slug}")
        elif part is None:
            result.unmapped.append(
                f"section '{heading}' has no place in an exercise ({len(text.split())} words); "
                "add it to playbook.yml's sections to keep it"
            )
        elif part in parts:
            parts[part] += "\n\n" + text
        else:
            parts[part] = text
    return parts


def _first_sentence(text: str) -> str:
    plain = _plain(text)
    sentence = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]
    return sentence if len(sentence) <= 200 else sentence[:199].rstrip() + "…"


def _plain(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*_`#>]", "", text)
    return " ".join(text.split())


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value if not isinstance(value, dt.datetime) else value.date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _themes(front: dict, result: Converted) -> list[str]:
    category = front.get("category")
    values = category if isinstance(category, list) else [category] if category else []
    themes = [s for s in (suggest_slug(str(v)) for v in values) if s][:6]
    if not themes:
        result.notes.append("no category: theme set to 'methods'")
        return ["methods"]
    return themes


def _session(time: object, result: Converted) -> dict:
    """The front matter's time → session minutes, per unit and elapsed time."""
    written = " ".join(str(time or "").split())
    ranges = list(_TIME_RANGE.finditer(written))
    if not ranges:
        result.notes.append(f"time '{written or 'none'}' → 'varies' (the note says so)")
        return {
            "minutes": "varies",
            "note": f"The method gives no time ({written or 'none'})."[:200],
        }
    first = ranges[0]
    unit = first.group(3).lower()
    amount = first.group(1) + (f"-{first.group(2)}" if first.group(2) else "")
    session: dict = {}
    if unit.startswith(("week", "month")):
        session["minutes"] = "varies"
        session["elapsed"] = f"{amount} {unit}"
        session["note"] = f"As the method puts it: {written}"[:200]
        result.notes.append(f"time '{written}' → 'varies', {amount} {unit} elapsed")
        return session
    session["minutes"] = f"{amount} {unit}"
    rest = written[first.end() :]
    if per := re.match(r"\s*(?:per|for each|each)\s+([A-Za-z][A-Za-z -]{0,38}?)(?=[,;(]|$)", rest):
        session["per"] = per.group(1).strip()
    for later in ranges[1:]:
        if later.group(3).lower().startswith(("week", "month", "day")):
            tail = later.group(1) + (f"-{later.group(2)}" if later.group(2) else "")
            session["elapsed"] = f"{tail} {later.group(3).lower()}"
    extra = [k for k in ("per", "elapsed") if k in session]
    result.notes.append(
        f"time '{written}' → {session['minutes']}" + "".join(f", {k} {session[k]}" for k in extra)
    )
    return session


def _items(text: str) -> list[str]:
    """Top-level list items of Markdown text (their own nested lines kept)."""
    items: list[str] = []
    for line in text.splitlines():
        m = _LIST_ITEM.match(line)
        if m and not m.group(1):
            items.append(line[m.end() :])
        elif items and (line.startswith((" ", "\t")) or not line.strip()):
            items[-1] += "\n" + line
        elif items:
            items[-1] += "\n" + line
    return [i.strip() for i in items if i.strip()]


def _steps(text: str, title: str, result: Converted) -> list[dict]:
    items = _items(text)
    if not items:
        if text:
            return [{"title": "Run it", "instructions": text}]
        result.notes.append("no steps found: one step says to follow the method")
        return [{"title": "Run it", "instructions": f"Run {title} as its page describes."}]
    steps = []
    for item in items[:12]:
        first = _first_sentence(item)
        if len(first) > 60:  # the first clause names the step well enough
            first = re.split(r",\s|:\s|;\s|\s[–—]\s", first, maxsplit=1)[0]
        name = first if len(first) <= 80 else first[:79].rstrip() + "…"
        steps.append({"title": name.rstrip("."), "instructions": item})
    if len(items) > 12:
        steps[-1]["instructions"] += "\n\n" + "\n\n".join(items[12:])
        result.notes.append(f"{len(items)} steps merged into 12 (the most an exercise has)")
    return steps


def _resources(text: str, ids: dict, result: Converted) -> list[dict]:
    resources = []
    for item in _items(text) or [text]:
        m = re.search(r"\[([^\]]+)\]\(([^)\s]+)\)", item)
        note = _plain(item[m.end() :] if m else "").strip(" :-–,.")
        if m:
            url = _link_target(m.group(2), ids, result)
            entry = {"title": _plain(m.group(1))[:300]}
            if url:
                entry["url"] = url
        else:
            entry = {"title": _plain(item)[:300]}
            note = ""
        if note:
            entry["note"] = note[:300]
        resources.append(entry)
    return resources


def _links(text: str, ids: dict, result: Converted) -> str:
    def replace(m: re.Match) -> str:
        target = _link_target(m.group(1), ids, result)
        return (
            f"]({target}{m.group(2)})"
            if target
            else f"](https://example.invalid/{m.group(1).lstrip('/')})"
        )

    def keep_text(m: re.Match) -> str:
        return m.group(1)

    text = _LINK.sub(replace, text)
    # Links that could not be mapped are left as their text.
    text = re.sub(r"\[([^\]]*)\]\(https://example\.invalid/[^)]*\)", keep_text, text)
    # A literal brace would set attributes on the page: written as an escaped one.
    return re.sub(r"(?<!\\)([{}])", r"\\\1", text)


def _link_target(url: str, ids: dict, result: Converted) -> str | None:
    if re.match(r"^(https?:|mailto:)", url):
        return url
    if url.startswith("#"):
        return url
    cleaned = re.sub(r"\{\{[^}]*\}\}", "", url).split("#")[0].rstrip("/")
    last = cleaned.rsplit("/", 1)[-1].removesuffix(".md").removesuffix(".html")
    if suggest_slug(last) in ids:
        result.notes.append(f"link '{url}' → {suggest_slug(last)}.md")
        return f"{suggest_slug(last)}.md"
    result.unmapped.append(f"link '{url}' leads to no method here: kept as plain text")
    return None


class _Dumper(yaml.SafeDumper):
    pass


def _string(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _string)


def _write(data: dict, out: Path, settings: Settings, result: Converted) -> None:
    target = out / f"{data['id']}.yaml"
    text = (
        "# yaml-language-server: $schema=../schema/exercise.schema.json\n"
        f"# Converted by 'playbook import' from {result.source.name}.\n"
        + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    )
    checked = parse_exercise(
        text.encode(), path=target, display=target.as_posix(), settings=settings
    )
    result.problems = [p.format() for p in checked.problems]
    if target.exists():
        result.problems.append(f"{target} already exists: left as it was")
        return
    out.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as file:
        file.write(text)
    result.target = target


def report(results: list[Converted]) -> str:
    """What the conversion did, file by file, and a count."""
    lines = []
    for r in results:
        where = r.target.as_posix() if r.target else "not written"
        lines.append(f"{r.source.as_posix()} → {where}")
        lines += [f"    changed: {n}" for n in r.notes]
        lines += [f"    not mapped: {u}" for u in r.unmapped]
        lines += [f"    problem: {p}" for p in r.problems]
    written = sum(1 for r in results if r.target)
    clean = sum(1 for r in results if r.target and not r.problems)
    unmapped = sum(len(r.unmapped) for r in results)
    lines.append(
        f"{written} of {len(results)} methods written, {clean} valid as written; "
        f"{unmapped} thing{'s' * (unmapped != 1)} not mapped."
    )
    return "\n".join(lines)
