"""Demo: the citizen-facing portal additions of issue 23 for Musterstadt – Leichte-Sprache
summaries of two Vorhaben and one goal, comments allowed (one published with an answer, one
waiting for moderation), a known barrier. Called from `demo_load` before the release."""

from __future__ import annotations

import datetime as dt
from typing import Any

from leitwerk.goals.models import Goal
from leitwerk.plans.models import Initiative
from leitwerk.portal.models import CommentStatus, PortalSettings, PublicComment

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
    PublicComment.objects.create(
        municipality=municipality,
        initiative=first,
        text="Gibt es die Terminbuchung auch in einfacher Sprache?",
        received_on=today - dt.timedelta(days=1),
        due_on=today + dt.timedelta(days=13),
    )
