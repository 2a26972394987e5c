"""CI workflows, pre-commit hooks and the contributor docs name one set of commands,
and only commands that exist: every `./dev X` is handled by ./dev, every `playbook X`
is a command of the CLI (with options it accepts)."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from playbook.cli import main

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))
DOCS = ["README.md", "CONTRIBUTING.md", "content/contribute.md", ".github/pull_request_template.md"]
COMMAND = re.compile(r"(?:^|(?<=[\s`(]))(\./dev|(?:\.venv/bin/)?playbook)((?: [^\s`|;&)]+)*)")


def dev_subcommands() -> set[str]:
    """The subcommands handled by the `case` in ./dev (not its help fallback)."""
    text = (ROOT / "dev").read_text(encoding="utf-8")
    block = text[text.index('case "$command" in') : text.index("esac")]
    names = set()
    for pattern in re.findall(r"(?m)^\s+([a-z][a-z|-]*)\)", block):
        names.update(pattern.split("|"))
    return names


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def workflow(name: str) -> dict:
    return load_yaml(WORKFLOWS / name)


def run_lines(data: dict) -> list[str]:
    """Every command line of every `run:` step of a workflow."""
    lines = []
    for job in data["jobs"].values():
        for step in job.get("steps", []):
            lines += [ln.strip() for ln in step.get("run", "").splitlines() if ln.strip()]
    return lines


def commands_in(text: str) -> list[tuple[str, list[str]]]:
    """(program, arguments) of every ./dev or playbook command in a piece of text."""
    found = []
    for program, rest in COMMAND.findall(text):
        args = shlex.split(rest.split(" #")[0]) if rest else []
        found.append(("./dev" if program == "./dev" else "playbook", args))
    return found


def code_in_markdown(text: str) -> str:
    """Only what is written as code: fenced blocks and `inline code`."""
    fence = r"(?ms)^[ \t]*```[^\n]*\n(.*?)^[ \t]*```"
    blocks = re.findall(fence, text)
    rest = re.sub(fence, "", text)
    return "\n".join(blocks + re.findall(r"`([^`\n]+)`", rest))


def assert_exists(program: str, args: list[str], where: str) -> None:
    if program == "./dev":
        assert args, f"{where}: './dev' without a subcommand"
        assert args[0] in dev_subcommands(), f"{where}: ./dev has no subcommand '{args[0]}'"
        return
    if not args or args[0].startswith("-") or args[0] in ("command", "it"):
        return  # `playbook --help`, or the word in prose ("the `playbook` command")
    command = main.commands.get(args[0])
    assert command is not None, f"{where}: playbook has no command '{args[0]}'"
    options = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    options |= {"--help", "-h"}
    for arg in args[1:]:
        if arg.startswith("-"):
            option = arg.split("=", 1)[0]
            assert option in options, f"{where}: 'playbook {args[0]}' has no option '{option}'"


# --- the workflow files ------------------------------------------------------------


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_is_valid(path):
    data = load_yaml(path)
    assert isinstance(data, dict) and data.get("name")
    # YAML 1.1 reads the key `on` as the boolean true.
    assert True in data and "on" not in data, "the triggers are missing"
    assert data["jobs"]
    for job_id, job in data["jobs"].items():
        assert job.get("runs-on"), f"{job_id}: no runs-on"
        assert job.get("steps"), f"{job_id}: no steps"
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), f"{job_id}: {step}"
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_workflow_names_only_commands_that_exist(path):
    lines = run_lines(load_yaml(path))
    assert lines
    for line in lines:
        found = commands_in(line)
        assert found, f"{path.name}: '{line}' is not a ./dev or playbook command"
        for program, args in found:
            assert_exists(program, args, f"{path.name}: {line}")


def test_pull_requests_validate_build_and_test():
    checks = workflow("checks.yml")
    assert "pull_request" in checks[True]
    lines = run_lines(checks)
    assert ".venv/bin/playbook validate" in lines
    assert "./dev build" in lines  # `playbook build`: mkdocs build --strict
    assert "./dev test" in lines
    # The test job runs exactly what .ci/run runs.
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("exec ./dev test")


def test_build_is_strict():
    build = main.commands["build"]
    strict = next(p for p in build.params if p.name == "strict")
    assert strict.default is True
    assert "exec .venv/bin/playbook build" in (ROOT / "dev").read_text(encoding="utf-8")


def test_validate_step_annotates_the_pull_request(monkeypatch, tmp_path):
    """GitHub sets GITHUB_ACTIONS=true for every step: validate then prints ::error lines."""
    from click.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    shutil.copy(ROOT / "playbook.yml", tmp_path / "playbook.yml")
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "broken.yaml").write_text("id: broken\ntitel: x\n")
    result = CliRunner().invoke(main, ["validate"], env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert "::error file=exercises/broken.yaml,line=2,col=1,title=titel::" in result.stderr


def test_main_is_deployed_to_github_pages():
    deploy = workflow("deploy.yml")
    assert deploy[True]["push"]["branches"] == ["main"]
    assert deploy["permissions"]["pages"] == "write"
    assert deploy["permissions"]["id-token"] == "write"
    build, publish = deploy["jobs"]["build"], deploy["jobs"]["deploy"]
    assert "./dev build" in run_lines({"jobs": {"build": build}})
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "github-pages"
    assert any("actions/deploy-pages" in s.get("uses", "") for s in publish["steps"])


# --- pre-commit ---------------------------------------------------------------------

EXERCISE_FILES = re.compile(r"^exercises/.*\.ya?ml$")


def test_pre_commit_hook_for_other_repositories():
    (hook,) = load_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert hook["id"] == "playbook-validate"
    assert hook["entry"] == "playbook validate"
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert files.pattern == EXERCISE_FILES.pattern
    for path in ("exercises/a.yaml", "exercises/b-c.yml"):
        assert files.search(path)
    for path in ("content/a.md", "exercises/a.md", "mkdocs.yml", "schema/exercise.schema.json"):
        assert not files.search(path)
    # `language: python` installs this package; its console script must be `playbook`.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'playbook = "playbook.cli:main"' in pyproject
    assert_exists("playbook", shlex.split(hook["entry"])[1:], ".pre-commit-hooks.yaml")


def test_pre_commit_config_of_this_repository():
    config = load_yaml(ROOT / ".pre-commit-config.yaml")
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"playbook-validate", "playbook-schema", "ruff-check", "ruff-format"} <= set(hooks)
    assert hooks["playbook-validate"]["files"] == EXERCISE_FILES.pattern
    assert hooks["playbook-schema"]["pass_filenames"] is False
    for hook_id, hook in hooks.items():
        program, *args = shlex.split(hook["entry"])
        if program.endswith("/playbook"):
            assert_exists("playbook", args, f".pre-commit-config.yaml: {hook_id}")
        else:
            # ruff from .venv, pinned in constraints.txt like everything `./dev test` runs.
            assert program == ".venv/bin/ruff", hook_id
            assert re.search(r"(?m)^ruff==", (ROOT / "constraints.txt").read_text())


# --- the documentation --------------------------------------------------------------


@pytest.mark.parametrize("name", [*DOCS, ".ci/run"])
def test_docs_name_only_commands_that_exist(name):
    text = (ROOT / name).read_text(encoding="utf-8")
    code = text if name == ".ci/run" else code_in_markdown(text)
    for program, args in commands_in(code):
        assert_exists(program, args, name)


def test_contributor_docs_give_the_whole_path():
    for name in ("CONTRIBUTING.md", "content/contribute.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        for command in (
            "./dev setup",
            ".venv/bin/playbook new",
            ".venv/bin/playbook validate",
            "./dev serve",
            "./dev test",
        ):
            assert command in text, f"{name} does not mention {command}"
        for rule in ("own words", "credit", "CC BY 4.0", "MIT"):
            assert rule.lower() in text.lower(), f"{name} does not mention {rule}"


def test_the_command_checker_catches_mistakes():
    with pytest.raises(AssertionError, match="no subcommand 'deploy'"):
        for program, args in commands_in("./dev deploy"):
            assert_exists(program, args, "example")
    with pytest.raises(AssertionError, match="no command 'check'"):
        for program, args in commands_in(".venv/bin/playbook check exercises/"):
            assert_exists(program, args, "example")
    with pytest.raises(AssertionError, match="no option '--fix'"):
        for program, args in commands_in("playbook validate --fix"):
            assert_exists(program, args, "example")
