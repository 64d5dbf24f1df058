from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "hint",
        "user",
        "municipality",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["municipality"]
    search_fields = ["name", "hint", "user__email"]
    readonly_fields = ["hint", "key_hash", "last_used_at", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A token is made with `leitwerk token create`, which shows its secret once.
        return False
