"""The ``playbook`` command: thin click commands over the same functions as the plugin."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import click

from .generate import generate_pages, write_pages
from .loader import display_path, find_exercise_files, load_library, parse_exercise
from .messages import suggest_slug
from .pdf import MAX_PAGES, PAPER_LABELS, PdfEngineMissing, PdfFailed, make_pdfs
from .problems import report
from .reference import published_schema
from .render import make_environment
from .schema import SLUG_PATTERN, Audience, Format

SCHEMA_PATH = Path("schema/exercise.schema.json")
EXERCISES = Path("exercises")
TEMPLATES = Path("templates")


def _quiet_env() -> dict[str, str]:
    """Environment for MkDocs runs: without Material's end-of-life banner on every build."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="engagement-playbook")
def main() -> None:
    """Build and check the Engagement Playbook: exercises in YAML, rendered into a site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check exercise files (default: everything in exercises/).

    Prints every problem in every file as path:line:col, and exits 1 if there is one.
    Inside GitHub Actions it also prints ::error annotations for the pull request.
    """
    wanted = list(paths) or [EXERCISES]
    missing = [p for p in wanted if not p.exists()]
    if missing:
        raise click.UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    # Rules across files (unique ids, related ids) need the neighbours of a named file too.
    folders = {p if p.is_dir() else p.parent for p in wanted}
    library = load_library(sorted(folders | set(wanted)), root=Path.cwd())
    selected = {display_path(p, Path.cwd()) for p in find_exercise_files(wanted)}
    problems = [p for p in library.problems if p.path in selected]
    if problems:
        click.echo(report(problems), err=True)
        sys.exit(1)
    click.echo(f"{len(selected)} exercise file{'s' if len(selected) != 1 else ''} OK.")


@main.command()
@click.argument("exercise_id")
@click.option("--title", help="The exercise's title (default: made from the id).")
@click.option(
    "--format",
    "format_",
    type=click.Choice(typing.get_args(Format)),
    default="solo",
    show_default=True,
    help="How many people take part.",
)
@click.option(
    "--audience",
    "audiences",
    type=click.Choice(typing.get_args(Audience)),
    multiple=True,
    help="Who it is for; repeat for several (default: seller).",
)
@click.option("--folder", type=click.Path(path_type=Path), default=EXERCISES, show_default=True)
def new(
    exercise_id: str,
    title: str | None,
    format_: str,
    audiences: tuple[str, ...],
    folder: Path,
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
    target = folder / f"{exercise_id}.yaml"
    if target.exists():
        raise click.ClickException(f"{target} already exists; it was left as it is")
    schema_ref = os.path.relpath(SCHEMA_PATH, folder) if SCHEMA_PATH.exists() else SCHEMA_PATH
    title = title or exercise_id.replace("-", " ").capitalize()
    text = (
        make_environment(None)
        .get_template("new_exercise.yaml.j2")
        .render(
            id=exercise_id,
            title=json.dumps(title),
            today=dt.date.today().isoformat(),
            schema=Path(schema_ref).as_posix(),
            format=format_,
            audiences=list(dict.fromkeys(audiences)) or ["seller"],
        )
    )
    # What is written must validate as it is: check it first (an over-long id or title,
    # say, would not), and say what to change instead of writing a broken file.
    checked = parse_exercise(text.encode(), path=target, display=target.as_posix())
    if checked.problems:
        details = "\n".join(p.format() for p in checked.problems)
        raise click.UsageError(f"these options would make an invalid exercise:\n{details}")
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    playbook = ".venv/bin/playbook" if Path(".venv/bin/playbook").exists() else "playbook"
    serve = "./dev serve" if Path("dev").is_file() else f"{playbook} serve"
    click.echo(f"Created {target}; it validates as it is.")
    click.echo("Next:")
    click.echo(f"  1. Write it:   replace every placeholder in {target} (each key has a comment)")
    click.echo(f"  2. Check it:   {playbook} validate {target}")
    click.echo(
        f"  3. See it:     {serve}, then open http://127.0.0.1:8000/exercises/{exercise_id}/"
    )
    click.echo(f"  4. Propose it: commit {target} and open a pull request (see CONTRIBUTING.md)")


@main.command()
@click.option("--output", type=click.Path(path_type=Path), default=SCHEMA_PATH, show_default=True)
@click.option("--check", is_flag=True, help="Exit 1 if the file is missing or out of date.")
def schema(output: Path, check: bool) -> None:
    """Write the JSON Schema of an exercise (for editor completion)."""
    text = published_schema()
    current = output.read_text(encoding="utf-8") if output.exists() else None
    if check:
        if current != text:
            click.echo(f"{output} is out of date: run 'playbook schema' and commit it.", err=True)
            sys.exit(1)
        click.echo(f"{output} is up to date.")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    click.echo(f"Wrote {output}.")


@main.command()
@click.argument("out_dir", type=click.Path(path_type=Path))
@click.option("--exercises", type=click.Path(exists=True, path_type=Path), default=EXERCISES)
@click.option("--templates", type=click.Path(path_type=Path), default=TEMPLATES)
def generate(out_dir: Path, exercises: Path, templates: Path) -> None:
    """Write the generated Markdown pages to OUT_DIR (for engines other than MkDocs)."""
    library = load_library([exercises], root=Path.cwd())
    if not library.ok:
        click.echo(report(library.problems), err=True)
        sys.exit(1)
    pages = generate_pages(library.exercises, make_environment(templates))
    write_pages(pages, out_dir)
    click.echo(f"Wrote {len(pages)} pages to {out_dir}.")


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


def build_site(config_file: Path, site_dir: Path, *, strict: bool = True, pdf: bool = False) -> int:
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(f".{site_dir.name}-building")
    shutil.rmtree(staging, ignore_errors=True)
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
        shutil.rmtree(staging, ignore_errors=True)
        click.echo(_clean_mkdocs_output(output), err=True)
        kept = "kept as it was" if site_dir.exists() else "not created"
        click.echo(f"Build failed; {site_dir} was {kept}.", err=True)
        return 1
    if noteworthy := _clean_mkdocs_output(output, keep_info=False):
        click.echo(noteworthy, err=True)
    if pdf and not write_pdfs(staging):
        shutil.rmtree(staging, ignore_errors=True)
        kept = "kept as it was" if site_dir.exists() else "not created"
        click.echo(f"Build failed; {site_dir} was {kept}.", err=True)
        return 1
    old = site_dir.with_name(f".{site_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    click.echo(f"Built the site in {site_dir}.")
    return 0


def _clean_mkdocs_output(output: str, *, keep_info: bool = True) -> str:
    """MkDocs' own log, without the level prefixes that make a problem list hard to read."""
    kept = []
    for ln in output.splitlines():
        if not keep_info and ln.startswith("INFO"):
            continue
        ln = re.sub(r"^(ERROR|WARNING|INFO)\s+-\s+", "", ln)
        if ln.strip() and not ln.startswith("Aborted with"):
            kept.append(ln)
    return "\n".join(kept)


@main.command("pdf")
@click.option("-d", "--site-dir", type=click.Path(path_type=Path), default=Path("site"))
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
    try:
        sys.exit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
