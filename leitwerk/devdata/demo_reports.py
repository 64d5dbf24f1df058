"""Demo: how Musterstadt reports to its council – the reminder lead time, the colour of its
papers, a schedule that prepares the status report two weeks before each council meeting, and
one Sitzungsvorlage (DOCX) with its Beratungsfolge. Called from `demo_load` after the plans
exist; everything goes through the services, as a person's clicks would."""

from __future__ import annotations

import datetime as dt
from typing import Any

from leitwerk.accounts.models import User
from leitwerk.controlling.services import reminder_settings_save
from leitwerk.municipalities.models import Body, BodyKind, Membership, Role
from leitwerk.plans.models import ActionPlan
from leitwerk.reports.models import ConsultationRole, VorlageKind
from leitwerk.reports.services import (
    ConsultationInput,
    VorlageInput,
    report_create,
    report_look_set,
    schedule_create,
)


def build_report_extras(municipality: Any, today: dt.date) -> None:
    strategy = (
        User.objects.filter(memberships__municipality=municipality, memberships__role=Role.STRATEGY)
        .order_by("pk")
        .first()
    )
    reminder_settings_save(
        municipality=municipality, actor=strategy, lead_working_days=5, expected_version=None
    )
    report_look_set(
        municipality=municipality, colour="#0b4a7d", logo=None, remove_logo=False, actor=strategy
    )
    plan = ActionPlan.objects.for_municipality(municipality).order_by("pk").first()
    council = (
        Body.objects.for_municipality(municipality).filter(kind=BodyKind.RAT).order_by("pk").first()
    )
    if plan is None or council is None:
        return
    committee = (
        Body.objects.for_municipality(municipality)
        .filter(kind=BodyKind.AUSSCHUSS)
        .order_by("pk")
        .first()
    )
    # Council meetings on the second Thursday of the next two quarters' first months.
    meetings = [_second_thursday(today + dt.timedelta(days=30 * n)) for n in (1, 4)]
    recipients = list(
        User.objects.filter(
            pk__in=Membership.objects.filter(municipality=municipality, role=Role.STRATEGY).values(
                "user_id"
            )
        )
    )
    schedule_create(
        plan=plan,
        body=council,
        lead_days=14,
        meeting_dates=meetings,
        fmt="pdf",
        recipients=recipients,
        actor=strategy,
    )
    steps = [ConsultationInput(body=council, meeting_date=meetings[0], role=ConsultationRole.NOTE)]
    if committee is not None:
        steps.insert(
            0,
            ConsultationInput(
                body=committee,
                meeting_date=meetings[0] - dt.timedelta(days=14),
                agenda_item="Ö 4",
                role=ConsultationRole.NOTE,
            ),
        )
    report_create(
        plan=plan,
        fmt="docx",
        as_of=today,
        actor=strategy,
        title=f"Sachstand {plan.title}",
        vorlage=VorlageInput(
            kind=VorlageKind.INFO,
            facts="Der Bericht zeigt den Stand aller Vorhaben des Aktionsplans zum Stichtag.",
            finance_text="Keine unmittelbaren finanziellen Auswirkungen.",
            consultations=tuple(steps),
        ),
        climate_relevance="Keine unmittelbare Klimarelevanz.",
    )


def _second_thursday(day: dt.date) -> dt.date:
    first = day.replace(day=1)
    offset = (3 - first.weekday()) % 7  # Thursday is weekday 3
    return first + dt.timedelta(days=offset + 7)
