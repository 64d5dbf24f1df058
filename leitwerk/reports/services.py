"""Writes of the reports stage: create a report, render it in the background, export it."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.plans.models import ActionPlan

from . import builder, renderers
from .models import Report, ReportFormat, ReportStatus

if TYPE_CHECKING:
    from leitwerk.accounts.models import User

logger = logging.getLogger(__name__)

# A report is rendered in well under a minute and writes its progress on the way; one that says
# "wird erstellt" without moving for this long lost its worker (kill -9, L1).
REPORT_ABANDONED_AFTER = dt.timedelta(minutes=30)
REPORT_ABANDONED_MESSAGE = (
    "Die Erstellung wurde abgebrochen, weil der Hintergrunddienst beendet wurde. "
    "Bitte erstellen Sie den Bericht neu."
)


def report_abandoned(*, report: Report, now: dt.datetime) -> bool:
    """True for a report that says "wird erstellt" but whose worker stopped long ago."""
    return (
        report.status == ReportStatus.RUNNING and report.updated_at < now - REPORT_ABANDONED_AFTER
    )


def reports_sweep(*, now: dt.datetime) -> int:
    """Mark abandoned reports failed ("abgebrochen, bitte neu erstellen"); the number."""
    # The daily job looks at every municipality's reports on purpose.
    return (
        Report.objects.across_municipalities()
        .filter(status=ReportStatus.RUNNING, updated_at__lt=now - REPORT_ABANDONED_AFTER)
        .update(
            status=ReportStatus.FAILED,
            progress_step="Der Bericht konnte nicht erstellt werden.",
            error=REPORT_ABANDONED_MESSAGE,
        )
    )


def report_create(
    *,
    plan: ActionPlan,
    fmt: str,
    as_of: dt.date,
    actor: User | None,
    climate_relevance: str = "",
    decisions_requested: str = "",
    title: str = "",
) -> Report:
    """Queue a report; the background task renders and stores it (see `report_render`)."""
    if fmt not in ReportFormat.values:
        raise ValidationError(f"Unbekanntes Format: {fmt}")
    with transaction.atomic():
        report = Report.objects.create(
            municipality=plan.municipality,
            plan=plan,
            title=title or f"Sachstandsbericht {plan.title} – Stand {as_of:%d.%m.%Y}",
            format=fmt,
            as_of=as_of,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            climate_relevance=climate_relevance,
            decisions_requested=decisions_requested,
            status=ReportStatus.QUEUED,
            progress_step="Der Bericht wartet auf die Erstellung.",
        )
        audit(
            actor=actor,
            action="report.create",
            target=report,
            data={"plan": plan.pk, "format": fmt, "as_of": as_of.isoformat()},
        )
    # Imported here: tasks.py imports this module.
    from .tasks import generate_report

    # Outside the atomic block but not on_commit: with the database backend the task row is
    # written like any other row, and a caller's outer transaction keeps both together.
    generate_report.enqueue(report.pk)
    return report


def _step(report: Report, progress: int, step: str, status: str = ReportStatus.RUNNING) -> None:
    # update(): the status page polls these columns while the task runs; no history is kept.
    # updated_at is the heartbeat (L1): see REPORT_ABANDONED_AFTER.
    Report.objects.filter(pk=report.pk, municipality_id=report.municipality_id).update(
        status=status, progress=progress, progress_step=step, updated_at=timezone.now()
    )


def report_render(*, report_id: int) -> Report:
    """Build the snapshot, render the file and store both. Idempotent: a done report stays."""
    # The id comes from our own task queue (the request that queued it was scoped).
    report = (
        Report.objects.select_related("plan__municipality", "municipality")
        .across_municipalities()
        .get(pk=report_id)
    )
    if report.status == ReportStatus.DONE:
        return report
    try:
        _step(report, 10, "Die Daten zum Stichtag werden zusammengestellt.")
        snapshot = builder.build_snapshot(
            plan=report.plan,
            as_of=report.as_of,
            created_on=report.created_at.date(),
            climate_relevance=report.climate_relevance,
            decisions_requested=report.decisions_requested,
        )
        _step(report, 40, f"Das Dokument ({report.get_format_display()}) wird erzeugt.")
        content = renderers.render(snapshot, report.format)
        _step(report, 90, "Die Datei wird im Archiv abgelegt.")
        with transaction.atomic():
            report.refresh_from_db()
            report.snapshot = snapshot
            report.snapshot_sha256 = builder.snapshot_digest(snapshot)
            report.file.save(report.filename, ContentFile(content), save=False)
            report.status = ReportStatus.DONE
            report.progress = 100
            report.progress_step = "Der Bericht ist fertig."
            report.error = ""
            report.save()
            audit(
                actor=None,
                action="report.rendered",
                target=report,
                data={"sha256": report.snapshot_sha256, "bytes": len(content)},
            )
    except Exception as exc:
        logger.exception("Report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(
            status=ReportStatus.FAILED,
            progress_step="Der Bericht konnte nicht erstellt werden.",
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        report.refresh_from_db()
    return report


def report_export(
    *,
    plan: ActionPlan,
    fmt: str,
    as_of: dt.date,
    climate_relevance: str = "",
    decisions_requested: str = "",
) -> bytes:
    """Render a report straight to bytes without archiving it (command line)."""
    if fmt not in ReportFormat.values:
        raise ValidationError(f"Unbekanntes Format: {fmt}")
    snapshot = builder.build_snapshot(
        plan=plan,
        as_of=as_of,
        created_on=as_of,
        climate_relevance=climate_relevance,
        decisions_requested=decisions_requested,
    )
    return renderers.render(snapshot, fmt)
