"""Hostile input and data safety: the commands never delete or write through what is not
theirs, and a user's mistake or a failing disk is one clear line, never a traceback.

Every destructive case runs in a copy of the project in a temporary folder, and checks
that the copy's sources are all still there afterwards.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import PROJECT_PARTS, copy_project, run_mkdocs_build

from playbook import cli
from playbook.cli import main

SITE_MARKER = ".playbook-site"

SAMPLE = (Path(__file__).parent / "golden" / "bands-gap" / "sample.yaml").read_text(
    encoding="utf-8"
)
SAMPLE = SAMPLE.replace("    - min: 3", "    - min: 2")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A small copy of the project (one exercise), with a .git folder and the package
    and test folders' names, as the current folder."""
    project = copy_project(tmp_path / "p", exercises={"sample.yaml": SAMPLE})
    for name in (".git", "tests", "bench"):
        (project / name).mkdir()
        (project / name / "keep.txt").write_text("mine\n", encoding="utf-8")
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return project


def sources(project: Path) -> dict[str, bytes]:
    """Every source file of the project copy and its bytes."""
    files = {}
    for part in (*PROJECT_PARTS, ".git", "tests", "bench"):
        path = project / part
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file():
                files[file.relative_to(project).as_posix()] = file.read_bytes()
    return files


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_one_clear_line(output: str, *fragments: str) -> None:
    assert "Traceback" not in output, output
    assert 'File "' not in output, output
    for fragment in fragments:
        assert fragment in output, output


# --- playbook build: where it may write ---------------------------------------------


@pytest.mark.parametrize(
    ("site_dir", "fragment"),
    [
        (".", "holds the project itself"),
        ("..", "holds the project itself"),
        ("exercises", "is exercises/, one of the project's sources"),
        ("content", "is content/, one of the project's sources"),
        ("templates", "is templates/"),
        ("overrides", "is overrides/"),
        ("schema", "is schema/"),
        ("tests", "is tests/"),
        (".git", "is .git/"),
        ("content/site", "sits inside content/"),
        ("exercises/new/site", "sits inside exercises/"),
    ],
)
def test_build_refuses_the_project_and_its_sources(project, site_dir, fragment):
    before = sources(project)
    result = run("build", "-d", site_dir)
    assert result.exit_code == 2
    assert_one_clear_line(result.output, "Build refused: --site-dir", fragment)
    assert "a folder of its own" in result.output
    assert sources(project) == before
    assert not list(project.parent.glob(".*-building")) + list(project.glob(".*-building"))


def test_build_reads_the_source_folders_from_mkdocs_yml(project):
    """docs_dir, the plugin's folders and theme.custom_dir are the config's, not fixed names."""
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content", "docs_dir: pages")
    config = config.replace("custom_dir: overrides", "custom_dir: theme-parts")
    config = config.replace("exercises: exercises", "exercises: library")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    for folder in ("pages", "theme-parts", "library"):
        result = run("build", "-d", folder)
        assert result.exit_code == 2, result.output
        assert f"is {folder}/, one of the project's sources" in result.output


def test_build_refuses_a_folder_it_did_not_build(project):
    (project / "notes").mkdir()
    (project / "notes" / "todo.txt").write_text("mine\n", encoding="utf-8")
    result = run("build", "-d", "notes")
    assert result.exit_code == 2
    assert_one_clear_line(
        result.output,
        "notes is not a site built by playbook build; "
        "choose another --site-dir or remove it yourself",
    )
    assert (project / "notes" / "todo.txt").read_text(encoding="utf-8") == "mine\n"


def test_build_refuses_a_file_as_site_dir(project):
    result = run("build", "-d", "mkdocs.yml/..")  # resolves to the project: refused
    assert result.exit_code == 2
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    result = run("build", "-d", "notes.txt")
    assert result.exit_code == 2
    assert_one_clear_line(result.output, "notes.txt is a file")
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_build_marks_its_sites_and_replaces_only_them(project):
    (project / "out").mkdir()  # an empty folder is fine
    first = run("build", "-d", "out")
    assert first.exit_code == 0, first.output
    assert (project / "out" / SITE_MARKER).is_file()
    assert (project / "out" / "index.html").is_file()
    again = run("build", "-d", "out")
    assert again.exit_code == 0, again.output
    assert (project / "out" / SITE_MARKER).is_file()
    assert not list(project.glob(".out*")), "no staging folder or lock file is left"


