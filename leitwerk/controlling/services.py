"""Writes of controlling: measurements and status reports (and more below, appended by topic).

Both writes touch the Vorhaben's "letzte Meldung" (`Initiative.last_report_at`) without
raising its version: reporting is not an edit of the Vorhaben, so it must not turn a
colleague's open edit form into a conflict.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.plans.models import Indicator, Initiative

from .models import Health, Measurement, MeasurementSource, StatusReport

# --- Messwerte und Sachstandsmeldungen (editing workspace) ------------------------------------

# Sent after the transaction committed, so a receiver (notifications, caches) never sees a
# report that was rolled back. Arguments: `measurement=` / `report=` and `actor=`.
measurement_recorded = Signal()
status_report_submitted = Signal()


def _actor_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _touch_last_report(initiative_id: int, when: dt.datetime) -> None:
    initiative = Initiative.objects.select_for_update().get(pk=initiative_id)
    if initiative.last_report_at is None or initiative.last_report_at < when:
        initiative.last_report_at = when
        # save() rather than QuerySet.update(), so the history records the report time.
        initiative.save(update_fields=["last_report_at", "updated_at"])


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    actor: Any,
    measured_on: dt.date,
    value: Decimal,
    period_label: str = "",
    note: str = "",
    source: str = MeasurementSource.MANUAL,
) -> Measurement:
    """Record one value of an indicator; the Vorhaben's last report time moves forward."""
    measurement = Measurement(
        municipality_id=indicator.municipality_id,
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        period_label=period_label,
        note=note,
        source=source,
        recorded_by=_actor_or_none(actor),
    )
    measurement._history_user = _actor_or_none(actor)  # type: ignore[attr-defined]
    measurement.full_clean()
    measurement.save()
    if indicator.initiative_id is not None:
        _touch_last_report(indicator.initiative_id, timezone.now())
    audit(
        actor=actor,
        action="measurement.record",
        target=measurement,
        data={"indicator": indicator.pk, "value": str(value), "measured_on": str(measured_on)},
    )
    transaction.on_commit(
        lambda: measurement_recorded.send(sender=Measurement, measurement=measurement, actor=actor)
    )
    return measurement


@transaction.atomic
def status_report_submit(
    *,
    initiative: Initiative,
    actor: Any,
    period_label: str,
    health: str,
    text: str,
    off_track_note: str = "",
    reported_on: dt.date | None = None,
) -> StatusReport:
    """One Sachstandsmeldung. "Kritisch" needs a note: why, and what happens now."""
    if health == Health.OFF_TRACK and not off_track_note.strip():
        raise ValidationError(
            {"off_track_note": "Bei „kritisch“ bitte kurz erklären: Warum, und was passiert jetzt?"}
        )
    report = StatusReport(
        municipality_id=initiative.municipality_id,
        initiative=initiative,
        period_label=period_label.strip(),
        reported_on=reported_on or timezone.localdate(),
        health=health,
        text=text.strip(),
        off_track_note=off_track_note.strip(),
        author=_actor_or_none(actor),
    )
    report.full_clean()
    report.save()
    _touch_last_report(initiative.pk, timezone.now())
    audit(
        actor=actor,
        action="status_report.submit",
        target=report,
        data={"initiative": initiative.pk, "health": health},
    )
    transaction.on_commit(
        lambda: status_report_submitted.send(sender=StatusReport, report=report, actor=actor)
    )
    return report


# --- end of the editing workspace's part; further controlling services follow below ----------
