"""`make lab`: JupyterLab settings for a Chinese interface without the news pop-up."""

from __future__ import annotations

import json
import sys

from analysis import cli, config, lab


def test_overrides_set_chinese_and_turn_off_news_keeping_other_settings(tmp_path):
    path = lab.overrides_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(
        json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                    "@jupyterlab/apputils-extension:notification": {"doNotDisturbMode": True}}),
        encoding="utf-8",
    )  # fmt: skip
    assert lab.write_overrides(tmp_path) == path
    assert json.loads(path.read_text("utf-8")) == {
        "@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
        "@jupyterlab/apputils-extension:notification": {
            "doNotDisturbMode": True, "fetchNews": "false", "checkForUpdates": False,
        },
        "@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"},
    }  # fmt: skip


def test_override_keys_exist_in_the_installed_jupyterlab_schemas():
    assert lab.schema_problems(sys.prefix) == []


def test_schema_check_names_an_unknown_key(tmp_path):
    schema = tmp_path / "share/jupyter/lab/schemas/@jupyterlab/translation-extension/plugin.json"
    schema.parent.mkdir(parents=True)
    schema.write_text(json.dumps({"properties": {"language": {"type": "string"}}}))
    problems = lab.schema_problems(tmp_path)
    assert "@jupyterlab/translation-extension:plugin: no setting locale" in problems
    assert any(
        p.startswith("@jupyterlab/apputils-extension:notification: no schema") for p in problems
    )


def test_language_pack_is_installed():
    assert lab.language_pack_installed()


def test_lab_command_opens_the_briefing_notebook_from_the_project_root():
    argv = lab.lab_command(port=8899, browser=False, allow_root=False)
    assert argv == [
        sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={config.PROJ_ROOT}",
        "--port=8899", "--no-browser", "notebooks/03_briefing.ipynb",
    ]  # fmt: skip
    assert (config.PROJ_ROOT / argv[-1]).is_file()
    assert "--allow-root" in lab.lab_command(allow_root=True)


def test_cli_lab_writes_settings_then_starts_jupyterlab(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(lab.sys, "prefix", str(tmp_path))
    monkeypatch.setattr(lab, "write_overrides", lambda prefix=None: lab.overrides_path(tmp_path))
    monkeypatch.setattr(lab.subprocess, "call", lambda argv: calls.append(argv) or 0)
    assert cli.main(["lab", "--no-browser", "--port", "8900"]) == 0
    assert calls == [lab.lab_command(port=8900, browser=False)]
