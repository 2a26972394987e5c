"""The ``playbook`` command: thin click commands over the same functions as the plugin."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

import click
import jinja2

from .config import CONFIG_NAME, ConfigError, Settings, find_config, load_settings
from .generate import generate_pages, write_pages
from .loader import (
    display_path,
    find_exercise_files,
    load_library,
    load_pathways,
    parse_exercise,
)
from .messages import close_matches, suggest_slug
from .pdf import MAX_PAGES, PAPER_LABELS, PdfEngineMissing, PdfFailed, make_pdfs
from .problems import REPORTERS, in_github_actions, report
from .reference import published_config_schema, published_pathway_schema, published_schema
from .render import describe_template_error, make_environment
from .schema import SLUG_PATTERN

SCHEMA_PATH = Path("schema/exercise.schema.json")
CONFIG_SCHEMA_PATH = Path("schema/playbook.schema.json")
PATHWAY_SCHEMA_PATH = Path("schema/pathway.schema.json")
EXERCISES = Path("exercises")
PATHWAYS = Path("pathways")
TEMPLATES = Path("templates")

# A folder holding one of these was written by us, so we may replace it (and nothing else).
SITE_MARKER = ".playbook-site"
PAGES_MARKER = ".playbook-pages"
# Project folders no output folder may be, hold or sit in, beside those mkdocs.yml names
# (docs_dir, the plugin's exercises and templates folders, theme.custom_dir).
SOURCE_FOLDERS = (
    "exercises",
    "templates",
    "overrides",
    "schema",
    "playbook",
    "tests",
    "assets-src",
    "bench",
    ".git",
)


def _quiet_env() -> dict[str, str]:
    """Environment for MkDocs runs: without Material's end-of-life banner on every build."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="engagement-playbook")
def main() -> None:
    """Build and check the Engagement Playbook: exercises in YAML, rendered into a site."""


def config_option(function):
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help=f"The playbook's configuration: its vocabularies, required parts and licence "
        f"(default: {CONFIG_NAME} here or in the nearest folder above).",
    )(function)


def _settings(path: Path | None, output_format: str | None = None) -> Settings:
    """The configuration, or its problems printed (as ``validate --format`` says, else
    for GitHub under its Actions) and exit 1."""
    path = path or find_config(Path.cwd())
    try:
        return load_settings(path, root=Path.cwd())
    except ConfigError as error:
        output_format = output_format or ("github" if in_github_actions() else "text")
        click.echo(report(error.problems, output_format), err=output_format != "json")
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@config_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(REPORTERS)),
    default=lambda: "github" if in_github_actions() else "text",
    show_default="github inside GitHub Actions, else text",
    help="text: path:line:col lines for people; github: the same plus ::error annotations "
    "for the pull request; json: one object with a list of problems.",
)
def validate(paths: tuple[Path, ...], config_path: Path | None, output_format: str) -> None:
    """Check exercise files (default: everything in exercises/) and playbook.yml.

    Prints every problem in every file as path:line:col, and exits 1 if there is one.
    """
    settings = _settings(config_path, output_format)
    wanted = list(paths) or [EXERCISES]
    if not paths and not EXERCISES.is_dir():
        raise click.UsageError(f"no {EXERCISES}/ folder here: name the files to check")
    # Rules across files (unique ids, related ids) need the neighbours of a named file too.
    folders = {p if p.is_dir() else p.parent for p in wanted}
    library = load_library(sorted(folders | set(wanted)), settings=settings, root=Path.cwd())
    selected = {display_path(p, Path.cwd()) for p in find_exercise_files(wanted)}
    problems = [p for p in library.problems if p.path in selected]
    checked = f"{len(selected)} exercise file{'s' if len(selected) != 1 else ''}"
    if not paths and PATHWAYS.is_dir():
        exercises = {f.raw_id: f.exercise for f in library.files if f.raw_id}
        pathways = load_pathways(PATHWAYS, settings=settings, exercises=exercises, root=Path.cwd())
        problems += pathways.problems
        count = len(find_exercise_files([PATHWAYS]))
        checked += f" and {count} pathway{'s' if count != 1 else ''}"
    if problems:  # JSON is for programs: on standard output
        click.echo(report(problems, output_format), err=output_format != "json")
        sys.exit(1)
    click.echo('{"problems": []}' if output_format == "json" else f"{checked} OK.")


