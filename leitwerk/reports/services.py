"""Writes of the reports stage: create a report, render it in the background, export it."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.notices import notice_create
from leitwerk.municipalities.models import Body, OrganisationalUnit
from leitwerk.plans.models import ActionField, ActionPlan

from . import builder, renderers
from .models import (
    Consultation,
    ConsultationRole,
    Report,
    ReportFormat,
    ReportLook,
    ReportSchedule,
    ReportScope,
    ReportStatus,
    VorlageKind,
)

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality

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


@dataclass(frozen=True)
class ConsultationInput:
    """One step of the Beratungsfolge as entered on the form."""

    body: Body
    meeting_date: dt.date
    agenda_item: str = ""
    role: str = ConsultationRole.NOTE


@dataclass(frozen=True)
class VorlageInput:
    """The Sitzungsvorlage fields of a report (the title is the Betreff)."""

    kind: str = VorlageKind.INFO
    lead_unit: OrganisationalUnit | None = None
    facts: str = ""
    finance_text: str = ""
    attachments: str = ""
    consultations: tuple[ConsultationInput, ...] = field(default_factory=tuple)


def report_create(
    *,
    plan: ActionPlan,
    fmt: str,
    as_of: dt.date,
    actor: User | None,
    climate_relevance: str = "",
    decisions_requested: str = "",
    title: str = "",
    vorlage: VorlageInput | None = None,
    scope: str = ReportScope.PLAN,
    scope_field: ActionField | None = None,
    scope_unit: OrganisationalUnit | None = None,
    schedule: ReportSchedule | None = None,
) -> Report:
    """Queue a report; the background task renders and stores it (see `report_render`)."""
    vorlage = vorlage or VorlageInput()
    _check_report_input(
        plan=plan,
        fmt=fmt,
        scope=scope,
        scope_field=scope_field,
        scope_unit=scope_unit,
        vorlage=vorlage,
    )
    municipality = plan.municipality
    with transaction.atomic():
        report = Report.objects.create(
            municipality=municipality,
            plan=plan,
            title=title or f"Sachstandsbericht {plan.title} – Stand {as_of:%d.%m.%Y}",
            format=fmt,
            as_of=as_of,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            climate_relevance=climate_relevance,
            decisions_requested=decisions_requested,
            kind=vorlage.kind,
            lead_unit=vorlage.lead_unit,
            facts=vorlage.facts,
            finance_text=vorlage.finance_text,
            attachments=vorlage.attachments,
            scope=scope,
            scope_field=scope_field if scope == ReportScope.FIELD else None,
            scope_unit=scope_unit if scope == ReportScope.UNIT else None,
            schedule=schedule,
            status=ReportStatus.QUEUED,
            progress_step="Der Bericht wartet auf die Erstellung.",
        )
        _create_consultations(report=report, municipality=municipality, vorlage=vorlage)
        audit(
            actor=actor,
            action="report.create",
            target=report,
            data={
                "plan": plan.pk,
                "format": fmt,
                "as_of": as_of.isoformat(),
                "scope": scope,
                "consultations": [
                    [c.body.pk, c.meeting_date.isoformat()] for c in vorlage.consultations
                ],
            },
        )
    _enqueue(report)
    return report


def _check_report_input(
    *,
    plan: ActionPlan,
    fmt: str,
    scope: str,
    scope_field: ActionField | None,
    scope_unit: OrganisationalUnit | None,
    vorlage: VorlageInput,
) -> None:
    """Raises ValidationError unless format and scope are known and every row given belongs
    to the plan's municipality (and the action field to the plan): a form is no guard."""
    if fmt not in ReportFormat.values:
        raise ValidationError(f"Unbekanntes Format: {fmt}")
    if scope not in ReportScope.values:
        raise ValidationError(f"Unbekannter Umfang: {scope}")
    municipality = plan.municipality
    for row, what in (
        (scope_field, "Das Aktionsfeld"),
        (scope_unit, "Die Organisationseinheit"),
        (vorlage.lead_unit, "Die federführende Stelle"),
        *((c.body, "Das Gremium") for c in vorlage.consultations),
    ):
        if row is not None and row.municipality_id != municipality.pk:
            raise ValidationError(f"{what} gehört nicht zu {municipality.name}.")
    if scope_field is not None and scope_field.plan_id != plan.pk:
        raise ValidationError("Das Aktionsfeld gehört nicht zu diesem Aktionsplan.")


