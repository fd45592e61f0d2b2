"""The house plan holds: apps import only the layers below them, and no two modules import each
other (directly or around a loop). The contracts are in pyproject.toml ([tool.importlinter]);
`lint-imports` checks them, here on the project and on a copy with a deliberate violation."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _packages() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["root_packages"]


def _lint_imports(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", str(folder / "pyproject.toml")],
        cwd=folder,
        env={"PYTHONPATH": str(folder), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _copy_of_the_project(tmp_path: Path) -> Path:
    for package in _packages():
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "static", "templates"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_apps_keep_the_house_plan():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


def test_the_check_fails_on_an_upward_import(tmp_path):
    copy = _copy_of_the_project(tmp_path)
    with (copy / "suppliers" / "selectors.py").open("a") as module:
        module.write("\nfrom matchmaking import models as _upward  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert "suppliers is not allowed to import matchmaking" in result.stdout
    assert "suppliers.selectors -> matchmaking.models" in result.stdout


def test_the_check_fails_on_an_import_cycle(tmp_path):
    copy = _copy_of_the_project(tmp_path)
    # accounts.outbox imports accounts.tasks, which imports accounts.delivery: closing the loop.
    with (copy / "accounts" / "delivery.py").open("a") as module:
        module.write("\nfrom . import outbox as _loop  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode == 1
    assert "No cycles are allowed in accounts" in result.stdout
