"""The environment definitions stay in step: requirements.in, the lock, environment.yml."""

from __future__ import annotations

import re

from conftest import ROOT


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"unpinned line in requirements.lock: {line}"
            pins[_norm(name)] = version
    return pins


def _direct() -> list[str]:
    return [
        _norm(line.strip())
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _conda_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"\s+- ([A-Za-z0-9_.\-]+)==(\S+)$", line)
        if m:
            pins[_norm(m.group(1))] = m.group(2)
    return pins


def test_lock_pins_every_direct_dependency():
    lock = _lock()
    missing = [d for d in _direct() if d not in lock]
    assert not missing, f"requirements.in names packages the lock does not pin: {missing}"


def test_environment_yml_matches_lock():
    lock, conda, direct = _lock(), _conda_pins(), _direct()
    assert sorted(conda) == sorted(direct), "environment.yml must list exactly requirements.in"
    wrong = {n: (v, lock[n]) for n, v in conda.items() if lock.get(n) != v}
    assert not wrong, f"environment.yml pins differ from requirements.lock: {wrong}"


def test_pyproject_runtime_dependencies_are_locked():
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    lock = _lock()
    assert all(_norm(re.split(r"[<>=~ ]", d)[0]) in lock for d in deps)


def test_installed_versions_match_lock():
    from importlib.metadata import version

    lock = _lock()
    for name in ("pandas", "matplotlib", "openpyxl", "python-calamine", "python-pptx", "mplfonts"):
        assert version(name) == lock[name], (
            f"{name} in .venv differs from the lock; run make test to rebuild"
        )
