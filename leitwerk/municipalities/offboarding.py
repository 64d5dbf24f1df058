"""Tenant offboarding (catalogue row I7): remove every row and file of one municipality.

`municipality_delete` is the only writer. Most rows go by the database cascade of
`TenantModel.municipality`; what the cascade does not reach is removed explicitly:

- django-simple-history tables (their `municipality` has no constraint, DO_NOTHING),
- background task results whose arguments name a row of the municipality,
- uploaded files (attachments, report files) – after the commit, so a rollback keeps them.

People are not tenant-owned (one person may work for several municipalities); those left
without any role are returned, so the operator can remove them with `leitwerk user delete`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction

from leitwerk.core.audit import audit

from .models import Membership, Municipality

# Background tasks and the model whose primary keys they take as arguments.
TENANT_TASKS = {
    "leitwerk.imports.tasks.run_import": "imports.ImportRun",
    "leitwerk.reports.tasks.generate_report": "reports.Report",
    "leitwerk.controlling.tasks.send_comment_notifications": "controlling.Comment",
    "leitwerk.controlling.tasks.send_reminder_mails": "controlling.ReminderLog",
}


def municipality_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every concrete foreign key to Municipality in every installed model (history included)."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is Municipality:
                found.append((model, field))
    return found


def _files(municipality: Municipality) -> list[tuple[Any, str]]:
    files: list[tuple[Any, str]] = []
    for model, field in municipality_fields():
        if field.name != "municipality":
            continue
        for file_field in model._meta.concrete_fields:
            if isinstance(file_field, models.FileField):
                names = (
                    model._default_manager.filter(municipality=municipality)
                    .exclude(**{file_field.name: ""})
                    .values_list(file_field.name, flat=True)
                )
                files.extend((file_field.storage, name) for name in names if name)
    return files


def _task_results(municipality: Municipality) -> int:
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    deleted = 0
    for path, label in TENANT_TASKS.items():
        ids = set(
            apps.get_model(label)
            ._default_manager.filter(municipality=municipality)
            .values_list("pk", flat=True)
        )
        if not ids:
            continue
        doomed = []
        for pk, args_kwargs in DBTaskResult.objects.filter(task_path=path).values_list(
            "pk", "args_kwargs"
        ):
            values = list((args_kwargs or {}).get("args", [])) + list(
                ((args_kwargs or {}).get("kwargs") or {}).values()
            )
            flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
            if any(v in ids for v in flat if isinstance(v, int)):
                doomed.append(pk)
        deleted += DBTaskResult.objects.filter(pk__in=doomed).delete()[0]
    return deleted


def municipality_delete(*, slug: str, confirm: str, actor: Any = None) -> dict[str, Any]:
    """Deletes the municipality `slug` with everything it owns; `confirm` must repeat the slug.

    Returns {"name", "slug", "rows" (per model label), "files", "task_results",
    "people_without_role" (e-mail addresses)}.
    """
    municipality = Municipality.objects.filter(slug=slug).first()
    if municipality is None:
        raise ValidationError(f"Die Kommune „{slug}“ gibt es nicht.")
    if confirm != slug:
        raise ValidationError(
            f"Zur Bestätigung muss --confirm genau den Kurznamen „{slug}“ wiederholen; "
            "es wurde nichts gelöscht."
        )
    members = list(municipality.members.order_by("slug").values_list("slug", flat=True))
    if members:
        raise ValidationError(
            f"„{slug}“ ist das Amt von {', '.join(members)}; bitte zuerst diese "
            "Mitgliedsgemeinden löschen oder einem anderen Amt zuordnen. Es wurde nichts gelöscht."
        )
    name, pk = municipality.name, municipality.pk
    people = set(
        Membership.objects.filter(municipality=municipality).values_list("user", flat=True)
    )
    rows: Counter[str] = Counter()
    with transaction.atomic():
        files = _files(municipality)
        task_results = _task_results(municipality)
        _total, per_model = municipality.delete()
        rows.update({label: n for label, n in per_model.items() if n})
        # What the cascade cannot reach: foreign keys without a constraint (history tables).
        # After the cascade, because django-simple-history records every deletion as a row.
        for model, field in municipality_fields():
            if field.remote_field is not None and field.remote_field.on_delete is models.DO_NOTHING:
                count, _ = model._default_manager.filter(**{field.attname: pk}).delete()
                if count:
                    rows[model._meta.label] += count
        remaining = set(Membership.objects.filter(user__in=people).values_list("user", flat=True))
        from django.contrib.auth import get_user_model

        orphans = sorted(
            get_user_model()
            .objects.filter(pk__in=people - remaining)
            .values_list("email", flat=True)
        )
        audit(
            actor=actor,
            action="municipality.delete",
            data={"slug": slug, "name": name, "rows": sum(rows.values()), "files": len(files)},
        )

        def remove_files() -> None:
            for storage, file_name in files:
                storage.delete(file_name)

        transaction.on_commit(remove_files)
    return {
        "name": name,
        "slug": slug,
        "rows": dict(sorted(rows.items())),
        "files": len(files),
        "task_results": task_results,
        "people_without_role": orphans,
    }