def test_build_replaces_a_site_from_plain_mkdocs_build(project):
    """A site built before the marker existed (or by 'mkdocs build') is taken for ours."""
    assert run_mkdocs_build(project, project / "site").returncode == 0
    assert not (project / "site" / SITE_MARKER).exists()
    result = run("build")
    assert result.exit_code == 0, result.output
    assert (project / "site" / SITE_MARKER).is_file()


def test_build_removes_only_its_own_leftovers(project):
    stale = project / ".site-building"  # from a build that was stopped half-way
    stale.mkdir()
    (stale / SITE_MARKER).write_text("", encoding="utf-8")
    (stale / "half.html").write_text("", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert not stale.exists()

    foreign = project / ".site-old"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("mine\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(
        result.output, ".site-old is in the way and was not made by playbook build"
    )
    assert (foreign / "mine.txt").read_text(encoding="utf-8") == "mine\n"
    assert (project / "site" / "index.html").is_file()


# --- playbook build: failures clean up and say why in one line ----------------------


def test_a_second_build_at_once_is_refused_with_the_first_ones_pid(project):
    lock = project / ".site.lock"
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.write("4242")
        held.flush()
        result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(
        result.output, "another build into", "is running (pid 4242); wait for it or stop it"
    )
    assert "Built" not in result.output
    assert not (project / "site").exists()
    assert not (project / ".site-building").exists()


def test_a_read_only_site_is_refused_before_building(project, monkeypatch):
    assert run("build").exit_code == 0
    before = (project / "site" / "index.html").read_bytes()
    read_only = project / "site" / "assets"
    real_access = os.access
    monkeypatch.setattr(  # as if chmod 555: root may write anywhere, so pretend
        cli.os, "access", lambda path, mode: Path(path) != read_only and real_access(path, mode)
    )
    result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(
        result.output, f"{read_only} is read-only", "chmod -R u+w", "or choose another --site-dir"
    )
    assert (project / "site" / "index.html").read_bytes() == before
    assert not list(project.glob(".site*")), "nothing is left beside the site"


def test_an_old_site_that_cannot_be_removed_is_reported_then_cleaned_up(project, monkeypatch):
    assert run("build").exit_code == 0
    real_rmtree = cli.shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if Path(path).name == ".site-old":
            raise PermissionError(13, "Permission denied", str(Path(path) / "assets"))
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(cli.shutil, "rmtree", rmtree)
    result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(
        result.output, "could not be removed (Permission denied:", "remove it yourself"
    )
    assert (project / "site" / "index.html").is_file()
    assert (project / ".site-old").is_dir()
    monkeypatch.setattr(cli.shutil, "rmtree", real_rmtree)
    result = run("build")  # the next build removes what it left
    assert result.exit_code == 0, result.output
    assert not list(project.glob(".site-*"))


def test_a_rename_that_fails_keeps_the_previous_site(project, monkeypatch):
    assert run("build").exit_code == 0
    before = (project / "site" / "index.html").read_bytes()
    real_rename = Path.rename

    def rename(self, target):
        if self.name == ".site-building":
            raise OSError(28, "No space left on device", str(target))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(result.output, "No space left on device", "was kept as it was")
    assert (project / "site" / "index.html").read_bytes() == before
    assert not list(project.glob(".site-*"))


def test_a_site_folder_whose_parent_cannot_be_written_is_one_line(project, monkeypatch):
    """As with chmod 555 on the parent folder (pretended: root may write anywhere)."""
    real_open = os.open

    def deny_lock(path, *args, **kwargs):
        if Path(path).name == ".site.lock":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cli.os, "open", deny_lock)
    result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(
        result.output,
        "Build failed: Permission denied: ",
        ".site.lock; make it writable or choose another --site-dir.",
    )
    assert not list(project.glob(".site*")) and not (project / "site").exists()


