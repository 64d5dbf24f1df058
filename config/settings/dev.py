"""Local development: `make run`. A secret key is generated into var/ on first start."""

import os

os.environ.setdefault("LEITWERK_LOCAL_SECRET", "True")
os.environ.setdefault("DEBUG", "True")

from .base import *  # noqa: E402,F403

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# whitenoise looks for STATIC_ROOT at start-up; collectstatic only runs in production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
