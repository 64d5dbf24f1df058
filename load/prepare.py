"""Prepare a demo database for the load test and write the targets locust needs.

    DJANGO_SETTINGS_MODULE=config.settings.load .venv/bin/python load/prepare.py TARGETS.json

Idempotent. For each of the two load municipalities (Musterstadt, Amt Musterland) it makes
sure there is an open survey without one-time codes (the demo's Amt survey is a draft, so a
"Lasttest" survey with the core questions is created and opened once) and lists the Vorhaben
whose status the municipality's demo project lead may report. Run `leitwerk demo` first.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.load")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from leitwerk.accounts.models import User  # noqa: E402
from leitwerk.feedback import services as feedback  # noqa: E402
from leitwerk.feedback.models import Survey, SurveyStatus  # noqa: E402
from leitwerk.municipalities.models import Municipality  # noqa: E402
from leitwerk.plans.models import Initiative  # noqa: E402

SLUGS = ("musterstadt", "amt-musterland")
DEMO_PASSWORD = "Leitwerk-Demo-2026!"  # noqa: S105 - the public demo password (LOGINS.md)
LOAD_SURVEY_TITLE = "Lasttest: Wie zufrieden waren Sie mit uns?"


def open_survey(municipality: Municipality) -> Survey:
    survey = (
        Survey.objects.for_municipality(municipality)
        .filter(status=SurveyStatus.OPEN, requires_code=False)
        .order_by("pk")
        .first()
    )
    if survey is not None:
        return survey
    survey = feedback.survey_create(municipality=municipality, actor=None, title=LOAD_SURVEY_TITLE)
    feedback.wave_open(survey=survey, actor=None, label="Lasttest", today=timezone.localdate())
    return survey


def main(out: Path) -> None:
    targets = {"password": DEMO_PASSWORD, "municipalities": []}
    for slug in SLUGS:
        try:
            municipality = Municipality.objects.get(slug=slug)
        except Municipality.DoesNotExist:
            sys.exit(f"Kommune „{slug}“ fehlt: bitte zuerst `leitwerk demo` ausführen.")
        lead = User.objects.get(email=f"projekt@{slug}.example")
        initiatives = [
            i.pk
            for i in Initiative.objects.for_municipality(municipality).order_by("pk")
            if lead.has_perm("plans.record_progress", i)
        ]
        if not initiatives:
            sys.exit(f"{lead.email} darf in „{slug}“ keinen Sachstand melden.")
        targets["municipalities"].append(
            {
                "slug": slug,
                "surveys": [open_survey(municipality).pk],
                "lead": {"email": lead.email, "initiatives": initiatives},
            }
        )
    out.write_text(json.dumps(targets, indent=2))
    sys.stdout.write(f"Ziele für den Lasttest: {out}\n")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/load/targets.json"))
