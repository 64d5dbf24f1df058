"""The health of a Vorhaben, a plan or a goal, as every page, report and export names it.

It sits in the kernel because the UI shell shows it (the health badge) and every stage from
the action plan onwards reads or writes it; `leitwerk/plans/progress.py` repeats the
values as plain strings so the roll-up stays importable without Django.
"""

from __future__ import annotations

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
