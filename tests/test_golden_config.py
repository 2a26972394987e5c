"""Golden cases for playbook.yml: each folder in tests/golden-config/ holds a broken
configuration and expected.txt, the exact report `playbook validate` must print.

To accept new wording: UPDATE_GOLDEN=1 pytest tests/test_golden_config.py"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from playbook.cli import main

GOLDEN = Path(__file__).parent / "golden-config"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES)
def test_a_broken_configuration_is_reported_at_its_lines(case, monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    folder = GOLDEN / case
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["validate", "--config", "playbook.yml", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    expected = folder / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected.write_text(result.stderr, encoding="utf-8")
    assert result.stderr == expected.read_text(encoding="utf-8")
