"""`python -m analysis lab` (`make lab`): JupyterLab in Simplified Chinese on the briefing notebook.

The Chinese interface comes from the `jupyterlab-language-pack-zh-CN` package (pinned
in requirements); making it the default, and turning off the "official Jupyter
news" pop-up and the update check, is a settings override JupyterLab reads from
`{sys.prefix}/share/jupyter/lab/settings/overrides.json`. `write_overrides` merges
our keys into that file (other keys the analyst set there are kept), then `run`
starts JupyterLab on the project folder with notebooks/03_briefing.ipynb open.
The keys are checked against the installed JupyterLab's own schemas by the tests
(`schema_problems`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from analysis import config
from analysis.messages import message_text

BRIEFING_NOTEBOOK = config.NOTEBOOKS_DIR / "03_briefing.ipynb"
OVERRIDES: dict[str, dict[str, object]] = {
    "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def overrides_path(prefix: Path | str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"


def schemas_dir(prefix: Path | str = sys.prefix) -> Path:
    return Path(prefix) / "share" / "jupyter" / "lab" / "schemas"


def write_overrides(prefix: Path | str = sys.prefix) -> Path:
    """Merge OVERRIDES into `{prefix}/share/jupyter/lab/settings/overrides.json`; returns it."""
    path = overrides_path(prefix)
    try:
        current = json.loads(path.read_text("utf-8"))
        if not isinstance(current, dict):
            current = {}
    except (OSError, ValueError):
        current = {}
    for plugin, values in OVERRIDES.items():
        current[plugin] = {**current.get(plugin, {}), **values}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def schema_problems(prefix: Path | str = sys.prefix) -> list[str]:
    """Keys or values of OVERRIDES that the installed JupyterLab's schemas do not define."""
    problems = []
    for plugin, values in OVERRIDES.items():
        package, _, name = plugin.partition(":")
        schema_file = schemas_dir(prefix) / package / f"{name}.json"
        try:
            properties = json.loads(schema_file.read_text("utf-8"))["properties"]
        except (OSError, ValueError, KeyError):
            problems.append(f"{plugin}: no schema at {schema_file}")
            continue
        for key, value in values.items():
            spec = properties.get(key)
            if spec is None:
                problems.append(f"{plugin}: no setting {key}")
                continue
            allowed = [c["const"] for c in spec.get("oneOf", []) if "const" in c]
            if allowed and value not in allowed:
                problems.append(f"{plugin}: {key}={value!r} not in {allowed}")
            kind = {"string": str, "boolean": bool}.get(spec.get("type"))
            if kind is not None and not isinstance(value, kind):
                problems.append(f"{plugin}: {key} should be {spec['type']}")
    return problems


def language_pack_installed() -> bool:
    from importlib.metadata import PackageNotFoundError, version

    try:
        version("jupyterlab-language-pack-zh-CN")
    except PackageNotFoundError:
        return False
    return True


def lab_command(
    notebook: Path = BRIEFING_NOTEBOOK,
    root: Path = config.PROJ_ROOT,
    port: int | None = None,
    browser: bool = True,
    allow_root: bool | None = None,
) -> list[str]:
    """The JupyterLab command line: project folder as root, `notebook` opened.

    `allow_root` (default: when running as root, as in a container) passes
    `--allow-root`, without which JupyterLab refuses to start as root.
    """
    notebook = Path(notebook)
    try:
        target = notebook.resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        target = str(notebook)
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if port is not None:
        argv.append(f"--port={port}")
    if not browser:
        argv.append("--no-browser")
    if allow_root is None:
        allow_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if allow_root:
        argv.append("--allow-root")
    return [*argv, target]


def run(notebook: Path = BRIEFING_NOTEBOOK, port: int | None = None, browser: bool = True) -> int:
    """Write the Chinese settings, then run JupyterLab until the analyst stops it."""
    path = write_overrides()
    if not language_pack_installed():
        print(message_text("lab_no_language_pack"), file=sys.stderr)
    print(message_text("lab_opening", settings=path.name, notebook=Path(notebook).name))
    try:
        return subprocess.call(lab_command(notebook, port=port, browser=browser))
    except KeyboardInterrupt:
        return 0
