"""YAML files → exercises, or the complete list of problems with them.

Fast path: libyaml's C parser (``yaml.CSafeLoader``) composes the node tree and
PyYAML's constructor builds plain data, which pydantic validates. Node positions
come from the same C parser, but are only looked up when there is a problem to
report. Unchanged files (same bytes) are taken from a cache and not parsed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import stat
import time
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ValidationError

from . import messages, rules
from .problems import Problem
from .schema import FIELD_TYPES, Exercise

if TYPE_CHECKING:
    from .config import Settings

try:
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader  # type: ignore[misc]

EXERCISE_SUFFIXES = (".yaml", ".yml")


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """A safe loader that remembers duplicate keys instead of silently keeping the last."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[yaml.Node, yaml.Node, yaml.Node]] = []

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    self.duplicates.append((node, key_node, seen[key_node.value]))
                else:
                    seen[key_node.value] = key_node
        return super().construct_mapping(node, deep=deep)

    def resolve(self, kind, value, implicit):
        """PyYAML's Resolver.resolve, without the path-resolver and wildcard lookups that
        the safe loader never uses: the C parser calls it for every value of a file."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def construct_object(self, node, deep=False):
        """PyYAML's constructors raise plain ValueError & co. on values such as
        ``2026-02-30`` or ``!!int abc``: turn those into errors that carry a position."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, AttributeError, OverflowError, TypeError) as error:
            kind = node.tag.rsplit(":", 1)[-1]
            raise _BadValue(
                f"cannot read this value as {_TAG_NAMES.get(kind, kind)}: {error}", node
            ) from None

    def construct_plain(self, root: yaml.Node) -> Any:
        """The document as plain data: what ``construct_document`` returns, three times
        faster. Strings, string-keyed mappings and lists (nearly all of an exercise)
        are built directly; other scalars (numbers, dates, booleans, null) by PyYAML's
        own constructors. Anything unusual (merge keys, other tags, non-string keys,
        recursive aliases) raises ``_Unusual``: then use ``construct_document``.
        """
        on_path: set[int] = set()
        built: set[int] = set()

        def build(node: yaml.Node) -> Any:
            tag = node.tag
            if tag == _STR and isinstance(node, yaml.ScalarNode):
                return node.value
            if isinstance(node, yaml.ScalarNode):
                if tag in _PLAIN_SCALARS:
                    return self.construct_object(node, deep=True)
                raise _Unusual
            if id(node) in on_path:
                raise _Unusual
            if id(node) in built:
                raise _AliasUsed(node)
            on_path.add(id(node))
            built.add(id(node))
            if tag == _SEQ and isinstance(node, yaml.SequenceNode):
                result: Any = [build(item) for item in node.value]
            elif tag == _MAP and isinstance(node, yaml.MappingNode):
                result = {}
                seen: dict[str, yaml.Node] = {}
                for key_node, value_node in node.value:
                    if key_node.tag != _STR or not isinstance(key_node, yaml.ScalarNode):
                        raise _Unusual
                    key = key_node.value
                    if key in seen:
                        self.duplicates.append((node, key_node, seen[key]))
                    else:
                        seen[key] = key_node
                    result[key] = build(value_node)
            else:
                raise _Unusual
            on_path.discard(id(node))
            return result

        return build(root)


class _Unusual(Exception):
    """A document that construct_plain leaves to PyYAML's general constructor."""


class _BadValue(yaml.constructor.ConstructorError):
    """A scalar PyYAML's constructors cannot read, with the node it stands in."""

    def __init__(self, problem: str, node: yaml.Node) -> None:
        super().__init__(None, None, problem, node.start_mark)
        self.node = node


class _AliasUsed(Exception):
    """A list or mapping used twice through an alias (``*name``)."""

    def __init__(self, node: yaml.Node) -> None:
        super().__init__()
        self.node = node