@main.command()
@click.argument("exercise_id")
@click.option("--title", help="The exercise's title (default: made from the id).")
@click.option(
    "--format",
    "format_",
    help="How people take part: one of playbook.yml's formats (default: its first).",
)
@click.option(
    "--audience",
    "audiences",
    multiple=True,
    help="Who it is for, from playbook.yml's audiences; repeat for several (default: its first).",
)
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=EXERCISES,
    show_default=True,
)
@config_option
def new(
    exercise_id: str,
    title: str | None,
    format_: str | None,
    audiences: tuple[str, ...],
    folder: Path,
    config_path: Path | None,
) -> None:
    """Start a new exercise file, exercises/EXERCISE_ID.yaml, that validates as it is.

    Every key is filled in with a placeholder and explained by a comment; replace the
    placeholders, then run 'playbook validate'.
    """
    if not re.fullmatch(SLUG_PATTERN, exercise_id):
        suggestion = suggest_slug(exercise_id)
        raise click.UsageError(
            f"'{exercise_id}' is not a valid id: use lowercase letters, digits and single "
            f"hyphens, e.g. '{suggestion or 'listen-to-the-end'}'"
        )
    if title is not None:
        title = _argument_text(title, "--title")
    settings = _settings(config_path)
    format_ = _one_of(format_ or next(iter(settings.formats)), settings.formats, "--format")
    audiences = tuple(_one_of(a, settings.audiences, "--audience") for a in audiences)
    target = folder / f"{exercise_id}.yaml"
    text = _scaffold(exercise_id, title, format_, audiences, folder, settings)
    # What is written must validate as it is: check it first (an over-long id or title,
    # say, would not), and say what to change instead of writing a broken file. This
    # comes before any look at the disk, which a 300-character file name would upset.
    checked = parse_exercise(
        text.encode(), path=target, display=target.as_posix(), settings=settings
    )
    if checked.problems:
        details = "\n".join(p.format() for p in checked.problems)
        raise click.UsageError(f"these options would make an invalid exercise:\n{details}")
    _write_new_file(target, text)
    _say_what_next(target, exercise_id)


def _scaffold(
    exercise_id: str,
    title: str | None,
    format_: str,
    audiences: tuple[str, ...],
    folder: Path,
    settings: Settings,
) -> str:
    """The commented exercise file ``playbook new`` writes."""
    schema_ref = os.path.relpath(SCHEMA_PATH, folder) if SCHEMA_PATH.exists() else SCHEMA_PATH
    title = title or exercise_id.replace("-", " ").capitalize()
    fmt = settings.formats[format_]
    return (
        make_environment(settings, None)
        .get_template("new_exercise.yaml.j2")
        .render(
            id=exercise_id,
            title=_yaml_string(title),
            today=dt.date.today().isoformat(),
            schema=Path(schema_ref).as_posix(),
            format=format_,
            people=(
                fmt.people.min,
                min(fmt.people.max, max(fmt.people.min, 2 if fmt.in_pairs else 1)),
            ),
            audiences=list(dict.fromkeys(audiences)) or [next(iter(settings.audiences))],
        )
    )