def _create_consultations(
    *, report: Report, municipality: Municipality, vorlage: VorlageInput
) -> None:
    """The Vorlage's Beratungsfolge, one row per body in the order given (one bulk insert)."""
    Consultation.objects.bulk_create(
        Consultation(
            municipality=municipality,
            report=report,
            body=c.body,
            meeting_date=c.meeting_date,
            agenda_item=c.agenda_item.strip(),
            role=c.role,
            order=n,
        )
        for n, c in enumerate(vorlage.consultations)
    )


def _enqueue(report: Report) -> None:
    # Imported here: tasks.py imports this module.
    from .tasks import generate_report

    # Outside the atomic block but not on_commit: with the database backend the task row is
    # written like any other row, and a caller's outer transaction keeps both together.
    generate_report.enqueue(report.pk)


# A queued report is usually picked up within seconds; after this long nobody is working on it.
REPORT_WAITING_TOO_LONG = dt.timedelta(minutes=10)
REPORT_NO_WORKER_MESSAGE = (
    "Der Hintergrunddienst läuft nicht: Der Bericht wartet seit über 10 Minuten auf die "
    "Erstellung. Bitte wenden Sie sich an die technische Administration "
    "(Dienst „leitwerk-worker“) oder brechen Sie den Auftrag ab."
)


def report_waiting_too_long(*, report: Report, now: dt.datetime) -> bool:
    """True for a report still queued long after it was (re)queued: no worker picks it up."""
    return (
        report.status == ReportStatus.QUEUED and report.updated_at < now - REPORT_WAITING_TOO_LONG
    )


def report_retry(*, report: Report, actor: User | None) -> Report:
    """Queue a failed, cancelled or abandoned report again (the same fields, a new render)."""
    now = timezone.now()
    retryable = report.status in (ReportStatus.FAILED, ReportStatus.CANCELLED) or (
        report_abandoned(report=report, now=now) or report_waiting_too_long(report=report, now=now)
    )
    if not retryable:
        raise ValidationError("Dieser Bericht wird gerade erstellt oder ist schon fertig.")
    with transaction.atomic():
        Report.objects.filter(pk=report.pk, municipality_id=report.municipality_id).update(
            status=ReportStatus.QUEUED,
            progress=0,
            progress_step="Der Bericht wartet erneut auf die Erstellung.",
            error="",
            updated_at=now,
        )
        audit(actor=actor, action="report.retry", target=report)
    _enqueue(report)
    report.refresh_from_db()
    return report


def report_cancel(*, report: Report, actor: User | None) -> Report:
    """Stop a report that waits or is being made; a running render notices and stops."""
    if report.is_finished:
        raise ValidationError("Dieser Bericht ist schon abgeschlossen.")
    with transaction.atomic():
        Report.objects.filter(pk=report.pk, municipality_id=report.municipality_id).update(
            status=ReportStatus.CANCELLED,
            progress_step="Der Auftrag wurde abgebrochen.",
            updated_at=timezone.now(),
        )
        audit(actor=actor, action="report.cancel", target=report)
    report.refresh_from_db()
    return report


def _step(report: Report, progress: int, step: str, status: str = ReportStatus.RUNNING) -> None:
    # update(): the status page polls these columns while the task runs; no history is kept.
    # updated_at is the heartbeat (L1): see REPORT_ABANDONED_AFTER.
    # A cancelled report stays cancelled: the step is not written over it.
    Report.objects.filter(pk=report.pk, municipality_id=report.municipality_id).exclude(
        status=ReportStatus.CANCELLED
    ).update(status=status, progress=progress, progress_step=step, updated_at=timezone.now())