def _find_alias(root: yaml.Node) -> yaml.Node | None:
    """The first list or mapping that appears twice in the tree (through an alias)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            continue
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack += (key, value)
        else:
            stack += node.value
    return None


_TAG_NAMES = {
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
    "timestamp": "a date",
    "null": "an empty value",
}
# Files far larger than any exercise, or nested deeper than any exercise needs, are
# refused before parsing: libyaml's composer crashes on nesting tens of thousands deep.
MAX_BYTES = 64 * 1024
MAX_BRACKETS = 1000
# Lists and mappings inside each other: an exercise needs 5 levels (worksheet → fields →
# a field → its columns), so 50 is far beyond any real file.
MAX_DEPTH = 50

# What can open a block list or mapping at the start of a line (after its '\n'): the
# indentation, then a chain of '- ', '? ' or ': ' indicators (compact nesting: '- - - x').
_LINE_START = re.compile(r"\n[ ]*(?:[-?:](?:[ \t]+|(?=\n)|\Z))*")
# The line breaks libyaml knows besides '\n'.
_OTHER_BREAKS = re.compile("\r\n?|[\x85\u2028\u2029]")


_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map"))
# The safe loader's implicit resolvers by first character ("" for the empty value).
_IMPLICIT = {key: tuple(value) for key, value in _BaseLoader.yaml_implicit_resolvers.items()}
assert None not in _IMPLICIT and not _BaseLoader.yaml_path_resolvers, "resolve() assumes neither"
_PLAIN_SCALARS = {f"tag:yaml.org,2002:{t}" for t in ("int", "float", "bool", "null", "timestamp")}


@dataclass
class LoadedFile:
    """One file's outcome: an exercise, or the problems that stopped it."""

    path: Path
    display: str
    digest: str
    text: str | None
    exercise: Exercise | None = None
    problems: list[Problem] = field(default_factory=list)
    # (modification time in ns, size) when read: a cached file whose stamp is unchanged
    # is not read again; one whose stamp changed is read, and parsed if its bytes did.
    stamp: tuple[int, int] | None = None
    # The id as written, when the YAML could be read (even if the exercise is invalid).
    raw_id: str | None = None
    # The configuration it was checked with (a cached file is checked again under another).
    settings: Any = None
    # Its links to other exercises (rules.exercise_links), found once per file read.
    links: list | None = None


@dataclass
class Library:
    """All exercises of a folder, valid ones by id, and every problem found."""

    files: list[LoadedFile]
    problems: list[Problem]

    @property
    def exercises(self) -> list[Exercise]:
        return [f.exercise for f in self.files if f.exercise is not None]

    @property
    def ok(self) -> bool:
        return not self.problems

    def sources(self) -> dict[str, Path]:
        """The file each valid exercise was read from, by id."""
        return {f.exercise.id: f.path for f in self.files if f.exercise is not None}


Cache = dict[Path, LoadedFile]


def find_exercise_files(paths: Iterable[Path]) -> list[Path]:
    """Exercise files in these paths (folders are searched, files kept), sorted."""
    paths = list(paths)
    if len(paths) == 1 and paths[0].is_dir():
        return list(_listing(paths[0]))
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(_listing(path))
        else:
            found.add(path)
    return sorted(found, key=lambda p: p.parts)  # Path order, computed once per path


# Folder listings, kept while the folder's modification time is unchanged (adding,
# removing or renaming a file changes it): a rebuild gets the same Path objects back
# instead of listing, making and sorting a thousand of them again. The key is the
# folder itself (device and inode), not its name: "." names another folder after a chdir.
_LISTINGS: dict[tuple[Path, int, int], tuple[int, list[Path]]] = {}


def _listing(folder: Path) -> list[Path]:
    info = folder.stat()
    key, mtime = (folder, info.st_dev, info.st_ino), info.st_mtime_ns
    if (hit := _LISTINGS.get(key)) is not None and hit[0] == mtime:
        return hit[1]
    with os.scandir(folder) as entries:
        names = sorted(
            e.name
            for e in entries
            if e.name.endswith(EXERCISE_SUFFIXES) and e.name not in EXERCISE_SUFFIXES
        )
    listing = [folder / name for name in names]
    if _trusted((mtime, 0)) is not None:
        _LISTINGS[key] = (mtime, listing)
    return listing


def load_library(
    paths: Iterable[Path],
    *,
    settings: Settings,
    root: Path | None = None,
    cache: Cache | None = None,
) -> Library:
    """Load and check every exercise file, then the rules that span files.

    ``root`` makes the paths in messages relative (as a pull request shows them).
    """
    files = [
        load_file(path, settings=settings, root=root, cache=cache)
        for path in find_exercise_files(paths)
    ]
    problems = [p for f in files for p in f.problems]
    problems += check_library(files)
    return Library(files=files, problems=sorted(problems))


