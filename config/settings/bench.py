"""`leitwerk bench` and `make bench`: production settings plus the bench's floor view.

Only the bench uses this module (in-process and for the gunicorn it starts). It mounts the
floor view (leitwerk/devdata/bench_urls.py), which production's config.urls never contains.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("DEBUG", "False")

from .base import *  # noqa: E402,F403

DEBUG = False
ROOT_URLCONF = "leitwerk.devdata.bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Plain HTTP on loopback: the cookies must travel without TLS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The bench's 50 clients would trip the per-survey throttle of public surveys within seconds.
FEEDBACK_SUBMISSIONS_PER_MINUTE = 10**9
FEEDBACK_SUBMISSIONS_PER_CLIENT = 10**9
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The pages are measured in this one process (its memory cache is shared by all it does), as
# production runs with Redis; the gunicorn the bench starts serves only anonymous requests.
LEITWERK_SIGNIN_CACHE = True
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
