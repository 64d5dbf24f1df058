"""Exit 0 if the configured database already holds a municipality (used by `make demo`)."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from leitwerk.municipalities.models import Municipality  # noqa: E402

raise SystemExit(0 if Municipality.objects.exists() else 1)