def test_an_os_error_inside_mkdocs_is_shown_as_its_last_line(project):
    (project / "boom.py").write_text(
        "def on_post_build(config):\n"
        "    raise OSError(28, 'No space left on device', config.site_dir + '/x')\n",
        encoding="utf-8",
    )
    with (project / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - boom.py\n")
    result = run("build")
    assert result.exit_code == 1
    assert_one_clear_line(
        result.output, "OSError: [Errno 28] No space left on device", "was not created"
    )
    assert not list(project.glob(".site*"))


def test_tracebacks_in_mkdocs_output_become_their_last_line():
    output = "\n".join(
        [
            "INFO    -  Building documentation",
            "Traceback (most recent call last):",
            '  File "x.py", line 1, in <module>',
            "    open(path)",
            "    ^^^^^^^^^^",
            "FileNotFoundError: [Errno 2] No such file or directory: 'a'",
            "",
            "During handling of the above exception, another exception occurred:",
            "",
            "Traceback (most recent call last):",
            '  File "y.py", line 2, in <module>',
            "OSError: [Errno 28] No space left on device: 'b'",
        ]
    )
    assert cli._clean_mkdocs_output(output) == (
        "Building documentation\nOSError: [Errno 28] No space left on device: 'b'"
    )


# --- playbook new ---------------------------------------------------------------------


def test_new_refuses_a_very_long_id_by_its_length(project):
    result = run("new", "a" * 300)
    assert result.exit_code == 2
    assert_one_clear_line(result.output, "id: expected at most 60 characters")


@pytest.mark.parametrize("folder", ["/proc", "mkdocs.yml", "mkdocs.yml/sub"])
def test_new_into_a_folder_it_cannot_write_is_one_line(project, folder):
    result = run("new", "fresh-start", "--folder", folder)
    assert result.exit_code in (1, 2)
    assert_one_clear_line(result.output, folder)
    assert "Error:" in result.output


def test_new_never_writes_through_a_link(project):
    elsewhere = project.parent / "elsewhere.yaml"
    (project / "exercises" / "linked.yaml").symlink_to(elsewhere)  # dangling
    result = run("new", "linked")
    assert result.exit_code == 1
    assert_one_clear_line(result.output, "exercises/linked.yaml is a link to another file")
    assert not elsewhere.exists()


@pytest.mark.parametrize("utf8_mode", ["1", "0"])
def test_new_writes_an_emoji_title_in_any_locale(project, utf8_mode):
    """Under LC_ALL=C without UTF-8 mode, Python hands the title over as surrogate escapes."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": utf8_mode}
    command = [sys.executable, "-m", "playbook.cli", "new", "smile", "--title", "Smile 😀 now"]
    result = subprocess.run(command, cwd=project, env=env, capture_output=True)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    text = (project / "exercises" / "smile.yaml").read_text(encoding="utf-8")
    assert 'title: "Smile 😀 now"' in text
    check = run("validate", "exercises/smile.yaml")
    assert check.exit_code == 0, check.output


# --- broken templates -----------------------------------------------------------------

BROKEN_TEMPLATES = {
    "syntax": (
        b"# {{ ex.title }}\n{% if ex.minutes %}\nno end tag\n",
        ":3: Unexpected end of template",
    ),
    "undefined": (b"# {{ ex.title }}\n\n{{ no_such_name }}\n", ":3: 'no_such_name'"),
    "not-utf8": (b"# {{ ex.title }}\n\xe9t\xe9\n", ":2: not UTF-8 text (byte 0xe9"),
}


@pytest.mark.parametrize("command", ["playbook build", "mkdocs build", "playbook generate"])
@pytest.mark.parametrize("kind", sorted(BROKEN_TEMPLATES))
def test_a_broken_template_is_reported_at_its_line(project, command, kind):
    content, fragment = BROKEN_TEMPLATES[kind]
    (project / "templates" / "exercise.md.j2").write_bytes(content)
    if command == "playbook generate":
        result = run("generate", "out")
        output, code = result.output, result.exit_code
    elif command == "playbook build":
        result = run("build")
        output, code = result.output, result.exit_code
    else:
        done = run_mkdocs_build(project, project / "site")
        output, code = done.stdout + done.stderr, done.returncode
    assert code == 1
    assert_one_clear_line(output, f"templates/exercise.md.j2{fragment}", "hint: ")
    assert not (project / "site").exists()


# --- playbook generate ----------------------------------------------------------------


def test_generate_refuses_a_file_as_out(project):
    (project / "README.md").write_text("# mine\n", encoding="utf-8")
    result = run("generate", "README.md")
    assert result.exit_code == 2
    assert_one_clear_line(result.output, "'README.md' is a file")
    assert (project / "README.md").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize("out", [".", "content", "exercises", "notes"])
def test_generate_refuses_a_folder_it_did_not_write(project, out):
    (project / "notes").mkdir()
    (project / "notes" / "index.md").write_text("mine\n", encoding="utf-8")
    before = sources(project)
    result = run("generate", out)
    assert result.exit_code == 2
    assert_one_clear_line(result.output, f"{out} is not a folder written by playbook generate")
    assert sources(project) == before
    assert (project / "notes" / "index.md").read_text(encoding="utf-8") == "mine\n"


def test_generate_writes_into_an_empty_folder_and_again_into_its_own(project):
    (project / "out").mkdir()
    assert run("generate", "out").exit_code == 0
    assert (project / "out" / ".playbook-pages").is_file()
    again = run("generate", "out")
    assert again.exit_code == 0, again.output