def _write_new_file(target: Path, text: str) -> None:
    """Write ``target``, never over a file or through a link; errors as one line."""
    folder = target.parent
    if os.path.lexists(target):
        what = "is a link to another file" if target.is_symlink() else "already exists"
        raise click.ClickException(f"{target} {what}; it was left as it is")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(
            f"cannot make the folder {folder}: {error.strerror}; choose another --folder"
        ) from None
    try:
        # "x": never through a link, never over a file that appeared meanwhile.
        with open(target, "x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        raise click.ClickException(f"{target} already exists; it was left as it is") from None
    except OSError as error:
        raise click.ClickException(
            f"cannot write {target}: {error.strerror}; choose another --folder"
        ) from None


def _say_what_next(target: Path, exercise_id: str) -> None:
    playbook = ".venv/bin/playbook" if Path(".venv/bin/playbook").exists() else "playbook"
    serve = "./dev serve" if Path("dev").is_file() else f"{playbook} serve"
    click.echo(f"Created {target}; it validates as it is.")
    click.echo("Next:")
    click.echo(f"  1. Write it:   replace every placeholder in {target} (each key has a comment)")
    click.echo(f"  2. Check it:   {playbook} validate {target}")
    click.echo(
        f"  3. See it:     {serve}, then open http://127.0.0.1:8000/exercises/{exercise_id}/"
    )
    click.echo(
        "  4. Finish it:  delete 'draft: true' and add its id to the 'related' list of "
        "another exercise"
    )
    click.echo(f"  5. Propose it: commit {target} and open a pull request (see CONTRIBUTING.md)")


def suggest_close(value: str, choices: list[str]) -> str | None:
    close = close_matches(value, choices)
    return close[0] if close else None


def _one_of(value: str, allowed: dict, option: str) -> str:
    if value not in allowed:
        close = suggest_close(value, list(allowed))
        raise click.UsageError(
            f"{option} '{value}' is not one of this playbook's: {', '.join(allowed)}"
            + (f" (did you mean '{close}'?)" if close else "")
        )
    return value


def _argument_text(value: str, option: str) -> str:
    """A command-line value as the characters typed: outside a UTF-8 locale Python hands
    the bytes over as surrogate escapes, which would be written as nonsense."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        raise click.UsageError(
            f"{option} is not UTF-8 text; set a UTF-8 locale (e.g. LC_ALL=C.UTF-8) and try again"
        ) from None


# Control and line-break characters: YAML reads them only as escapes.
_YAML_UNPRINTABLE = re.compile(
    r"[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _yaml_string(text: str) -> str:
    """A double-quoted YAML scalar that holds ``text`` with its real characters (JSON's
    ``\\ud83d\\ude00`` pairs for an emoji would read back as two broken halves)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _os_reason(error: OSError) -> str:
    """An OSError in a few words: ``Permission denied: site/assets``."""
    reason = error.strerror or str(error)
    return f"{reason}: {error.filename}" if error.filename else reason


def _os_hint(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "; make it writable or choose another --site-dir"
    if error.errno == errno.ENOSPC:
        return "; free some disk space and build again"
    return ""


@main.command()
@click.option("--output", type=click.Path(path_type=Path), default=SCHEMA_PATH, show_default=True)
@click.option(
    "--config-output",
    type=click.Path(path_type=Path),
    default=CONFIG_SCHEMA_PATH,
    show_default=True,
    help="Where the JSON Schema of playbook.yml goes.",
)
@click.option("--check", is_flag=True, help="Exit 1 if a file is missing or out of date.")
@config_option
def schema(output: Path, config_output: Path, check: bool, config_path: Path | None) -> None:
    """Write the JSON Schemas of an exercise, a pathway and playbook.yml (for editors)."""
    settings = _settings(config_path)
    stale = False
    for path, text in (
        (output, published_schema(settings)),
        (output.parent / PATHWAY_SCHEMA_PATH.name, published_pathway_schema(settings)),
        (config_output, published_config_schema()),
    ):
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check:
            if current != text:
                click.echo(f"{path} is out of date: run 'playbook schema' and commit it.", err=True)
                stale = True
            else:
                click.echo(f"{path} is up to date.")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {path}.")
    if stale:
        sys.exit(1)


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--exercises", type=click.Path(exists=True, path_type=Path), default=EXERCISES)
@click.option("--templates", type=click.Path(path_type=Path), default=TEMPLATES)
@config_option
def generate(out_dir: Path, exercises: Path, templates: Path, config_path: Path | None) -> None:
    """Write the generated Markdown pages to OUT_DIR (for engines other than MkDocs).

    OUT_DIR must be new, empty, or a folder this command wrote before: it never writes
    over files it did not make.
    """
    try:
        ours = _may_write_into(out_dir, PAGES_MARKER)
    except OSError as error:
        raise click.ClickException(f"cannot read {out_dir}: {error.strerror}") from None
    if not ours:
        raise click.UsageError(
            f"{out_dir} is not a folder written by playbook generate; "
            "choose a new or empty folder, or remove it yourself"
        )
    settings = _settings(config_path)
    library = load_library([exercises], settings=settings, root=Path.cwd())
    if not library.ok:
        click.echo(report(library.problems), err=True)
        sys.exit(1)
    pathways = load_pathways(
        PATHWAYS,
        settings=settings,
        exercises={ex.id: ex for ex in library.exercises},
        root=Path.cwd(),
    )
    if pathways.problems:
        click.echo(report(pathways.problems), err=True)
        sys.exit(1)
    try:
        pages = generate_pages(
            library.exercises, make_environment(settings, templates), pathways=pathways.pathways
        )
    except jinja2.TemplateError as error:
        click.echo(describe_template_error(error, Path.cwd()), err=True)
        sys.exit(1)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / PAGES_MARKER).write_text(_marker_text("playbook generate"), encoding="utf-8")
        write_pages(pages, out_dir)
    except OSError as error:
        raise click.ClickException(f"cannot write the pages: {_os_reason(error)}") from None
    click.echo(f"Wrote {len(pages)} pages to {out_dir}.")


def _marker_text(command: str) -> str:
    return f"Written by {command}, which may replace this folder's contents.\n"


def _may_write_into(folder: Path, marker: str) -> bool:
    """True for a folder that is missing, empty, or marked as ours."""
    if not folder.exists():
        return True
    return (folder / marker).is_file() or not any(folder.iterdir())


@main.command("import")
@click.argument("source", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=EXERCISES, show_default=True)
@click.option("--audience", "audiences", multiple=True, help="Who the methods are for (repeat).")
@click.option("--format", "formats", multiple=True, help="How people take part (repeat).")
@click.option(
    "--aliases",
    help="The methods' old addresses, kept as aliases: e.g. '{category}/{stem}/' "
    "({stem} is the file name, {category} the front matter's category).",
)
@config_option
def import_command(
    source: Path,
    out: Path,
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    aliases: str | None,
    config_path: Path | None,
) -> None:
    """Convert a folder of Markdown methods (front matter and sections) into exercises.

    Reports, method by method, what it changed on the way and what it could not map;
    never overwrites a file. Exits 1 when a written file does not validate yet.
    """
    from .importer import convert_folder
    from .importer import report as conversion_report

    settings = _settings(config_path)
    audience_ids = [_one_of(a, settings.audiences, "--audience") for a in audiences]
    format_ids = [_one_of(f, settings.formats, "--format") for f in formats]
    results = convert_folder(
        source,
        out,
        settings=settings,
        audiences=audience_ids or [next(iter(settings.audiences))],
        formats=format_ids or [next(iter(settings.formats))],
        aliases=aliases,
    )
    click.echo(conversion_report(results))
    if any(r.problems for r in results):
        sys.exit(1)


@main.command()
@click.option(
    "-f", "--config-file", type=click.Path(exists=True, path_type=Path), default=Path("mkdocs.yml")
)
@click.option("-d", "--site-dir", type=click.Path(path_type=Path), default=Path("site"))
@click.option("--strict/--no-strict", default=True, show_default=True)
@click.option("--pdf", is_flag=True, help="Also make the PDF worksheets (see 'playbook pdf').")
def build(config_file: Path, site_dir: Path, strict: bool, pdf: bool) -> None:
    """Build the site into SITE_DIR; on failure the previous site is left as it was.

    MkDocs builds into a fresh folder beside SITE_DIR, which replaces SITE_DIR only
    when the build succeeded.
    """
    sys.exit(build_site(config_file, site_dir, strict=strict, pdf=pdf))


class BuildRefused(Exception):
    """A reason not to build (said in one line); ``code`` is the exit code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True, pdf: bool = False) -> int:
    """Build into a staging folder beside ``site_dir`` and swap it in on success.

    Only ever replaces or removes a folder that holds a site built here (``SITE_MARKER``),
    never one holding or inside the project's sources; one build at a time per folder.
    """
    shown = site_dir
    try:
        site_dir = site_dir.resolve()
        _refuse_source_folder(shown, site_dir, config_file)
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with _build_lock(site_dir):
            return _build_locked(config_file, site_dir, strict=strict, pdf=pdf)
    except BuildRefused as refused:
        click.echo(f"Build refused: {refused}", err=True)
        return refused.code
    except OSError as error:
        click.echo(f"Build failed: {_os_reason(error)}{_os_hint(error)}.", err=True)
        return 1


def _check_replaceable(site_dir: Path, staging: Path, old: Path) -> None:
    """Refuse a site folder the build may not replace; clear our own leftovers."""
    if site_dir.exists() and not site_dir.is_dir():
        raise BuildRefused(f"{site_dir} is a file; choose another --site-dir", code=2)
    if not _is_our_site(site_dir):
        raise BuildRefused(
            f"{site_dir} is not a site built by playbook build; "
            "choose another --site-dir or remove it yourself",
            code=2,
        )
    for leftover in (staging, old):  # from an interrupted build
        _remove_our_folder(leftover)
    if locked := _read_only_part(site_dir):
        raise BuildRefused(
            f"{site_dir} cannot be replaced: {locked} is read-only; "
            f"make it writable (chmod -R u+w {site_dir}) or choose another --site-dir"
        )


def _build_locked(config_file: Path, site_dir: Path, *, strict: bool, pdf: bool) -> int:
    staging = site_dir.with_name(f".{site_dir.name}-building")
    old = site_dir.with_name(f".{site_dir.name}-old")
    _check_replaceable(site_dir, staging, old)
    staging.mkdir()
    # Before MkDocs writes anything: a build stopped half-way leaves a folder we may remove.
    # (MkDocs never cleans out hidden files, so the marker stays.)
    (staging / SITE_MARKER).write_text(_marker_text("playbook build"), encoding="utf-8")
    # Not -q: it would hide the warnings that --strict counts.
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-f",
        str(config_file),
        "-d",
        str(staging),
    ]
    if strict:
        command.append("--strict")
    result = subprocess.run(command, env=_quiet_env(), capture_output=True, text=True)
    output = "\n".join(s for s in (result.stdout.strip(), result.stderr.strip()) if s)
    if result.returncode != 0 or not (staging / "index.html").exists():
        shutil.rmtree(staging)
        click.echo(_clean_mkdocs_output(output), err=True)
        return _failed(site_dir)
    if noteworthy := _clean_mkdocs_output(output, keep_info=False):
        click.echo(noteworthy, err=True)
    if pdf and not write_pdfs(staging):
        shutil.rmtree(staging)
        return _failed(site_dir)
    return _swap_in(staging, site_dir, old)


def _swap_in(staging: Path, site_dir: Path, old: Path) -> int:
    """Put the new site in place of the old one, which is removed only afterwards."""
    try:
        if site_dir.exists():
            site_dir.rename(old)
        staging.rename(site_dir)
    except OSError as error:
        if old.exists() and not site_dir.exists():
            old.rename(site_dir)
        shutil.rmtree(staging, ignore_errors=True)
        click.echo(f"Cannot put the new site in place: {_os_reason(error)}.", err=True)
        return _failed(site_dir)
    try:
        if old.exists():
            shutil.rmtree(old)
    except OSError as error:
        click.echo(
            f"Built the site in {site_dir}, but the previous site, moved to {old}, could not "
            f"be removed ({_os_reason(error)}); remove it yourself.",
            err=True,
        )
        return 1
    click.echo(f"Built the site in {site_dir}.")
    return 0


def _failed(site_dir: Path) -> int:
    kept = "kept as it was" if site_dir.exists() else "not created"
    click.echo(f"Build failed; {site_dir} was {kept}.", err=True)
    return 1


def _is_our_site(folder: Path) -> bool:
    """True for a missing or empty folder, or one holding a site built here.

    Sites built before the marker existed, and sites from a plain ``mkdocs build``
    (which ``mkdocs serve`` users and the tests run into ``site/``), have no marker: a
    folder with MkDocs' ``index.html`` and its ``sitemap.xml`` or search index is taken
    for one, and carries the marker from its next build on. No source folder of the
    project looks like that, and the source folders are refused before this anyway.
    """
    if not folder.exists():
        return True
    if (folder / SITE_MARKER).is_file() or not any(folder.iterdir()):
        return True
    return (folder / "index.html").is_file() and (
        (folder / "sitemap.xml").is_file() or (folder / "search" / "search_index.json").is_file()
    )


def _remove_our_folder(folder: Path) -> None:
    """Remove a staging folder left by an earlier build; refuse one that is not ours."""
    if not folder.exists():
        return
    if not folder.is_dir() or not _is_our_site(folder):
        raise BuildRefused(
            f"{folder} is in the way and was not made by playbook build; "
            "move or remove it yourself, then build again"
        )
    if locked := _read_only_part(folder):
        raise BuildRefused(
            f"{folder}, left by an earlier build, cannot be removed: {locked} is read-only; "
            f"remove it yourself (chmod -R u+w {folder}; rm -r {folder})"
        )
    shutil.rmtree(folder)


def _read_only_part(folder: Path) -> Path | None:
    """A folder under ``folder`` (or itself) whose entries we could not remove."""
    if not folder.is_dir():
        return None
    for current, _dirs, _files in os.walk(folder):
        if not os.access(current, os.W_OK | os.X_OK):
            return Path(current)
    return None


def _refuse_source_folder(shown: Path, site_dir: Path, config_file: Path) -> None:
    """Refuse a site folder that is, holds or sits inside the project's sources."""
    root = config_file.resolve().parent
    if site_dir == root or site_dir in root.parents:
        raise BuildRefused(
            f"--site-dir {shown} holds the project itself ({config_file.name} and its sources), "
            "which the build would replace; choose a folder of its own, e.g. site",
            code=2,
        )
    for source in _source_folders(config_file, root):
        if site_dir == source or source in site_dir.parents or site_dir in source.parents:
            where = {
                site_dir == source: "is",
                source in site_dir.parents: "sits inside",
                site_dir in source.parents: "holds",
            }[True]
            raise BuildRefused(
                f"--site-dir {shown} {where} {_relative(source, root)}/, one of the project's "
                "sources; the site needs a folder of its own, outside them, e.g. site",
                code=2,
            )


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if root in path.parents else str(path)


def _source_folders(config_file: Path, root: Path) -> list[Path]:
    """The project's source folders: those mkdocs.yml names, and ``SOURCE_FOLDERS``.

    Read with MkDocs' own YAML loader (mkdocs.yml uses ``!ENV``), without validating the
    config: a config MkDocs will refuse still names the folders to protect.
    """
    from mkdocs.exceptions import MkDocsException  # here: the generator runs without MkDocs
    from mkdocs.utils.yaml import yaml_load

    try:
        with config_file.open("rb") as file:
            config = yaml_load(file)
    except (OSError, MkDocsException):
        config = {}
    if not isinstance(config, dict):
        config = {}
    named = [config.get("docs_dir", "docs")]
    if isinstance(theme := config.get("theme"), dict):
        named.append(theme.get("custom_dir"))
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs takes a mapping of name to options too
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else []:
        if isinstance(entry, dict) and "playbook" in entry:
            options = entry["playbook"] if isinstance(entry["playbook"], dict) else {}
        elif entry == "playbook":
            options = {}
        else:
            continue
        named += [options.get("exercises", "exercises"), options.get("templates")]
    named += SOURCE_FOLDERS
    return [(root / name).resolve() for name in dict.fromkeys(named) if isinstance(name, str)]


@contextlib.contextmanager
def _build_lock(site_dir: Path) -> typing.Iterator[None]:
    """Hold ``.SITE.lock`` beside the site folder for the build: a second build fails at
    once with the first one's process id, instead of both writing the same folders."""
    if fcntl is None:  # not on POSIX: no lock
        yield
        return
    path = site_dir.with_name(f".{site_dir.name}.lock")
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 20).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BuildRefused(
                f"another build into {site_dir} is running (pid {holder}); wait for it or stop it"
            ) from None
        # The holder before us removes the file as it finishes: lock the file that is there.
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(fd), os.stat(path)):
                break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _clean_mkdocs_output(output: str, *, keep_info: bool = True) -> str:
    """MkDocs' own log, without the level prefixes that make a problem list hard to read,
    and with a Python traceback cut down to its last line (``OSError: …``, the reason)."""
    kept = []
    for ln in _without_tracebacks(output.splitlines()):
        if not keep_info and ln.startswith("INFO"):
            continue
        ln = re.sub(r"^(ERROR|WARNING|INFO)\s+-\s+", "", ln)
        if ln.strip() and not ln.startswith("Aborted with"):
            kept.append(ln)
    return "\n".join(kept)