def load_file(
    path: Path, *, settings: Settings, root: Path | None = None, cache: Cache | None = None
) -> LoadedFile:
    """Read one file (only a regular file inside the repository, at most MAX_BYTES)."""
    hit = cache.get(path) if cache is not None else None
    if hit is not None and hit.settings is not settings:
        hit = None  # read with another configuration
    try:
        info = os.lstat(path)
        target: str | Path = path
        if stat.S_ISLNK(info.st_mode):
            followed = _follow_link(path, root)
            if isinstance(followed, LoadedFile):
                return followed
            target, info = followed
        if not stat.S_ISREG(info.st_mode):
            return _not_regular(path, root, info)
        stamp = (info.st_mtime_ns, info.st_size)
        if hit is not None and hit.stamp == stamp:
            return hit
        if info.st_size > MAX_BYTES:
            return _refused(path, root, *_too_large(info.st_size))
        data, info = _read_bounded(target)
        if not stat.S_ISREG(info.st_mode):  # replaced since the lstat above
            return _not_regular(path, root, info)
        stamp = (info.st_mtime_ns, info.st_size)
        if len(data) > MAX_BYTES:  # grew since the lstat above
            return _refused(path, root, *_too_large(max(len(data), info.st_size)))
    except OSError as error:
        return _unreadable(path, root, error)
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    if hit is not None and hit.digest == digest:
        hit.stamp = _trusted(stamp)
        return hit
    loaded = parse_exercise(
        data, path=path, display=display_path(path, root), settings=settings, digest=digest
    )
    loaded.stamp = _trusted(stamp)
    if cache is not None:
        cache[path] = loaded
    return loaded


def _follow_link(path: Path, root: Path | None) -> tuple[str, os.stat_result] | LoadedFile:
    """Where a link leads and what is there, or the refusal: only files inside the
    repository are read (an exercise is published; nothing of another file is shown)."""
    target = os.path.realpath(path)
    if not _inside(target, _repository(path, root)):
        return _refused(
            path,
            root,
            "this file is a link to a file outside the repository; exercises are "
            "published, so only files inside the repository are read",
            "replace the link with a copy of the file, or remove it",
        )
    if not os.path.exists(target):
        return _refused(
            path,
            root,
            "this file is a link to a file that does not exist",
            "point the link at an exercise file, or remove it",
        )
    return target, os.stat(target)


def _read_bounded(target: str | Path) -> tuple[bytes, os.stat_result]:
    """At most MAX_BYTES + 1 bytes of a file, and its stat taken from the open file.

    The caller checked that the path is a regular file, but it may have been replaced
    since: O_NONBLOCK keeps a named pipe from blocking the open, O_NOFOLLOW refuses a
    link put in its place (links were resolved already), and the read is bounded
    whatever the file turned out to be."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b"", info
        chunks: list[bytes] = []
        left = MAX_BYTES + 1
        while left > 0 and (chunk := os.read(fd, left)):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def _repository(path: Path, root: Path | None) -> str:
    """The folder a linked exercise must stay inside: ``root`` when the file is in it,
    otherwise the parent of the file's folder (the repository holding exercises/)."""
    if root is not None and _inside(os.path.abspath(path), os.path.abspath(root)):
        return os.path.realpath(root)
    return os.path.realpath(os.path.dirname(os.path.dirname(os.path.abspath(path))))


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip(os.sep) + os.sep)


_FILE_KINDS = {
    stat.S_ISDIR: "a folder",
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a device",
    stat.S_ISBLK: "a device",
    stat.S_ISSOCK: "a socket",
}


def _not_regular(path: Path, root: Path | None, info: os.stat_result) -> LoadedFile:
    kind = next(
        (name for test, name in _FILE_KINDS.items() if test(info.st_mode)), "a special file"
    )
    return _refused(
        path,
        root,
        f"expected a regular file, found {kind}; only regular files are read",
        "remove it, or replace it with the exercise's YAML file",
    )


