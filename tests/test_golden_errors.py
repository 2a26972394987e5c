"""Golden error cases: each folder in tests/golden/ holds broken exercise files and
expected.txt, the exact report `playbook validate` must print for them.

To accept new wording after a deliberate change: UPDATE_GOLDEN=1 pytest tests/test_golden_errors.py
(then read the diff of every expected.txt before committing it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SETTINGS

from playbook.cli import main
from playbook.loader import load_library
from playbook.problems import report

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def test_there_are_enough_cases():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_report_matches_expected(case, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    folder = GOLDEN / case
    library = load_library([folder], settings=SETTINGS, root=folder)
    assert not library.ok, "a golden case must have at least one problem"
    actual = report(library.problems) + "\n"
    expected_file = folder / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", CASES)
def test_cli_prints_the_same_report_and_exits_1(case, monkeypatch):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    folder = GOLDEN / case
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["validate", "."])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert result.stderr == (folder / "expected.txt").read_text(encoding="utf-8")
