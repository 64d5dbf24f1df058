"""Production settings (catalogue B1): `check --deploy` passes, HTTPS is enforced."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.slow  # three fresh Django processes


def _prod_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    # Only what a production host would have: the test process carries settings of its own,
    # e.g. DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests' conftest, which pytest imports
    # even when it deselects those tests.
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "DATABASE_URL", "VIRTUAL_ENV"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="leitwerk.example.de",
        LEITWERK_VAR_DIR=str(tmp_path),
    )
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_passes_at_warning_level(tmp_path):
    """Catalogue row B1."""
    done = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _prod_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_prod_settings_refuse_to_start_without_allowed_hosts(tmp_path):
    """Catalogue row B1."""
    env = _prod_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    done = _run(["manage.py", "check"], env)
    assert done.returncode != 0
    assert "ALLOWED_HOSTS fehlt" in done.stderr


def test_prod_settings_refuse_a_short_secret_key_even_with_debug_on(tmp_path):
    """L7: DEBUG=True in the environment switched the length check of base.py off."""
    done = _run(["manage.py", "check"], _prod_env(tmp_path, DEBUG="True", SECRET_KEY="x"))
    assert done.returncode != 0
    assert "SECRET_KEY fehlt oder ist zu kurz" in done.stderr


def test_prod_settings_refuse_any_host(tmp_path):
    """I3: ALLOWED_HOSTS=* would accept forged Host headers."""
    done = _run(["manage.py", "check"], _prod_env(tmp_path, ALLOWED_HOSTS="leitwerk.example.de,*"))
    assert done.returncode != 0
    assert "ALLOWED_HOSTS=* ist in der Produktion nicht erlaubt" in done.stderr


def test_mail_links_point_to_the_first_allowed_host_unless_site_url_is_set(tmp_path):
    """I3: links in e-mails come from the configuration, not from the request's Host."""
    probe = (
        "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"
    )
    done = _run(["-c", probe], _prod_env(tmp_path, ALLOWED_HOSTS="leitwerk.example.de,intern"))
    assert done.stdout.strip() == "https://leitwerk.example.de", done.stderr
    env = _prod_env(tmp_path, SITE_URL="https://steuerung.stadt.de")
    assert _run(["-c", probe], env).stdout.strip() == "https://steuerung.stadt.de"


PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
c = Client(HTTP_HOST="leitwerk.example.de")
print("login", c.get("/konto/anmelden/").status_code, c.get("/konto/anmelden/")["Location"])
print("readyz", c.get("/readyz").status_code)
print("cookies", settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME,
      settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE)
"""


def test_http_is_redirected_to_https_except_the_health_probes(tmp_path):
    """Catalogue row B1."""
    done = _run(["-c", PROBE], _prod_env(tmp_path))
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    assert lines["login"] == "301 https://leitwerk.example.de/konto/anmelden/"
    assert lines["readyz"] == "200"  # monitoring asks over plain HTTP on 127.0.0.1
    assert lines["cookies"] == "__Host-sessionid __Host-csrftoken True True"