def _too_large(size: int) -> tuple[str, str]:
    return (
        f"this file is {size // 1024} KB; an exercise file must be under {MAX_BYTES // 1024} KB",
        "split it into several exercises, or shorten it",
    )


def _refused(path: Path, root: Path | None, message: str, hint: str) -> LoadedFile:
    """A file that is not read at all: one problem at its start."""
    display = display_path(path, root)
    return LoadedFile(path, display, "", None, problems=[Problem(display, 1, 1, "", message, hint)])


def _unreadable(path: Path, root: Path | None, error: OSError) -> LoadedFile:
    """A file the system would not let us read: the reason, with no place in it."""
    display = display_path(path, root)
    problem = Problem(
        display,
        message=f"cannot read this file: {error.strerror or error}",
        hint="check that the path exists and is readable",
    )
    return LoadedFile(path, display, "", None, problems=[problem])


def _trusted(stamp: tuple[int, int]) -> tuple[int, int] | None:
    """The stamp, unless the file changed in the last second: a second edit of the same
    size within the file system's clock tick would keep its stamp, so such a file is
    read again next time (as git does with "racily clean" files)."""
    return stamp if time.time_ns() - stamp[0] > 1_000_000_000 else None


@dataclass
class Parsed:
    """A YAML document read: its text, its node tree and its plain data."""

    text: str
    root: yaml.Node
    data: Any


def parse_exercise(
    data: bytes, *, path: Path, display: str, settings: Settings, digest: str = ""
) -> LoadedFile:
    """Bytes of one file → a LoadedFile holding an Exercise or its problems."""
    loaded = LoadedFile(path, display, digest, None, settings=settings)
    parsed = read_document(data, display, loaded.problems, what=_EXERCISE_WORDS)
    if parsed is None:
        loaded.text = _decoded(data)
        return loaded
    loaded.text = parsed.text
    if isinstance(parsed.data, dict) and isinstance(parsed.data.get("id"), str):
        loaded.raw_id = parsed.data["id"]
    exercise = validate_document(parsed, settings.model, display, loaded.problems)
    if exercise is None:
        return loaded
    for loc, message, hint in rules.exercise_rules(exercise, settings):
        loaded.problems.append(_problem_at(display, parsed, loc, message, hint))
    if not loaded.problems:
        loaded.exercise = exercise
    return loaded


def _decoded(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


# What an empty file or a top-level list is told it should hold.
_EXERCISE_WORDS = ("an exercise (a mapping with id, title, summary, …)", "playbook new <id>")


def read_document(
    data: bytes, display: str, problems: list[Problem], *, what: tuple[str, str]
) -> Parsed | None:
    """Bytes → text → node tree → plain data; on any problem, append it and return None.

    ``what`` names what the file should hold and the command that starts one, for the
    messages about an empty file."""
    text = _decode(data, display, problems)
    if text is None or not _within_limits(data, text, display, problems):
        return None
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if not _is_mapping(root, display, problems, what):
            return None
        data = _construct(loader, root)
        problems.extend(_duplicates(loader, root, display))
        return Parsed(text, root, data)
    except _AliasUsed as used:
        problems.append(
            _at_mark(
                display,
                used.node.start_mark,
                "a list or mapping is repeated through an alias (*name); these files "
                "do not use anchors and aliases",
                "write the repeated part out in full",
            )
        )
    except RecursionError:
        problems.append(
            Problem(
                display,
                1,
                1,
                "",
                "this file is nested too deeply to read",
                "these files need only a few levels of indentation",
            )
        )
    except _BadValue as error:
        problem = messages.yaml_error(display, error, text)
        problems.append(dataclasses.replace(problem, key=_path_to(root, error.node) or ""))
    except yaml.MarkedYAMLError as error:
        problems.append(messages.yaml_error(display, error, text))
    except yaml.reader.ReaderError as error:  # a character YAML does not allow
        problems.append(messages.reader_error(display, error, text))
    except yaml.YAMLError as error:  # unmarked: rare, but never a traceback
        problems.append(Problem(display, 1, 1, "", f"cannot read YAML: {error}"))
    finally:
        loader.dispose()
    return None


def _decode(data: bytes, display: str, problems: list[Problem]) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start : error.start + 1].hex().upper()
        problems.append(
            Problem(
                display,
                line,
                column,
                "",
                f"this file is not UTF-8 text: byte 0x{byte} cannot be read",
                "save the file with UTF-8 encoding (most editors offer it under "
                "'Save with encoding' or in the status bar)",
            )
        )
        return None


