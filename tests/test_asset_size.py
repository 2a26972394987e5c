"""The playbook's own JS and CSS stay within budget, and the served script is built from
its source."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_asset_size_script_reports_a_total_within_budget():
    result = subprocess.run(
        [sys.executable, "bench/asset_size.py"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("playbook.js ") for line in lines)
    assert any(line.startswith("playbook.css ") for line in lines)
    total = lines[-1]
    assert total.startswith("total") and "within the budget of 18432 bytes" in total


def test_asset_size_script_fails_over_budget(tmp_path):
    (tmp_path / "big.js").write_bytes(os.urandom(20_000))  # random bytes do not compress
    (tmp_path / "logo.png").write_bytes(bytes(range(256)) * 200)
    result = subprocess.run(
        [sys.executable, "bench/asset_size.py", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "OVER the budget" in result.stdout
    assert "logo.png" in result.stdout and "not counted" in result.stdout


def test_served_script_is_built_from_its_source():
    if not (ROOT / "node_modules" / "terser").exists():
        pytest.fail("terser is missing: run `npm ci` (./dev test does it)")
    node = shutil.which("node")
    assert node, "node is needed to check the built script"
    result = subprocess.run(
        [node, "assets-src/build.mjs", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