_CHAINED = ("During handling of the above exception", "The above exception was the direct")


def _without_tracebacks(lines: list[str]) -> list[str]:
    """Each traceback replaced by its exception line; of a chain, the last one only."""
    kept: list[str] = []
    inside = False
    last_reason = replaced = None
    for ln in lines:
        if ln.startswith("Traceback (most recent call last):"):
            inside = True
        elif inside and (ln.startswith((" ", "\t")) or not ln.strip()):
            pass  # a frame, its source line, or the ^^^ under it
        elif inside:
            inside = False
            if replaced is not None:
                del kept[replaced]
                replaced = None
            last_reason = len(kept)
            kept.append(ln)
        elif ln.startswith(_CHAINED) and last_reason is not None:
            replaced = last_reason
        else:
            kept.append(ln)
    return kept


@main.command("pdf")
@click.option(
    "-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site")
)
def pdf_command(site_dir: Path) -> None:
    """Make PDF worksheets from the built site in SITE_DIR and link them from its pages.

    One PDF per exercise (participant version) in SITE_DIR/pdf/a4/ and SITE_DIR/pdf/letter/,
    and a one-on-one pack in each. Needs Playwright and Chromium.
    """
    if not (site_dir / "index.html").exists():
        raise click.UsageError(f"{site_dir} is not a built site: run 'playbook build' first")
    sys.exit(0 if write_pdfs(site_dir) else 1)


