"""Load test (`make load`, load/run.py): production settings, served over plain HTTP on loopback.

Everything comes from config.settings.base (DEBUG off, whitenoise with the manifest, database
task backend); only what a loopback measurement needs differs:
- cookies without Secure, because locust talks HTTP to 127.0.0.1 (no TLS proxy in between);
- static files without compressed copies (below);
- the per-survey answer limit (a guard against floods, 120 answers a minute per web process)
  is lifted, so the measurement shows what the server does with every answer instead of how
  quickly it says "bitte in einer Minute noch einmal".
"""

import os

os.environ.setdefault("SESSION_COOKIE_SECURE", "False")
os.environ.setdefault("CSRF_COOKIE_SECURE", "False")

from .base import *  # noqa: E402,F403

FEEDBACK_SUBMISSIONS_PER_MINUTE = 1_000_000
FEEDBACK_SUBMISSIONS_PER_CLIENT = 1_000_000

# Hashed names as in production, but no gzip/brotli copies: collectstatic takes seconds instead
# of minutes, and the scenario fetches pages, not static files (nginx serves those).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