def _vorlage_fields(report: Report) -> dict[str, Any]:
    """The report's Sitzungsvorlage fields as plain data for the snapshot."""
    return {
        "subject": report.title,
        "kind": report.kind,
        "lead_unit": str(report.lead_unit) if report.lead_unit_id else "",
        "consultations": [
            {
                "body": c.body.name,
                "date": c.meeting_date.isoformat(),
                "agenda_item": c.agenda_item,
                "role": c.get_role_display(),
            }
            for c in report.consultations.select_related("body").order_by(
                "order", "meeting_date", "pk"
            )
        ],
        "facts": report.facts,
        "finance": report.finance_text,
        "attachments": report.attachment_list,
    }


def _previous_report_day(report: Report) -> dt.date | None:
    """The reference day of the last finished report on the same plan: "changed since"."""
    previous = (
        Report.objects.filter(
            municipality_id=report.municipality_id,
            plan_id=report.plan_id,
            status=ReportStatus.DONE,
            as_of__lt=report.as_of,
        )
        .order_by("-as_of", "-pk")
        .values_list("as_of", flat=True)
        .first()
    )
    return previous


def report_render(*, report_id: int) -> Report:
    """Build the snapshot, render the file and store both. Idempotent: a done report stays."""
    # The id comes from our own task queue (the request that queued it was scoped).
    report = (
        Report.objects.select_related("plan__municipality", "municipality")
        .across_municipalities()
        .get(pk=report_id)
    )
    if report.status in (ReportStatus.DONE, ReportStatus.CANCELLED):
        return report
    try:
        _step(report, 10, "Die Daten zum Stichtag werden zusammengestellt.")
        snapshot = builder.build_snapshot(
            plan=report.plan,
            as_of=report.as_of,
            created_on=report.created_at.date(),
            climate_relevance=report.climate_relevance,
            decisions_requested=report.decisions_requested,
            title=report.title,
            scope=report.scope,
            action_field_id=report.scope_field_id,
            unit_id=report.scope_unit_id,
            since=_previous_report_day(report),
            vorlage=_vorlage_fields(report),
        )
        _step(report, 40, f"Das Dokument ({report.get_format_display()}) wird erzeugt.")
        content = renderers.render(snapshot, report.format)
        _step(report, 90, "Die Datei wird im Archiv abgelegt.")
        with transaction.atomic():
            report.refresh_from_db()
            if report.status == ReportStatus.CANCELLED:
                return report
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
        Report.objects.filter(pk=report_id).exclude(status=ReportStatus.CANCELLED).update(
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


# --- scheduled reports ---------------------------------------------------------------------


@transaction.atomic
def schedule_create(
    *,
    plan: ActionPlan,
    body: Body,
    lead_days: int,
    meeting_dates: list[dt.date],
    fmt: str,
    recipients: list[User],
    actor: User | None,
) -> ReportSchedule:
    """A report for `body` generated `lead_days` before each of the given meeting days."""
    if body.municipality_id != plan.municipality_id:
        raise ValidationError(f"Das Gremium gehört nicht zu {plan.municipality.name}.")
    if not 1 <= lead_days <= 90:
        raise ValidationError("Tage vor der Sitzung: bitte eine Zahl von 1 bis 90.")
    schedule = ReportSchedule.objects.create(
        municipality=plan.municipality,
        plan=plan,
        body=body,
        lead_days=lead_days,
        meeting_dates=sorted({d.isoformat() for d in meeting_dates}),
        format=fmt,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    schedule.recipients.set(recipients)
    audit(
        actor=actor,
        action="report_schedule.create",
        target=schedule,
        data={"plan": plan.pk, "body": body.pk, "lead_days": lead_days},
    )
    return schedule


@transaction.atomic
def schedule_delete(*, schedule: ReportSchedule, actor: User | None) -> None:
    audit(actor=actor, action="report_schedule.delete", target=schedule)
    schedule.delete()


def schedule_due_dates(*, schedule: ReportSchedule, today: dt.date) -> list[dt.date]:
    """The meeting days whose report is due today: within `lead_days` before the meeting."""
    return [
        day for day in schedule.dates if day - dt.timedelta(days=schedule.lead_days) <= today <= day
    ]


def report_schedules_run(*, today: dt.date) -> list[Report]:
    """Create the reports that are due (the daily job); each meeting gets one report, once."""
    created = []
    # The daily job serves every municipality on purpose.
    schedules = (
        ReportSchedule.objects.across_municipalities()
        .filter(active=True)
        .select_related("plan__municipality", "body")
        .order_by("pk")
    )
    for schedule in schedules:
        for day in schedule_due_dates(schedule=schedule, today=today):
            done = Report.objects.filter(
                municipality_id=schedule.municipality_id,
                schedule=schedule,
                consultations__body=schedule.body,
                consultations__meeting_date=day,
            ).exists()
            if not done:
                created.append(_scheduled_report(schedule, day, today))
    return created


def _scheduled_report(schedule: ReportSchedule, day: dt.date, today: dt.date) -> Report:
    with transaction.atomic():
        report = report_create(
            plan=schedule.plan,
            fmt=schedule.format,
            as_of=today,
            actor=None,
            title=(
                f"Sachstandsbericht {schedule.plan.title} – {schedule.body.name}, "
                f"Sitzung am {day:%d.%m.%Y}"
            ),
            vorlage=VorlageInput(consultations=(ConsultationInput(schedule.body, day),)),
            schedule=schedule,
        )
        people = list(schedule.recipients.filter(is_active=True))
        text = (
            f"Der Bericht für die Sitzung {schedule.body.name} am {day:%d.%m.%Y} wird erstellt: "
            f"„{report.title}“. Bitte prüfen und ergänzen Sie ihn vor dem Versand."
        )
        url = reverse("reports:detail", args=[report.pk])
        notice_create(municipality=schedule.municipality_id, recipients=people, text=text, url=url)
        ids = [p.pk for p in people if p.email]
        if ids:
            # Imported here: tasks.py imports this module.
            from .tasks import send_report_mail

            transaction.on_commit(lambda: send_report_mail.enqueue(report.pk, ids, text))
        audit(
            actor=None,
            action="report_schedule.run",
            target=schedule,
            data={"report": report.pk, "meeting": day.isoformat(), "notified": len(people)},
        )
    return report


# --- look: colour and logo -------------------------------------------------------------------

LOGO_MAX_BYTES = 300_000


def _check_logo(content: bytes) -> None:
    """PNG or JPEG, small, and an image Pillow can read (nothing else is embedded in papers)."""
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError("Das Logo ist zu groß: höchstens 300 KB.")
    if not (content.startswith(b"\x89PNG\r\n\x1a\n") or content.startswith(b"\xff\xd8\xff")):
        raise ValidationError("Das Logo muss eine PNG- oder JPEG-Datei sein.")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except (OSError, SyntaxError, ValueError):
        raise ValidationError("Die Logo-Datei ist beschädigt.") from None


def _contrast_with_white(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


@transaction.atomic
def report_look_set(
    *,
    municipality: Any,
    colour: str,
    logo: bytes | None,
    remove_logo: bool,
    actor: User | None,
) -> ReportLook:
    """Set the colour and (optionally) the logo used in the municipality's papers."""
    look, _ = ReportLook.objects.for_municipality(municipality).get_or_create(
        municipality=municipality
    )
    look.colour = colour
    look.full_clean(exclude=["logo", "municipality"])
    if _contrast_with_white(colour) < 4.5:
        # Headings are written in this colour on white: WCAG 1.4.3 asks for 4.5:1.
        raise ValidationError(
            f"Die Farbe {colour} ist auf Weiß zu hell (Kontrast unter 4,5:1). "
            "Bitte eine dunklere Farbe wählen."
        )
    if remove_logo and look.logo:
        look.logo.delete(save=False)
        look.logo = ""
    if logo:
        _check_logo(logo)
        suffix = "png" if logo.startswith(b"\x89PNG") else "jpg"
        look.logo.save(f"logo-{municipality.slug}.{suffix}", ContentFile(logo), save=False)
    look.save()
    audit(actor=actor, action="report_look.set", target=look, data={"colour": colour})
    return look