def write_pdfs(site_dir: Path) -> bool:
    """Make the PDFs and link them; False (having said why) when there is no PDF engine."""
    try:
        made = make_pdfs(site_dir)
    except PdfEngineMissing as error:
        click.echo(f"No PDFs: {error}", err=True)
        return False
    except PdfFailed as error:
        click.echo(f"No PDFs (the previous ones and their links were kept): {error}", err=True)
        return False
    for paper, ex_id, count in made.too_long():
        click.echo(
            f"warning: {ex_id} prints on {count} pages of {PAPER_LABELS[paper]} "
            f"(a worksheet should fit on {MAX_PAGES})",
            err=True,
        )
    count = sum(len(counts) for counts in made.pages.values())
    click.echo(f"Wrote {count} PDFs (A4 and US Letter) into the site's pdf/ folder.")
    return True


@main.command()
@click.option(
    "-f", "--config-file", type=click.Path(exists=True, path_type=Path), default=Path("mkdocs.yml")
)
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True)
def serve(config_file: Path, dev_addr: str) -> None:
    """Serve the site with live reload (exercises/ and templates/ are watched)."""
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", dev_addr]
    # mkdocs.yml reads site_url from PLAYBOOK_SITE_URL: pointing it at the local address
    # serves the site at / instead of under the hosted site's path.
    env = {"PLAYBOOK_SITE_URL": f"http://{dev_addr}/", **_quiet_env()}
    # MkDocs takes this process's place: stopping it (Ctrl+C, kill PID) stops the server,
    # with no child left answering on the port.
    os.execve(sys.executable, command, env)


if __name__ == "__main__":
    main()