def _within_limits(data: bytes, text: str, display: str, problems: list[Problem]) -> bool:
    """Size, brackets and nesting, checked before libyaml sees the text."""
    if len(data) > MAX_BYTES:
        problems.append(Problem(display, 1, 1, "", *_too_large(len(data))))
        return False
    brackets = text.count("[") + text.count("{")
    if brackets > MAX_BRACKETS:
        problems.append(
            Problem(
                display,
                1,
                1,
                "",
                f"this file has more than {MAX_BRACKETS} '[' and '{{' characters; "
                "these files never need that many",
                "write lists as '- item' lines",
            )
        )
        return False
    if (deep := _too_deep(text, brackets)) is not None:
        problems.append(
            _at_mark(
                display,
                deep,
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep here; "
                "these files need only a few levels",
                "each '- ', '? ' or bracket opens a level: put each item on its own line",
            )
        )
        return False
    return True


def _is_mapping(
    root: yaml.Node | None, display: str, problems: list[Problem], what: tuple[str, str]
) -> bool:
    expected, command = what
    if root is None:
        problems.append(
            Problem(
                display,
                1,
                1,
                "",
                f"this file is empty; expected {expected}",
                f"run '{command}' to start from a complete example",
            )
        )
        return False
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        problems.append(
            _at_mark(
                display,
                root.start_mark,
                f"expected a mapping of keys (id: …, title: …) at the top level, found {kind}",
                "remove the leading '- ' or write the file as 'key: value' lines",
            )
        )
        return False
    return True


def _construct(loader: _Loader, root: yaml.Node) -> Any:
    try:
        return loader.construct_plain(root)
    except _Unusual:
        if (alias := _find_alias(root)) is not None:
            raise _AliasUsed(alias) from None
        loader.duplicates.clear()
        return loader.construct_document(root)


def _duplicates(loader: _Loader, root: yaml.Node, display: str) -> list[Problem]:
    problems = []
    for mapping, key_node, first in loader.duplicates:
        key_path = _path_to(root, mapping) or ""
        problems.append(
            Problem(
                display,
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
                _join(key_path, key_node.value),
                f"duplicate key '{key_node.value}' (first set on line {first.start_mark.line + 1}); "
                "only one value can be kept",
                "delete one of the two, or merge them",
            )
        )
    return problems


def _at_mark(display: str, mark: yaml.Mark, message: str, hint: str) -> Problem:
    return Problem(display, mark.line + 1, mark.column + 1, "", message, hint)


M = typing.TypeVar("M", bound=BaseModel)


def validate_document(
    parsed: Parsed, model: type[M], display: str, problems: list[Problem]
) -> M | None:
    """The plain data checked against ``model``; every problem appended, placed."""
    try:
        return model.model_validate(parsed.data)
    except ValidationError as error:
        details = _without_echoes(error.errors(include_url=False), model)
        for detail in details:
            problems.extend(_problems_from_pydantic(display, parsed, model, detail))
        return None


def load_config_file(path: Path, *, root: Path | None = None) -> tuple[Any, list[Problem]]:
    """A playbook's configuration file → (PlaybookConfig or None, problems)."""
    from .config import PlaybookConfig

    display = display_path(path, root)
    problems: list[Problem] = []
    try:
        data, _ = _read_bounded(path)
    except OSError as error:
        hint = "create it: the project's playbook.yml is an example"
        return None, [
            Problem(
                display,
                0,
                0,
                "",
                f"cannot read the playbook's configuration: {error.strerror or error}",
                hint,
            )
        ]
    parsed = read_document(data, display, problems, what=_CONFIG_WORDS)
    if parsed is None:
        return None, problems
    config = validate_document(parsed, PlaybookConfig, display, problems)
    if config is not None:
        for loc, message, hint in rules.config_rules(config):
            problems.append(_problem_at(display, parsed, loc, message, hint))
    return (config if not problems else None), sorted(problems)


_CONFIG_WORDS = ("a playbook configuration (licence, audiences, formats, …)", "playbook init")


