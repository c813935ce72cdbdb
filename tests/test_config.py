"""Configuration: one YAML file, validated at start-up, overridable from the environment."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ai_gateway.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_documented_example_configuration_is_valid():
    settings = load_settings(ROOT / "configs" / "gateway.yaml")
    assert settings.database.url.startswith("sqlite:///")
    assert [t.name for t in settings.tools] == ["demo"]


def test_demo_configuration_is_valid():
    assert load_settings(ROOT / "configs" / "demo.yaml").tools[0].litellm_model == "aup-demo/demo"


def test_unknown_key_stops_start_up_naming_it(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("server:\n  hots: 127.0.0.1\n")
    with pytest.raises(ConfigError, match=r"server\.hots"):
        load_settings(path)


def test_bad_value_stops_start_up_naming_it(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("server:\n  port: seventy\n")
    with pytest.raises(ConfigError, match=r"server\.port"):
        load_settings(path)


def test_repeated_tool_names_are_refused(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("tools:\n  - {name: a, litellm_model: x}\n  - {name: a, litellm_model: y}\n")
    with pytest.raises(ConfigError, match="repeated: a"):
        load_settings(path)


def test_environment_overrides_the_database_url(tmp_path, monkeypatch):
    path = tmp_path / "ok.yaml"
    path.write_text("database:\n  url: sqlite:///var/file.db\n")
    monkeypatch.setenv("AUP_DATABASE_URL", "sqlite:///var/from-env.db")
    assert load_settings(path).database.url == "sqlite:///var/from-env.db"
    monkeypatch.delenv("AUP_DATABASE_URL")
    monkeypatch.setenv("AUP_SERVER__PORT", "9123")
    assert load_settings(path).server.port == 9123


def test_serve_with_a_bad_file_exits_with_the_message(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("pipeline:\n  checks: [purpose, mind_reading]\n")
    cli = Path(sys.executable).parent / "aup-gateway"
    result = subprocess.run([str(cli), "serve", "--config", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "pipeline.checks" in result.stderr and "mind_reading" in result.stderr
