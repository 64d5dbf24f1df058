"""Writes of the controlling cockpit: alignment, measurable indicators, comments, reminders,
bulk update.

Recording measurements and status reports belongs to the Vorhaben domain
(`leitwerk/plans/services.py`); the bulk update calls those services.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from leitwerk.controlling import workdays
from leitwerk.core.audit import audit
from leitwerk.core.editing import ConflictError, actor_or_none, create_row, update_versioned
from leitwerk.goals.models import Goal
from leitwerk.municipalities.models import Membership, Role
from leitwerk.plans import progress as progress_rules
from leitwerk.plans.models import (
    ActionPlan,
    Indicator,
    Initiative,
    Measurement,
    MeasurementSource,
    StatusReport,
)
from leitwerk.plans.rollup import last_update
from leitwerk.plans.services import (
    initiative_update,
    measurement_record,
    plan_update,
    status_report_submit,
)

from .models import Comment, ReminderKind, ReminderLog, ReminderSettings
from .tasks import send_comment_notifications, send_reminder_mails

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.guidelines.models import Statement
    from leitwerk.municipalities.models import Municipality
    from leitwerk.plans.models import ActionPlan

    from .bulk import Preview


def _bump_version(
    model: type[Initiative] | type[Goal], target: Initiative | Goal, actor: User | None
) -> Initiative | Goal:
    # Links are part of the row: raising the version turns a colleague's open edit form,
    # which still holds the old links, into a conflict instead of silently undoing this change.
    row = model.objects.select_for_update().get(
        pk=target.pk, municipality_id=target.municipality_id
    )
    row.version += 1
    row._history_user = actor_or_none(actor)
    row.save(update_fields=["version", "updated_at"])
    return row


def _alignment_change(
    *,
    statement: Statement,
    actor: User | None,
    initiative: Initiative | None = None,
    goal: Goal | None = None,
    link: bool,
) -> None:
    target: Initiative | Goal
    if initiative is not None and goal is None:
        target = initiative
    elif goal is not None and initiative is None:
        target = goal
    else:
        raise ValueError("Genau ein Vorhaben oder ein Ziel angeben.")
    if target.municipality_id != statement.municipality_id:
        raise ValidationError("Aussage und Vorhaben/Ziel gehören zu verschiedenen Kommunen.")
    model = Initiative if initiative is not None else Goal
    row = _bump_version(model, target, actor)
    if link:
        row.statements.add(statement)
    else:
        row.statements.remove(statement)
    kind = "initiative" if initiative is not None else "goal"
    audit(
        actor=actor,
        action=f"alignment.{'link' if link else 'unlink'}",
        target=row,
        data={kind: row.pk, "statement": statement.pk},
    )


@transaction.atomic
def alignment_link(
    *,
    statement: Statement,
    actor: User | None,
    initiative: Initiative | None = None,
    goal: Goal | None = None,
) -> None:
    """Link a Leitbild statement to a Vorhaben or a goal (exactly one of both)."""
    _alignment_change(statement=statement, actor=actor, initiative=initiative, goal=goal, link=True)


@transaction.atomic
def alignment_unlink(
    *,
    statement: Statement,
    actor: User | None,
    initiative: Initiative | None = None,
    goal: Goal | None = None,
) -> None:
    """Remove the link between a Leitbild statement and a Vorhaben or a goal."""
    _alignment_change(
        statement=statement, actor=actor, initiative=initiative, goal=goal, link=False
    )


@transaction.atomic
def alignment_set(
    *,
    statement: Statement,
    actor: User | None,
    candidates: Sequence[Initiative] | Sequence[Goal],
    chosen: Iterable[Initiative | Goal],
) -> tuple[int, int]:
    """Make `chosen` the Vorhaben (or goals) among `candidates` that serve `statement`.

    Links outside `candidates` (rows the person may not change) stay as they are. Every change
    is one audited link or unlink. Returns (linked, unlinked).
    """
    wanted = {row.pk for row in chosen}
    rows = list(candidates)
    if not rows:
        return 0, 0
    kind = "initiative" if isinstance(rows[0], Initiative) else "goal"
    through = (Initiative if kind == "initiative" else Goal).statements.through
    current = set(
        through.objects.filter(
            statement_id=statement.pk, **{f"{kind}_id__in": [row.pk for row in rows]}
        ).values_list(f"{kind}_id", flat=True)
    )
    linked = unlinked = 0
    for row in rows:
        has = row.pk in current
        if has == (row.pk in wanted):
            continue
        _alignment_change(
            statement=statement,
            actor=actor,
            initiative=row if isinstance(row, Initiative) else None,
            goal=row if isinstance(row, Goal) else None,
            link=not has,
        )
        linked += not has
        unlinked += has
    return linked, unlinked


MEASURABLE_KINDS = ("quantitative", "survey", "yes_no", "checklist")


@transaction.atomic
def indicator_make_measurable(
    *,
    indicator: Indicator,
    actor: User | None,
    expected_version: int,
    kind: str,
    unit: str = "",
    baseline: Decimal | None = None,
    target: Decimal | None = None,
    target_date: dt.date | None = None,
    direction: str = "increase",
    baseline_date: dt.date | None = None,
    checklist: Sequence[str] = (),
    title: str | None = None,
) -> Indicator:
    """Turn an indicator into a measurable one ("Ich mache Ziele messbar").

    Counts and shares ("quantitative"), survey items: baseline, target and target date.
    Yes/no: 0 → 1 by the target date. Checklist: the items to tick off, by the target date.
    Goes through the versioned update, so a concurrent edit is a conflict, not a loss.
    """
    items = [text.strip() for text in checklist if text.strip()]
    errors, (baseline, target, direction, unit) = _measurable_errors(
        kind, target_date, items, (baseline, target, direction, unit)
    )
    if errors:
        raise ValidationError(errors)
    # Keep ticks of items that stay on the list, so re-editing a checklist loses no progress.
    done_before = {
        str(item.get("text")): bool(item.get("done"))
        for item in (indicator.checklist or [])
        if isinstance(item, dict)
    }
    changes: dict[str, Any] = {
        "kind": kind,
        "unit": unit.strip(),
        "baseline": baseline,
        "baseline_date": baseline_date,
        "target": target,
        "target_date": target_date,
        "direction": direction,
        "checklist": [{"text": t, "done": done_before.get(t, False)} for t in items]
        if kind == "checklist"
        else [],
    }
    if title is not None and title.strip():
        changes["title"] = title.strip()
    return update_versioned(
        instance=indicator,
        actor=actor,
        action="indicator.make_measurable",
        expected_version=expected_version,
        changes=changes,
    )


def _measurable_errors(
    kind: str, target_date: Any, items: list[str], values: tuple[Any, ...]
) -> tuple[Any, ...]:
    """The form errors of `indicator_make_measurable`, and (baseline, target, direction, unit)
    as the kind fixes them (yes/no: 0 → 1; checklist: no figures)."""
    baseline, target, direction, unit = values
    errors: dict[str, str] = {}
    if kind not in MEASURABLE_KINDS:
        errors["kind"] = "Bitte wählen Sie, wie gemessen wird."
    if target_date is None:
        errors["target_date"] = "Bis wann soll das Ziel erreicht sein?"
    if kind in ("quantitative", "survey"):
        if baseline is None:
            errors["baseline"] = "Bitte den heutigen Stand (Ausgangswert) angeben."
        if target is None:
            errors["target"] = "Bitte den Zielwert angeben."
        if baseline is not None and target is not None and baseline != target:
            # The line from baseline to target defines "better"; the stated direction must agree.
            falling = target < baseline
            if falling != (direction == "decrease"):
                errors["direction"] = (
                    "Der Zielwert liegt "
                    + ("unter" if falling else "über")
                    + " dem Ausgangswert – bitte die Richtung prüfen."
                )
    elif kind == "yes_no":
        baseline, target, direction, unit = Decimal(0), Decimal(1), "increase", ""
    elif kind == "checklist":
        if not items:
            errors["checklist"] = "Bitte mindestens einen Punkt für die Checkliste angeben."
        baseline, target, direction, unit = None, None, "increase", ""
    return errors, (baseline, target, direction, unit)


def _members_of(municipality_id: int, people: Iterable[Any]) -> list[Any]:
    people = list(people)
    allowed = set(
        Membership.objects.filter(
            municipality_id=municipality_id, user__in=[p.pk for p in people]
        ).values_list("user_id", flat=True)
    )
    strangers = [p for p in people if p.pk not in allowed]
    if strangers:
        raise ValidationError(
            {"feedback_from": "Rückmeldung kann nur bei Personen der Kommune erbeten werden."}
        )
    return people


@transaction.atomic
def comment_create(
    *, initiative: Initiative, actor: User | None, text: str, feedback_from: Iterable[Any] = ()
) -> Comment:
    """A comment on a Vorhaben; the named people are asked for feedback by e-mail."""
    if not text.strip():
        raise ValidationError({"text": "Bitte einen Text eingeben."})
    people = _members_of(initiative.municipality_id, feedback_from)
    comment = Comment(
        municipality_id=initiative.municipality_id,
        initiative=initiative,
        author=actor_or_none(actor),
        text=text.strip(),
    )
    comment.full_clean()
    comment.save()
    comment.feedback_from.set(people)
    audit(
        actor=actor,
        action="comment.create",
        target=comment,
        data={"initiative": initiative.pk, "feedback_from": [p.pk for p in people]},
    )
    # Mail only once the comment is committed: a rolled-back comment must not notify anyone.
    transaction.on_commit(lambda: send_comment_notifications.enqueue(comment.pk))
    return comment


@dataclass(frozen=True)
class DueReminder:
    recipient_id: int
    initiative_id: int
    municipality_id: int
    due_on: dt.date
    remind_on: dt.date


DEFAULT_REMIND_WORKING_DAYS = 3


def reminder_lead_days(municipality_ids: Iterable[int]) -> dict[int, int]:
    """Each municipality's reminder lead time in working days ("Erinnerungen" page), the
    default where it kept it."""
    ids = set(municipality_ids)
    # Run by the daily command and the worker (no request), for the towns it was given.
    stored = dict(
        ReminderSettings.objects.across_municipalities()
        .filter(municipality_id__in=ids)
        .values_list("municipality_id", "lead_working_days")
    )
    return {pk: stored.get(pk, DEFAULT_REMIND_WORKING_DAYS) for pk in ids}


def reminders_due(
    *,
    today: dt.date,
    working_days_before: int | None = None,
    municipality: Municipality | None = None,
) -> list[DueReminder]:
    """Who must be reminded today, and about which reporting date.

    A Vorhaben's reporting date is the day before it would turn "ohne aktuelle Meldung"
    (see `progress.next_report_due`). The reminder is due from `working_days_before` German
    working days (by default each municipality's own lead time, `reminder_lead_days`)
    before that date (weekends and the Land's public holidays skipped) up to the
    date itself, so a day the command did not run is caught up the next day. On a Saturday,
    Sunday or public holiday of the municipality's Land nothing is due (nobody is in the
    office to act on it); the next working day catches up. Recipients: the people named
    responsible and the editors of the leading unit. Four queries.
    """
    rows = _reporting_rows(today, municipality)
    if working_days_before is None:
        lead = reminder_lead_days(row["municipality_id"] for row in rows)
    else:
        lead = defaultdict(lambda: working_days_before)
    due_rows = _due_rows(rows, today, lead)
    if not due_rows:
        return []
    responsible, editors = _reminder_recipients(due_rows)
    result: list[DueReminder] = []
    for row, due, remind_on in due_rows:
        people = responsible[row["pk"]] | editors.get(
            (row["municipality_id"], row["lead_unit_id"]), set()
        )
        result.extend(
            DueReminder(
                recipient_id=user_id,
                initiative_id=row["pk"],
                municipality_id=row["municipality_id"],
                due_on=due,
                remind_on=remind_on,
            )
            for user_id in sorted(people)
        )
    return result


def _reporting_rows(today: dt.date, municipality: Any) -> list[dict[str, Any]]:
    """Every Vorhaben that may owe a report, with what its reporting date depends on."""
    last_status = (
        StatusReport.objects.filter(initiative=OuterRef("pk"), reported_on__lte=today)
        .order_by("-reported_on", "-id")
        .values("reported_on")[:1]
    )
    scope = Initiative.objects.filter(
        status__in=[
            progress_rules.STATUS_ACTIVE,
            progress_rules.STATUS_PAUSED,
            progress_rules.STATUS_PLANNED,
        ]
    )
    if municipality is not None:
        scope = scope.filter(municipality=municipality)
    return list(
        scope.order_by()
        .annotate(last_status=Subquery(last_status, output_field=models.DateField()))
        .values(
            "pk",
            "municipality_id",
            "municipality__state",
            "status",
            "start_date",
            "last_report_at",
            "last_status",
            "lead_unit_id",
            "action_field__plan__reporting_interval_days",
        )
    )


def _due_rows(
    rows: list[dict[str, Any]], today: dt.date, lead: Mapping[int, int]
) -> list[tuple[dict[str, Any], dt.date, dt.date]]:
    """(row, reporting date, first reminder day) of the rows whose reminder is due today."""
    due_rows = []
    for row in rows:
        if not workdays.is_working_day(today, row["municipality__state"]):
            continue
        if not progress_rules.needs_reporting(row["status"], row["start_date"], today):
            continue
        last = last_update(row["last_report_at"], row["last_status"], today)
        due = progress_rules.next_report_due(
            last, row["action_field__plan__reporting_interval_days"], since=row["start_date"]
        )
        if due is None or due < today:
            continue
        remind_on = workdays.working_days_before(
            due, lead[row["municipality_id"]], row["municipality__state"]
        )
        if remind_on <= today:
            due_rows.append((row, due, remind_on))
    return due_rows


def _reminder_recipients(
    due_rows: Any,
) -> tuple[dict[int, set[int]], dict[tuple[int, int], set[int]]]:
    """The responsible people per Vorhaben and the unit editors per (municipality, unit)."""
    ids = [row["pk"] for row, _, _ in due_rows]
    responsible: dict[int, set[int]] = defaultdict(set)
    for initiative_id, user_id in Initiative.responsible_people.through.objects.filter(
        initiative_id__in=ids
    ).values_list("initiative_id", "user_id"):
        responsible[initiative_id].add(user_id)
    editors: dict[tuple[int, int], set[int]] = defaultdict(set)
    for municipality_id, unit_id, user_id in Membership.objects.filter(
        role=Role.UNIT_EDITOR,
        unit_id__in={row["lead_unit_id"] for row, _, _ in due_rows if row["lead_unit_id"]},
    ).values_list("municipality_id", "unit_id", "user_id"):
        editors[(municipality_id, unit_id)].add(user_id)
    return responsible, editors


def reminders_send(
    *,
    today: dt.date | None = None,
    working_days_before: int | None = None,
    municipality: Municipality | None = None,
    dry_run: bool = False,
) -> list[ReminderLog]:
    """Log and send today's reminders; a reminder already logged is never sent again.

    Sends nothing on days that are no working days for the municipality (see `reminders_due`).

    Returns the reminders logged by this run. Unsent reminders of earlier runs (e.g. a worker
    that was down) are handed to the task again. Mails go out after the commit, one per person.
    """
    today = today or timezone.localdate()
    due = reminders_due(
        today=today, working_days_before=working_days_before, municipality=municipality
    )
    if dry_run:
        return [
            ReminderLog(
                municipality_id=d.municipality_id,
                recipient_id=d.recipient_id,
                initiative_id=d.initiative_id,
                due_on=d.due_on,
                remind_on=d.remind_on,
            )
            for d in due
        ]
    created: list[ReminderLog] = []
    with transaction.atomic():
        for d in due:
            log, was_created = ReminderLog.objects.get_or_create(
                recipient_id=d.recipient_id,
                initiative_id=d.initiative_id,
                kind=ReminderKind.STATUS_REPORT,
                due_on=d.due_on,
                defaults={"municipality_id": d.municipality_id, "remind_on": d.remind_on},
            )
            if was_created:
                created.append(log)
        pending = ReminderLog.objects.filter(sent_at__isnull=True, due_on__gte=today)
        if municipality is not None:
            pending = pending.filter(municipality=municipality)
        by_recipient: dict[int, list[int]] = defaultdict(list)
        for log_id, recipient_id, state, wants_mail in pending.values_list(
            "pk", "recipient_id", "municipality__state", "recipient__email_reminders"
        ):
            # Unsent mails of earlier runs also wait for a working day of their Land; people
            # who switched reminders off under "Mein Konto" get none (the duty stays).
            if wants_mail and workdays.is_working_day(today, state):
                by_recipient[recipient_id].append(log_id)
        for log_ids in by_recipient.values():
            transaction.on_commit(
                lambda ids=log_ids: send_reminder_mails.enqueue(ids)  # type: ignore[misc]
            )
        if created:
            audit(
                actor=None,
                action="reminder.schedule",
                municipality=municipality,
                data={"count": len(created), "date": str(today)},
            )
    return created


class BulkConflict(Exception):
    """Something changed between preview and confirmation; nothing was applied."""


def _bulk_status(initiative: Initiative, change: Any, actor: Any) -> Initiative:
    try:
        return initiative_update(
            initiative=initiative,
            actor=actor,
            expected_version=change.version,
            changes={"status": change.status[1]},
        )
    except ConflictError:
        raise BulkConflict(f"{change.label} wurde inzwischen geändert.")


def _bulk_report(initiative: Initiative, change: Any, actor: Any) -> None:
    latest = (
        StatusReport.objects.belonging_to(initiative, via="initiative")
        .order_by("-reported_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if (latest or 0) != change.report_id:
        raise BulkConflict(f"Zu {change.label} kam inzwischen eine neue Meldung.")
    status_report_submit(
        initiative=initiative,
        actor=actor,
        health=change.report["health"],
        text=change.report["text"],
        off_track_note=change.report["off_track_note"],
    )


def _bulk_measurement(m: Any, plan: Any, initiative_ids: list[int], actor: Any) -> None:
    indicator = (
        Indicator.objects.filter(
            pk=m.indicator_id, initiative__in=initiative_ids, municipality=plan.municipality
        )
        .select_related("initiative")
        .first()
    )
    if indicator is None:
        raise BulkConflict(f"Den Indikator {m.label} gibt es nicht mehr.")
    latest = (
        Measurement.objects.belonging_to(indicator, via="indicator")
        .order_by("-measured_on", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    if (latest or 0) != m.measurement_id:
        raise BulkConflict(f"Zu {m.label} wurde inzwischen ein neuer Wert erfasst.")
    measurement_record(
        indicator=indicator,
        actor=actor,
        measured_on=dt.date.fromisoformat(m.measured_on),
        value=Decimal(m.value),
        source=MeasurementSource.IMPORT,
        interval_days=plan.reporting_interval_days,  # the plan is loaded: no query per value
    )


@transaction.atomic
def bulk_update_apply(*, plan: ActionPlan, actor: User | None, preview: Preview) -> dict[str, int]:
    """Apply the conflict-free rows of a bulk-update preview, all or nothing.

    Status changes go through the versioned update (a version changed since the download is a
    conflict); status reports and measurements through their services. If any row turned into
    a conflict after the preview was shown, everything is rolled back.
    """
    initiatives = {
        i.pk: i
        for i in Initiative.objects.filter(
            action_field__plan=plan, municipality_id=plan.municipality_id
        )
    }
    counts = {"status": 0, "reports": 0, "measurements": 0}
    for change in preview.initiatives:
        if change.conflict or change.error:
            continue
        initiative = initiatives.get(change.initiative_id)
        if initiative is None:
            raise BulkConflict(f"Vorhaben {change.label} gibt es in diesem Plan nicht mehr.")
        if initiative.version != change.version:
            raise BulkConflict(f"{change.label} wurde inzwischen geändert.")
        if change.status:
            initiative = _bulk_status(initiative, change, actor)
            counts["status"] += 1
        if change.report:
            _bulk_report(initiative, change, actor)
            counts["reports"] += 1
    for m in preview.measurements:
        if m.conflict or m.error:
            continue
        _bulk_measurement(m, plan, list(initiatives), actor)
        counts["measurements"] += 1
    audit(actor=actor, action="plan.bulk_update", target=plan, data=counts)
    return counts


# --- Einstellungen der Erinnerungen ----------------------------------------------------------


@transaction.atomic
def reminder_settings_save(
    *,
    municipality: Municipality,
    actor: Any,
    lead_working_days: int,
    expected_version: int | None,
    intervals: Mapping[ActionPlan, tuple[int, int]] | None = None,
) -> ReminderSettings:
    """Save the municipality's reminder lead time and each plan's reporting interval
    (`intervals`: plan -> (days, the plan's version the form started from)).

    All or nothing: a concurrent change of the settings or of one plan raises `ConflictError`
    and nothing is saved. Plans go through the plan's own versioned, audited update.
    """
    for plan, (days, version) in (intervals or {}).items():
        if plan.municipality_id != municipality.pk:
            raise ValidationError("Ein Aktionsplan gehört zu einer anderen Kommune.")
        if days != plan.reporting_interval_days:
            plan_update(
                plan=plan,
                actor=actor,
                expected_version=version,
                changes={"reporting_interval_days": days},
            )
    current = ReminderSettings.objects.for_municipality(municipality).first()
    if current is None:
        return create_row(
            model=ReminderSettings,
            municipality=municipality,
            actor=actor,
            action="reminder_settings.create",
            values={"lead_working_days": lead_working_days},
        )
    return update_versioned(
        instance=current,
        actor=actor,
        action="reminder_settings.update",
        expected_version=expected_version or 0,
        changes={"lead_working_days": lead_working_days},
    )
