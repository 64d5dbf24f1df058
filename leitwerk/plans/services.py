"""Writes of the action plan: plans, action fields, Vorhaben and their parts, attachments.

Every update names the version it started from (`expected_version`). The row is locked and
compared inside the transaction; a different version raises `ConflictError` with the values
stored now, so the edit page can show both sides and nothing typed is lost (catalogue E1).
Saving goes through `Model.save()`, never `QuerySet.update()`, so django-simple-history
records every change with its author.

The locking helpers (`create_row`, `update_versioned`, `delete_row`) live in the kernel,
`leitwerk/core/editing.py`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.core.editing import (
    actor_or_none,
    check_fields,
    create_row,
    delete_row,
    update_versioned,
)
from leitwerk.core.periods import period_label
from leitwerk.core.status import Health
from leitwerk.goals import services as goal_services
from leitwerk.municipalities.models import Municipality

from . import release
from .models import (
    ActionField,
    ActionPlan,
    Attachment,
    Indicator,
    Initiative,
    Measurement,
    MeasurementSource,
    Milestone,
    PortalRelease,
    StatusReport,
    SubInitiative,
    TransferCity,
)

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.goals.models import FrameworkConcept, Goal

# --- Messwerte und Sachstandsmeldungen -------------------------------------------------------

# Sent after the transaction committed, so a receiver (notifications, caches) never sees a
# report that was rolled back. Arguments: `measurement=` / `report=` and `actor=`.
measurement_recorded = Signal()
status_report_submitted = Signal()
# Sent after the commit of every portal release (kwargs: release_id). Higher layers (the
# portal's follow-and-notify) hook a task here; plans cannot import them.
release_written = Signal()


def _touch_last_report(initiative_id: int, municipality_id: int, when: dt.datetime) -> None:
    initiative = Initiative.objects.select_for_update().get(
        pk=initiative_id, municipality_id=municipality_id
    )
    if initiative.last_report_at is None or initiative.last_report_at < when:
        initiative.last_report_at = when
        # save() rather than QuerySet.update(), so the history records the report time.
        initiative.save(update_fields=["last_report_at", "updated_at"])


def _reporting_interval(initiative_id: int | None, municipality_id: int) -> int | None:
    """The reporting interval of the Vorhaben's plan (None for a goal's own indicator)."""
    if initiative_id is None:
        return None
    return (
        ActionPlan.objects.filter(
            municipality_id=municipality_id, action_fields__initiatives__pk=initiative_id
        )
        .values_list("reporting_interval_days", flat=True)
        .first()
    )


# Marks "not given" for the interval, since None is a real value (a goal's own indicator).
_LOAD = object()


def measurement_period(
    *, indicator: Indicator, measured_on: dt.date, interval_days: int | None | object = _LOAD
) -> str:
    """The period a value of `indicator` measured on that day belongs to (core/periods.py).

    Callers that record many values (bulk update, closing a survey wave) pass the plan's
    `interval_days` they already loaded (None for a goal's indicator); otherwise it costs one
    query.
    """
    if interval_days is _LOAD:
        interval = _reporting_interval(indicator.initiative_id, indicator.municipality_id)
    else:
        interval = interval_days  # type: ignore[assignment]
    return period_label(measured_on, interval)


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    actor: User | None,
    measured_on: dt.date,
    value: Decimal,
    note: str = "",
    source: str = MeasurementSource.MANUAL,
    interval_days: int | None | object = _LOAD,
) -> Measurement:
    """Record one value of an indicator; the Vorhaben's last report time moves forward.

    The period follows from the date and the plan's reporting interval (core/periods.py);
    bulk callers pass the interval they already loaded (see `measurement_period`).
    """
    measurement = Measurement(
        municipality_id=indicator.municipality_id,
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        period_label=measurement_period(
            indicator=indicator, measured_on=measured_on, interval_days=interval_days
        ),
        note=note,
        source=source,
        recorded_by=actor_or_none(actor),
    )
    measurement._history_user = actor_or_none(actor)
    measurement.full_clean()
    measurement.save()
    if indicator.initiative_id is not None:
        _touch_last_report(indicator.initiative_id, indicator.municipality_id, timezone.now())
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


MEASUREMENT_FIELDS = {"measured_on", "value", "note"}


@transaction.atomic
def measurement_update(
    *,
    measurement: Measurement,
    actor: User | None,
    expected_version: int,
    changes: dict[str, Any],
) -> Measurement:
    """Correct a recorded value; a colleague's correction in between is a conflict, not a loss.

    The Vorhaben's last report time stays: correcting an old value is not a new report.
    """
    unknown = set(changes) - MEASUREMENT_FIELDS
    if unknown:
        raise ValueError(f"Measurement: not editable here: {sorted(unknown)}")
    if "measured_on" in changes:
        interval = _reporting_interval(
            measurement.indicator.initiative_id, measurement.municipality_id
        )
        changes = {**changes, "period_label": period_label(changes["measured_on"], interval)}
    return update_versioned(
        instance=measurement,
        actor=actor,
        action="measurement.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def measurement_delete(*, measurement: Measurement, actor: User | None) -> None:
    """Delete a value recorded by mistake; the history and the audit log keep what it was."""
    delete_row(instance=measurement, actor=actor, action="measurement.delete")


@transaction.atomic
def status_report_submit(
    *,
    initiative: Initiative,
    actor: User | None,
    health: str,
    text: str,
    off_track_note: str = "",
    reported_on: dt.date | None = None,
) -> StatusReport:
    """One Sachstandsmeldung. "Kritisch" needs a note: why, and what happens now.

    The reporting period follows from the day and the plan's reporting interval.
    """
    if health == Health.OFF_TRACK and not off_track_note.strip():
        raise ValidationError(
            {"off_track_note": "Bei „kritisch“ bitte kurz erklären: Warum, und was passiert jetzt?"}
        )
    reported_on = reported_on or timezone.localdate()
    report = StatusReport(
        municipality_id=initiative.municipality_id,
        initiative=initiative,
        period_label=period_label(
            reported_on, _reporting_interval(initiative.pk, initiative.municipality_id)
        ),
        reported_on=reported_on,
        health=health,
        text=text.strip(),
        off_track_note=off_track_note.strip(),
        author=actor_or_none(actor),
    )
    report.full_clean()
    report.save()
    _touch_last_report(initiative.pk, initiative.municipality_id, timezone.now())
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


# --- Aktionsplan ------------------------------------------------------------------------------

PLAN_FIELDS = {
    "title",
    "description",
    "period_start",
    "period_end",
    "status",
    "adopted_on",
    "adopted_by",
    "adoption_reference",
    "reporting_interval_days",
    "public",
}


@transaction.atomic
def plan_create(
    *,
    municipality: Municipality,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> ActionPlan:
    values = {**(values or {}), "title": title}
    check_fields(ActionPlan, values, PLAN_FIELDS)
    return create_row(
        model=ActionPlan,
        municipality=municipality,
        actor=actor,
        action="plan.create",
        values=values,
    )


@transaction.atomic
def plan_update(
    *, plan: ActionPlan, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> ActionPlan:
    check_fields(ActionPlan, changes, PLAN_FIELDS)
    return update_versioned(
        instance=plan,
        actor=actor,
        action="plan.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def plan_delete(*, plan: ActionPlan, actor: User | None) -> None:
    delete_row(instance=plan, actor=actor, action="plan.delete")


# --- Aktionsfeld ------------------------------------------------------------------------------

ACTION_FIELD_FIELDS = {"code", "title", "description", "order"}


@transaction.atomic
def action_field_create(
    *, plan: ActionPlan, actor: User | None, title: str, values: Mapping[str, Any] | None = None
) -> ActionField:
    values = {**(values or {}), "title": title}
    check_fields(ActionField, values, ACTION_FIELD_FIELDS)
    return create_row(
        model=ActionField,
        municipality=plan.municipality,
        actor=actor,
        action="action_field.create",
        values={**values, "plan": plan},
    )


@transaction.atomic
def action_field_update(
    *,
    action_field: ActionField,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> ActionField:
    check_fields(ActionField, changes, ACTION_FIELD_FIELDS)
    return update_versioned(
        instance=action_field,
        actor=actor,
        action="action_field.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def action_field_delete(*, action_field: ActionField, actor: User | None) -> None:
    delete_row(instance=action_field, actor=actor, action="action_field.delete")


# --- Vorhaben ---------------------------------------------------------------------------------

INITIATIVE_FIELDS = {
    "number",
    "title",
    "objective",
    "description",
    "easy_summary",
    "status",
    "lead_unit",
    "responsible_people",
    "start_date",
    "end_date",
    "period_text",
    "effort_person_days",
    "budget_eur",
    "statements",
    "goals",
    "weight",
    "public",
    "order",
}


def _check_schedule(values: Mapping[str, Any]) -> None:
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        raise ValidationError({"end_date": "Das Ende liegt vor dem Beginn."})


# Set by the strategy office and admins only (plans.steer_initiative, security audit L3).
STEERED_INITIATIVE_FIELDS = ("public", "weight", "budget_eur")


def _check_steering(initiative: Initiative, actor: User | None, changes: Mapping[str, Any]) -> None:
    if actor is None or actor.has_perm("plans.steer_initiative", initiative):
        return
    changed = [
        name
        for name in STEERED_INITIATIVE_FIELDS
        if name in changes and changes[name] != getattr(initiative, name)
    ]
    if changed:
        raise PermissionDenied(
            "Ob ein Vorhaben öffentlich ist, sein Gewicht und sein Budget legt das "
            "Strategiebüro fest."
        )


@transaction.atomic
def initiative_create(
    *,
    action_field: ActionField,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> Initiative:
    values = {**(values or {}), "title": title}
    check_fields(Initiative, values, INITIATIVE_FIELDS)
    _check_schedule(values)
    return create_row(
        model=Initiative,
        municipality=action_field.municipality,
        actor=actor,
        action="initiative.create",
        values={**values, "action_field": action_field},
    )


@transaction.atomic
def initiative_update(
    *, initiative: Initiative, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Initiative:
    check_fields(Initiative, changes, INITIATIVE_FIELDS)
    _check_steering(initiative, actor, changes)
    _check_schedule(
        {
            "start_date": changes.get("start_date", initiative.start_date),
            "end_date": changes.get("end_date", initiative.end_date),
        }
    )
    return update_versioned(
        instance=initiative,
        actor=actor,
        action="initiative.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def initiative_delete(*, initiative: Initiative, actor: User | None) -> None:
    # Attachment files go with the rows; remove them only once the deletion is committed.
    names = list(
        Attachment.objects.belonging_to(initiative, via="initiative").values_list("file", flat=True)
    )
    delete_row(instance=initiative, actor=actor, action="initiative.delete")
    transaction.on_commit(lambda: _delete_files(names))


# --- Teilvorhaben, Meilensteine, Indikatoren ---------------------------------------------------

SUB_INITIATIVE_FIELDS = {"kind", "text", "order"}
MILESTONE_FIELDS = {"title", "due_date", "done_on", "is_success_factor", "weight", "order"}
INDICATOR_FIELDS = {
    "title",
    "kind",
    "unit",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "direction",
    "weight",
    "public",
    "order",
}


@transaction.atomic
def sub_initiative_create(
    *,
    initiative: Initiative,
    actor: User | None,
    text: str,
    values: Mapping[str, Any] | None = None,
) -> SubInitiative:
    values = {**(values or {}), "text": text}
    check_fields(SubInitiative, values, SUB_INITIATIVE_FIELDS)
    return create_row(
        model=SubInitiative,
        municipality=initiative.municipality,
        actor=actor,
        action="sub_initiative.create",
        values={**values, "initiative": initiative},
    )


@transaction.atomic
def sub_initiative_update(
    *,
    sub_initiative: SubInitiative,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> SubInitiative:
    check_fields(SubInitiative, changes, SUB_INITIATIVE_FIELDS)
    return update_versioned(
        instance=sub_initiative,
        actor=actor,
        action="sub_initiative.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def sub_initiative_delete(*, sub_initiative: SubInitiative, actor: User | None) -> None:
    delete_row(instance=sub_initiative, actor=actor, action="sub_initiative.delete")


@transaction.atomic
def milestone_create(
    *,
    initiative: Initiative,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> Milestone:
    values = {**(values or {}), "title": title}
    check_fields(Milestone, values, MILESTONE_FIELDS)
    return create_row(
        model=Milestone,
        municipality=initiative.municipality,
        actor=actor,
        action="milestone.create",
        values={**values, "initiative": initiative},
    )


@transaction.atomic
def milestone_update(
    *, milestone: Milestone, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Milestone:
    check_fields(Milestone, changes, MILESTONE_FIELDS)
    return update_versioned(
        instance=milestone,
        actor=actor,
        action="milestone.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def milestone_complete(
    *, milestone: Milestone, actor: User | None, expected_version: int, done_on: dt.date
) -> Milestone:
    """Mark a milestone as reached on `done_on` (today by default in the views)."""
    if done_on > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError(
            {"done_on": "Ein Meilenstein kann nicht in der Zukunft erreicht sein."}
        )
    return update_versioned(
        instance=milestone,
        actor=actor,
        action="milestone.complete",
        expected_version=expected_version,
        changes={"done_on": done_on},
    )


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User | None) -> None:
    delete_row(instance=milestone, actor=actor, action="milestone.delete")


@transaction.atomic
def indicator_create(
    *,
    initiative: Initiative | None = None,
    goal: Goal | None = None,
    actor: User | None,
    title: str,
    values: Mapping[str, Any] | None = None,
) -> Indicator:
    """An indicator of exactly one owner: a Vorhaben (`initiative`) or a goal (`goal`)."""
    owner: Initiative | Goal | None = initiative if goal is None else goal
    if owner is None or (initiative is not None and goal is not None):
        raise ValueError("indicator_create: give either initiative or goal")
    values = {**(values or {}), "title": title}
    check_fields(Indicator, values, INDICATOR_FIELDS)
    return create_row(
        model=Indicator,
        municipality=owner.municipality,
        actor=actor,
        action="indicator.create",
        values={**values, "initiative": initiative, "goal": goal},
    )


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Indicator:
    check_fields(Indicator, changes, INDICATOR_FIELDS)
    return update_versioned(
        instance=indicator,
        actor=actor,
        action="indicator.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def indicator_delete(*, indicator: Indicator, actor: User | None) -> None:
    delete_row(instance=indicator, actor=actor, action="indicator.delete")


# --- Transferkommunen -------------------------------------------------------------------------

TRANSFER_CITY_FIELDS = {"name", "ags", "order"}


@transaction.atomic
def transfer_city_create(
    *,
    initiative: Initiative,
    actor: User | None,
    name: str,
    values: Mapping[str, Any] | None = None,
) -> TransferCity:
    values = {**(values or {}), "name": name}
    check_fields(TransferCity, values, TRANSFER_CITY_FIELDS)
    return create_row(
        model=TransferCity,
        municipality=initiative.municipality,
        actor=actor,
        action="transfer_city.create",
        values={**values, "initiative": initiative},
    )


@transaction.atomic
def transfer_city_update(
    *,
    transfer_city: TransferCity,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> TransferCity:
    check_fields(TransferCity, changes, TRANSFER_CITY_FIELDS)
    return update_versioned(
        instance=transfer_city,
        actor=actor,
        action="transfer_city.update",
        expected_version=expected_version,
        changes=changes,
    )


@transaction.atomic
def transfer_city_delete(*, transfer_city: TransferCity, actor: User | None) -> None:
    delete_row(instance=transfer_city, actor=actor, action="transfer_city.delete")


# --- Anhänge ----------------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Office formats are ZIP containers; the member that names the format tells them apart.
_ZIP_MARKERS = {
    ".docx": ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": ("mimetype", "application/vnd.oasis.opendocument.text"),
    ".ods": ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
}
ALLOWED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".txt", ".csv", *_ZIP_MARKERS)


def _zip_type(uploaded: UploadedFile, suffix: str) -> str | None:
    marker, content_type = _ZIP_MARKERS[suffix]
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if marker == "mimetype":
                if "mimetype" not in names:
                    return None
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                return content_type if declared == content_type else None
            return content_type if any(n.startswith(marker) for n in names) else None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)


def _text_type(head: bytes, suffix: str) -> str | None:
    """Text has no magic number: no NUL bytes and a decodable start is the best test."""
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return "text/plain" if suffix == ".txt" else "text/csv"
    return None


def check_upload(uploaded: UploadedFile) -> str:
    """The content type of an allowed file, judged by its first bytes; ValidationError else."""
    size = uploaded.size or 0
    if size > ATTACHMENT_MAX_BYTES:
        raise ValidationError("Die Datei ist größer als 10 MB.")
    if size == 0:
        raise ValidationError("Die Datei ist leer.")
    suffix = Path(uploaded.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            "Dieser Dateityp ist nicht erlaubt. Erlaubt sind PDF, DOCX, XLSX, ODT, ODS, PNG, "
            "JPEG, TXT und CSV."
        )
    uploaded.seek(0)
    head = uploaded.read(2048)
    uploaded.seek(0)
    content_type: str | None = None
    if suffix == ".pdf" and head.startswith(b"%PDF-"):
        content_type = "application/pdf"
    elif suffix == ".png" and head.startswith(b"\x89PNG\r\n\x1a\n"):
        content_type = "image/png"
    elif suffix in (".jpg", ".jpeg") and head.startswith(b"\xff\xd8\xff"):
        content_type = "image/jpeg"
    elif suffix in _ZIP_MARKERS and head.startswith(b"PK\x03\x04"):
        content_type = _zip_type(uploaded, suffix)
    elif suffix in (".txt", ".csv") and b"\x00" not in head:
        content_type = _text_type(head, suffix)
    if content_type is None:
        raise ValidationError(
            "Der Inhalt der Datei passt nicht zu ihrer Endung. "
            "Bitte laden Sie die Originaldatei hoch."
        )
    return content_type


def _delete_files(names: list[str]) -> None:
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        if name:
            storage.delete(name)


@transaction.atomic
def attachment_add(
    *, initiative: Initiative, actor: User | None, uploaded: UploadedFile
) -> Attachment:
    """Store an uploaded file under a random name after checking its size and real type."""
    content_type = check_upload(uploaded)
    attachment = Attachment(
        municipality=initiative.municipality,
        initiative=initiative,
        original_name=(uploaded.name or "datei")[-200:],
        content_type=content_type,
        size=uploaded.size or 0,
        uploaded_by=actor_or_none(actor),
    )
    attachment.file.save(uploaded.name or "datei", uploaded, save=False)
    stored = attachment.file.name
    # A failed validation must not leave an orphaned file behind.
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        _delete_files([stored])
        raise
    audit(
        actor=actor,
        action="attachment.add",
        target=attachment,
        data={"initiative": initiative.pk, "size": attachment.size, "type": content_type},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User | None) -> None:
    name = attachment.file.name
    delete_row(instance=attachment, actor=actor, action="attachment.delete")
    transaction.on_commit(lambda: _delete_files([name]))


# --- Freigabe für das Portal -----------------------------------------------------------------


def _may_release(actor: User | None, plan: ActionPlan) -> None:
    # Services are also called by the CLI and the demo (actor None); people need the right.
    if actor is not None and not actor.has_perm("plans.release_plan", plan):
        raise PermissionDenied("Nur das Strategiebüro gibt Inhalte für das Portal frei.")


@transaction.atomic
def plan_release(
    *, plan: ActionPlan, actor: User | None, today: dt.date | None = None
) -> PortalRelease:
    """Release a plan with all its public Vorhaben and their figures to the portal.

    From now on the portal shows exactly this data for the plan (plans/release.py); a plan
    that is no longer public, or not adopted, is released empty and leaves the portal.
    """
    _may_release(actor, plan)
    today = today or timezone.localdate()
    data = release.plan_snapshot(plan=plan, today=today)
    row = PortalRelease.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        released_at=timezone.now(),
        released_by=actor_or_none(actor),
        scope="Plan",
        data=data,
    )
    audit(
        actor=actor,
        action="plan.release",
        target=plan,
        data={"release": row.pk, "initiatives": [e["id"] for e in data["initiatives"]]},
    )
    _announce_release(row)
    return row


@transaction.atomic
def initiative_release(
    *, initiative: Initiative, actor: User | None, today: dt.date | None = None
) -> PortalRelease:
    """Release one Vorhaben: the plan's newest release with this Vorhaben as it is now; the
    other Vorhaben of the plan stay as they were released."""
    plan = initiative.action_field.plan
    _may_release(actor, plan)
    today = today or timezone.localdate()
    previous = release.newest_release(plan)
    data = release.with_initiative(
        previous.data if previous else None,
        plan=plan,
        initiative_id=initiative.pk,
        entry=release.initiative_entry(initiative=initiative, today=today),
        today=today,
    )
    row = PortalRelease.objects.create(
        municipality_id=plan.municipality_id,
        plan=plan,
        released_at=timezone.now(),
        released_by=actor_or_none(actor),
        scope=f"Vorhaben {initiative}"[:300],
        data=data,
    )
    audit(actor=actor, action="initiative.release", target=initiative, data={"release": row.pk})
    _announce_release(row)
    return row


def _announce_release(row: PortalRelease) -> None:
    release_id = row.pk
    transaction.on_commit(lambda: release_written.send(sender=PortalRelease, release_id=release_id))


# --- Rahmenkonzepte und die Pläne, die sie rahmen ----------------------------------------------


@transaction.atomic
def framework_concept_save(
    *,
    municipality: Municipality,
    actor: User | None,
    values: Mapping[str, Any],
    concept: FrameworkConcept | None = None,
    expected_version: int | None = None,
) -> FrameworkConcept:
    """Create (`concept=None`) or update a Rahmenkonzept together with the plans it frames.

    The concept's own fields go through the goals stage's services (versioned, audited); the
    plans link from the plans' side (`ActionPlan.framework_concepts`), so it is set here, in
    the same transaction: a refused change leaves neither half written.
    """
    values = dict(values)
    plans = values.pop("plans", None)
    if concept is None:
        concept = goal_services.framework_concept_create(
            municipality=municipality, actor=actor, values=values
        )
    else:
        concept = goal_services.framework_concept_update(
            concept=concept,
            actor=actor,
            expected_version=expected_version if expected_version is not None else 0,
            changes=values,
        )
    if plans is not None:
        plans = list(plans)
        if any(plan.municipality_id != concept.municipality_id for plan in plans):
            raise ValidationError("Ein Aktionsplan gehört zu einer anderen Kommune.")
        before = set(concept.action_plans.values_list("pk", flat=True))
        concept.action_plans.set(plans)
        after = {plan.pk for plan in plans}
        if before != after:
            audit(
                actor=actor,
                action="framework_concept.plans",
                target=concept,
                data={"plans": sorted(after)},
            )
    return concept
