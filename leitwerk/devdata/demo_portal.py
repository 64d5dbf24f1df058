"""Demo: the citizen-facing portal additions of issue 23 for Musterstadt – Leichte-Sprache
summaries of two Vorhaben and one goal, comments allowed (one published with an answer, one
waiting for moderation), a known barrier. Called from `demo_load` before the release."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.utils import timezone

from leitwerk.goals.models import Goal
from leitwerk.plans.models import Initiative
from leitwerk.portal.models import (
    AccessibilityCheck,
    CommentStatus,
    Follow,
    PortalSettings,
    PublicComment,
)

# Written for the demo in short sentences; keyed by the Vorhaben's title in the demo data.
EASY_SUMMARIES = {
    "Online-Terminvergabe für alle Bürgerämter": (
        "Sie wollen zum Bürger·amt?\n"
        "Dann brauchen Sie einen Termin.\n"
        "Bald buchen Sie jeden Termin im Internet.\n"
        "Das geht zu jeder Uhr·zeit."
    ),
    "Wartezeiten im Bürgeramt halbieren": (
        "Im Bürger·amt warten die Menschen lange.\n"
        "Wir wollen das ändern.\n"
        "Sie sollen nur noch halb so lange warten."
    ),
}


def build_portal_extras(municipality: Any, today: dt.date) -> None:
    for title, summary in EASY_SUMMARIES.items():
        Initiative.objects.filter(municipality=municipality, title=title).update(
            easy_summary=summary
        )
    goal = Goal.objects.filter(municipality=municipality, public=True).order_by("pk").first()
    if goal is not None:
        goal.easy_summary = "Das ist ein Ziel der Stadt.\nWir sagen Ihnen hier: So weit sind wir."
        goal.save(update_fields=["easy_summary"])
    PortalSettings.objects.create(
        municipality=municipality,
        comments_enabled=True,
        known_limitations=(
            "Stadtplan im Bürger-Informationssystem: Die Karte hat noch keine Textfassung. "
            "Alternative: Die Adressen stehen in der Liste darunter."
        ),
    )
    first = (
        Initiative.objects.filter(municipality=municipality, title__in=list(EASY_SUMMARIES))
        .order_by("pk")
        .first()
    )
    if first is None:
        return
    PublicComment.objects.create(
        municipality=municipality,
        initiative=first,
        author_name="Renate K.",
        text="Bitte denken Sie auch an Menschen ohne Internet. Kann man weiter anrufen?",
        received_on=today - dt.timedelta(days=9),
        due_on=today + dt.timedelta(days=5),
        status=CommentStatus.PUBLISHED,
        answer="Ja. Die Termin-Hotline bleibt, und im Bürgeramt vergeben wir weiter Termine.",
        answered_on=today - dt.timedelta(days=6),
    )
    # A confirmed follower of that Vorhaben (a reserved example address, RFC 2606).
    Follow.objects.create(
        municipality=municipality,
        email="buergerin@example.org",
        token=secrets.token_urlsafe(32),
        initiative=first,
        confirmed_at=timezone.now(),
    )
    # The statement shows the newest automated check; the demo's is marked as an example, a
    # real one comes from `leitwerk accessibility_check_record` (docs/ACCESSIBILITY.md).
    AccessibilityCheck.objects.create(
        municipality=municipality,
        checked_at=timezone.now() - dt.timedelta(days=2),
        tool="axe-core 4.10 (Beispielwerte der Demo)",
        standard="WCAG 2.2 AA",
        pages=24,
    )
    PublicComment.objects.create(
        municipality=municipality,
        initiative=first,
        text="Gibt es die Terminbuchung auch in einfacher Sprache?",
        received_on=today - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=13),
    )
