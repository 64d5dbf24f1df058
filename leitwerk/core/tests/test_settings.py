"""Production settings must refuse to start without a real secret key."""

from __future__ import annotations

import os
import subprocess
import sys


def _import_settings(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "LEITWERK_LOCAL_SECRET")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.base"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret(tmp_path):
    result = _import_settings(LEITWERK_VAR_DIR=str(tmp_path), DEBUG="False")
    assert result.returncode != 0
    assert "SECRET_KEY fehlt" in result.stderr


def test_production_settings_refuse_a_short_secret(tmp_path):
    result = _import_settings(LEITWERK_VAR_DIR=str(tmp_path), SECRET_KEY="kurz", DEBUG="False")
    assert result.returncode != 0
    assert "zu kurz" in result.stderr


def test_local_runs_generate_and_keep_a_secret_in_var(tmp_path):
    script = "from config.settings import dev; print(dev.SECRET_KEY)"
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["LEITWERK_VAR_DIR"] = str(tmp_path)
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").exists()