def _too_deep(text: str, brackets: int) -> yaml.Mark | None:
    """Where lists and mappings are nested more than MAX_DEPTH deep, or None.

    libyaml's composer recurses once per level and crashes the process (no exception)
    some ten thousand levels down, so this runs before it, in two steps:

    1. A bound from the text, costing well under a millisecond for the whole library.
       libyaml opens a block collection only at a column deeper than every open one
       (its indentation stack is strictly increasing; a list directly under a key may
       share the key's column, hence the factor 2), and only at the start of a line or
       right after a '- ', '? ' or ': ' indicator that begins the line. So the distinct
       columns found there bound the block nesting; every '[' and '{' bounds the flow
       nesting. Text that is not structure (block scalars, comments) only adds columns:
       the bound can be too high, never too low.
    2. Only when the bound exceeds the limit: the exact depth from libyaml's events,
       which its parser produces without recursing, stopping at the first node too deep.
       (Events for every file would parse each file twice: some 40% more load time.)
    """
    lines = "\n" + text
    if "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        lines = _OTHER_BREAKS.sub("\n", lines)
    columns: set[int] = set()
    for start in set(_LINE_START.findall(lines)):  # the same few starts, line after line
        columns.add(len(start) - 1)
        columns.update(i - 1 for i, char in enumerate(start) if char in "-?:")
    if 2 * len(columns) + brackets <= MAX_DEPTH:
        return None
    parser = _BaseLoader(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return None  # reported, with its position, when the file is loaded
    finally:
        parser.dispose()
    return None


def _without_echoes(details: list[dict], model: type[BaseModel]) -> list[dict]:
    """Drop "key X is missing" when an unknown key beside it is a misspelling of X:
    one mistake, one message (the one at the misspelled key, with "did you mean")."""
    misspelled = set()
    for d in details:
        if d["type"] == "extra_forbidden":
            parent = tuple(d["loc"][:-1])
            allowed = messages.allowed_keys(parent, model)
            for close in messages.close_matches(str(d["loc"][-1]), allowed):
                misspelled.add((*parent, close))
    details = [d for d in details if not (d["type"] == "missing" and tuple(d["loc"]) in misspelled)]
    return _one_per_union(details)


def _one_per_union(details: list[dict]) -> list[dict]:
    """A value that fits none of a union's members (``format: one`` or ``[one, two]``)
    gets one message, from the member of its own kind: text is not told it is not a list."""
    by_place: dict[tuple, list[dict]] = {}
    for d in details:
        place = tuple(p for p in d["loc"] if not messages.is_union_tag(p))
        by_place.setdefault(place[: _tag_depth(d["loc"])], []).append(d)
    kept = []
    for group in by_place.values():
        if len(group) > 1:
            fitting = [d for d in group if d["type"] not in _WRONG_KIND]
            group = fitting or group[:1]
        kept += group
    return kept


_WRONG_KIND = {"list_type", "model_type", "dict_type", "string_type", "int_type"}


def _tag_depth(loc: tuple) -> int:
    """How far a location runs before its first union tag (all of it when it has none)."""
    for index, part in enumerate(loc):
        if messages.is_union_tag(part):
            return index
    return len(loc) + 1


def check_library(files: list[LoadedFile]) -> list[Problem]:
    """Rules across files: file names match ids, ids are unique, related ids and links
    to other exercises exist, old addresses (aliases) are claimed once."""
    # Files whose name matches their id come first, so that a copied file that kept
    # its original's id is the one told about the duplicate.
    valid = sorted(
        (f for f in files if f.exercise is not None),
        key=lambda f: f.path.name.rsplit(".", 1)[0] != f.exercise.id,
    )
    # A file with problems may still have a readable id: it counts as existing, so its
    # own problems are not followed by a cascade of "unknown related id".
    # A file that cannot be read at all counts under its file name.
    known_ids = {f.exercise.id for f in valid} | {
        f.raw_id or f.path.name.rsplit(".", 1)[0] for f in files if f.exercise is None
    }
    problems: list[Problem] = []
    first_seen: dict[str, LoadedFile] = {}
    aliases: dict[str, LoadedFile] = {}
    for loaded in valid:
        if loaded.links is None:
            loaded.links = rules.exercise_links(loaded.exercise)
        found = list(rules.file_rules(loaded.exercise, loaded.path, known_ids, loaded.links))
        found += _claimed_once(loaded, first_seen, aliases, known_ids)
        problems += [_located(loaded, *f) for f in found]
    return problems


def _claimed_once(
    loaded: LoadedFile,
    first_seen: dict[str, LoadedFile],
    aliases: dict[str, LoadedFile],
    known_ids: set[str],
) -> Iterator[tuple]:
    """Ids and old addresses that another file claimed first."""
    ex = loaded.exercise
    assert ex is not None
    if (first := first_seen.get(ex.id)) is not None:
        where = _located(first, ("id",), "", "")
        yield (
            ("id",),
            f"id '{ex.id}' is already used by {where.path}:{where.line}",
            "ids must be unique: choose another id and rename the file to match",
        )
    else:
        first_seen[ex.id] = loaded
    for index, alias in enumerate(ex.aliases):
        if (other := aliases.get(alias)) is not None and other is not loaded:
            yield (
                ("aliases", index),
                f"the old address '{alias}' is already claimed by {other.display}",
                "keep it in one exercise only",
            )
        elif alias.rstrip("/") in {f"exercises/{i}" for i in known_ids}:
            yield (
                ("aliases", index),
                f"'{alias}' is the address of an exercise",
                "an alias is an old address no page uses any more: remove it",
            )
        aliases.setdefault(alias, loaded)


def _located(
    loaded: LoadedFile, loc: tuple, message: str, hint: str, offset: int | None = None
) -> Problem:
    assert loaded.text is not None
    parsed = Parsed(loaded.text, yaml.compose(loaded.text, Loader=_BaseLoader), None)
    return _problem_at(loaded.display, parsed, loc, message, hint, offset)


def _problem_at(
    display: str, parsed: Parsed, loc: tuple, message: str, hint: str, offset: int | None = None
) -> Problem:
    """A problem at the node of ``loc`` (at ``offset`` inside its text, when given)."""
    node, key_path = _walk(parsed.root, loc)
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if offset is not None and isinstance(node, yaml.ScalarNode):
        line, column = _position_inside(parsed.text, node, offset)
    return Problem(display, line, column, key_path, message, hint)


def _problems_from_pydantic(
    display: str, parsed: Parsed, model: type[BaseModel], detail: dict
) -> list[Problem]:
    """One pydantic error → problems at the right place (several when one text holds
    several pieces of markup: each is told)."""
    loc = tuple(detail["loc"])
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    root = parsed.root
    if kind == "missing":
        # Reported at the parent mapping, naming the key that is missing.
        node, key_path = _walk(root, loc[:-1])
        message, hint = messages.explain(detail, key_path=_join(key_path, loc[-1]))
        return [_at_node(display, node, key_path, message, hint)]
    if kind == "union_tag_invalid":
        loc = (*loc, "type")  # point at the type itself, not at the field's first key
    if kind == "invalid_key" or loc[-1:] == ("[key]",):
        if loc[-1] == "[key]":
            loc = loc[:-1]
        parent, parent_path = _walk(root, loc[:-1])
        key_node = _key_node(parent, str(loc[-1])) or parent
        choices = (
            messages.choices_at(tuple(detail["loc"]), model) if kind == "literal_error" else None
        )
        message, hint = messages.explain(detail, key_path=parent_path, choices=choices)
        return [_at_node(display, key_node, parent_path, message, hint)]
    if kind == "extra_forbidden":
        # Reported at the unknown key itself.
        parent, parent_path = _walk(root, loc[:-1])
        key_node = _key_node(parent, loc[-1]) or parent
        allowed = messages.allowed_keys(loc[:-1], model)
        key_path = _join(parent_path, loc[-1])
        message, hint = messages.explain(detail, key_path=key_path, allowed=allowed)
        return [_at_node(display, key_node, key_path, message, hint)]
    if kind == "unsafe_markup" and "findings" in ctx:
        return [
            _problem_at(display, parsed, loc, message, hint, offset)
            for offset, message, hint in ctx["findings"]
        ]
    choices = messages.choices_at(loc, model) if kind == "literal_error" else None
    node, key_path = _walk(root, loc)
    message, hint = messages.explain(detail, key_path=key_path, choices=choices)
    return [_problem_at(display, parsed, loc, message, hint, ctx.get("offset"))]


def _at_node(display: str, node: yaml.Node, key_path: str, message: str, hint: str) -> Problem:
    mark = node.start_mark
    return Problem(display, mark.line + 1, mark.column + 1, key_path, message, hint)


def _position_inside(text: str, node: yaml.ScalarNode, offset: int) -> tuple[int, int]:
    """The line and column of ``offset`` (in the stripped value) in the source text."""
    fragment = node.value.strip()[offset : offset + 12].split("\n")[0]
    index = text.find(fragment, node.start_mark.index) if fragment else -1
    if index < 0 or (node.end_mark and index > node.end_mark.index):
        return node.start_mark.line + 1, node.start_mark.column + 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _walk(root: yaml.Node, loc: tuple) -> tuple[yaml.Node, str]:
    """Follow a pydantic location through the node tree as far as it exists.

    Returns the deepest node reached and its key path (``steps[0].minutes``).
    Discriminator tags that pydantic inserts (``…fields.0.long.lines``) are skipped.
    """
    node, path = root, ""
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            value = _value_node(node, part)
            if value is None:
                if part in FIELD_TYPES and _scalar_value(node, "type") == part:
                    continue
                break
            node, path = value, _join(path, part)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if not 0 <= part < len(node.value):
                break
            node, path = node.value[part], f"{path}[{part}]"
        else:
            break
    return node, path


def _path_to(root: yaml.Node, target: yaml.Node, path: str = "") -> str | None:
    if root is target:
        return path
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if (found := _path_to(value, target, _join(path, key.value))) is not None:
                return found
    elif isinstance(root, yaml.SequenceNode):
        for index, item in enumerate(root.value):
            if (found := _path_to(item, target, f"{path}[{index}]")) is not None:
                return found
    return None


def _value_node(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in reversed(mapping.value):
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            return value_node
    return None


def _key_node(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(mapping, yaml.MappingNode):
        for key_node, _ in mapping.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                return key_node
    return None


def _scalar_value(mapping: yaml.MappingNode, key: str) -> str | None:
    node = _value_node(mapping, key)
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _join(path: str, key: Any) -> str:
    return f"{path}.{key}" if path else str(key)


def display_path(path: Path, root: Path | None) -> str:
    """The path as messages show it: relative to ``root`` when inside it.
    (Plain string work: no file-system calls, as this runs for every file.)"""
    if root is not None:
        full, base = os.path.abspath(path), os.path.abspath(root)
        if full.startswith(base.rstrip(os.sep) + os.sep):
            return Path(full[len(base.rstrip(os.sep)) + 1 :]).as_posix()
    return path.as_posix()


_PATHWAY_WORDS = ("a pathway (id, title, summary, steps, …)", "playbook validate")


@dataclass
class Pathways:
    """The pathways of a folder, valid ones in file order, and every problem found."""

    pathways: list[Any]
    problems: list[Problem]
    sources: dict[str, Path] = field(default_factory=dict)


def load_pathways(
    folder: Path, *, settings: Settings, exercises: dict[str, Exercise], root: Path | None = None
) -> Pathways:
    """Every pathway file in ``folder`` (none when it does not exist), checked against the
    exercises they name."""
    found = Pathways([], [])
    if not folder.is_dir():
        return found
    seen: dict[str, str] = {}
    for path in find_exercise_files([folder]):
        display = display_path(path, root)
        problems: list[Problem] = []
        try:
            data, _ = _read_bounded(path)
        except OSError as error:
            found.problems.append(
                Problem(display, 0, 0, "", f"cannot read this file: {error.strerror or error}")
            )
            continue
        parsed = read_document(data, display, problems, what=_PATHWAY_WORDS)
        pathway = None
        if parsed is not None:
            pathway = validate_document(parsed, settings.pathway_model, display, problems)
        if pathway is not None:
            for loc, message, hint in rules.pathway_rules(pathway, path, exercises, seen):
                problems.append(_problem_at(display, parsed, loc, message, hint))
            seen.setdefault(pathway.id, display)
        found.problems += problems
        if pathway is not None and not problems:
            found.pathways.append(pathway)
            found.sources[pathway.id] = path
    found.problems.sort()
    return found
