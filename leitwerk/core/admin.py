from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import AuditLogEntry


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(admin.ModelAdmin[AuditLogEntry]):
    """Read-only: the audit trail is evidence and must not be edited by hand."""

    list_display = ["created_at", "municipality", "actor", "action", "target_type", "target_repr"]
    list_filter = ["municipality", "action", "target_type"]
    search_fields = ["action", "target_repr", "actor__email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLogEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLogEntry | None = None) -> bool:
        return False


def _generic_admin(model: type[models.Model], *, read_only: bool) -> type[admin.ModelAdmin[Any]]:
    """A plain admin built from the model's fields, for rows without a hand-written one."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    shown = [f.name for f in fields if not f.is_relation and f.get_internal_type() != "JSONField"]
    shown = ["__str__", *shown[:5]]
    if any(f.name == "municipality" for f in fields):
        shown.append("municipality")
    attrs = {
        "list_display": shown,
        "list_filter": [
            f.name for f in fields if f.name == "municipality" or (f.choices and not f.is_relation)
        ][:4],
        "search_fields": [
            f.name for f in fields if f.get_internal_type() in ("CharField", "TextField")
        ][:4],
        "list_select_related": True,
    }
    if read_only:
        attrs.update(
            has_add_permission=lambda self, request: False,
            has_change_permission=lambda self, request, obj=None: False,
        )
    return type(f"{model.__name__}Admin", (admin.ModelAdmin,), attrs)


def register_remaining(app_label: str, *, read_only: tuple[str, ...] = ()) -> None:
    """Registers every model of the app that has no admin yet.

    Called at the end of each app's admin.py, so a model added later still shows up in the
    admin with its German verbose names; a hand-written admin can replace it any time.
    """
    from django.apps import apps

    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical") or admin.site.is_registered(model):
            continue
        admin.site.register(model, _generic_admin(model, read_only=model.__name__ in read_only))


register_remaining("core", read_only=("Notice",))
