"""The health of a Vorhaben, a plan or a goal, as every page, report and export names it.

It sits in the kernel because the UI shell shows it (the health badge) and every stage from
the action plan onwards reads or writes it; `leitwerk/plans/progress.py` repeats the
values as plain strings so the roll-up stays importable without Django.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("im Plan")
    AT_RISK = "at_risk", _("gefährdet")
    OFF_TRACK = "off_track", _("kritisch")
    DONE = "done", _("erledigt")
    STALE = "stale", _("ohne aktuelle Meldung")
    UNKNOWN = "unknown", _("noch keine Daten")


# What a person may report: "stale" and "unknown" are derived, never reported.
REPORTABLE_HEALTH = [Health.ON_TRACK, Health.AT_RISK, Health.OFF_TRACK, Health.DONE]


# Why the calculated health is what it is, as shown next to it (plans.progress.REASON_*;
# a test keeps the two in step).
HEALTH_REASONS: dict[str, Any] = {  # str -> lazy German label
    "cancelled": _("eingestellt – zählt nicht mehr in die Gesamtbewertung"),
    "paused": _("pausiert – zählt derzeit nicht in die Gesamtbewertung"),
    "done": _("abgeschlossen"),
    "end_passed": _("Ende überschritten, noch nicht abgeschlossen"),
    "not_started": _("noch nicht begonnen"),
    "no_data": _("noch keine Messwerte und keine Meilensteine"),
    "no_schedule": _("ohne Beginn und Ende – kein Zeitplan zum Vergleich"),
    "overdue_milestone": _("ein Meilenstein ist überfällig"),
    "on_schedule": _("Fortschritt entspricht dem Zeitplan"),
    "behind_schedule": _("Fortschritt liegt hinter dem Zeitplan"),
}


def health_label(value: str | None) -> str:
    """The German label of a health value ("noch keine Daten" for anything unknown)."""
    try:
        return str(Health(value or Health.UNKNOWN).label)
    except ValueError:
        return str(Health.UNKNOWN.label)


def reason_label(reason: str | None) -> str:
    return str(HEALTH_REASONS.get(reason or "", ""))
