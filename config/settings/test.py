"""Test settings: fast hasher, in-memory mail, tasks run immediately."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("LEITWERK_VAR_DIR", tempfile.mkdtemp(prefix="leitwerk-test-"))

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Sign-in hardening (leitwerk/accounts): plain-HTTP cookie names (browsers drop __Host- cookies
# without Secure); Client.force_login sessions count as signed in without the code step, the
# tests of leitwerk/accounts/tests/ switch LEITWERK_2FA_ENFORCE_ALL_SESSIONS on again.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
LEITWERK_2FA_ENFORCE_ALL_SESSIONS = False

# Read replica (config/routers.py): a mirror of default. Reads go there only in tests that
# set LEITWERK_READ_REPLICA="replica" (leitwerk/core/tests/test_routers.py).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
LEITWERK_READ_REPLICA = None

# whitenoise looks for STATIC_ROOT at start-up; collectstatic only runs in production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# One process per test worker, so the memory cache is shared by everything that runs: the
# suite runs with the sign-in cache and cached sessions as production does with Redis.
LEITWERK_SIGNIN_CACHE = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
