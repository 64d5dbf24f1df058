from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from leitwerk.municipalities.models import Membership

from .models import IdentityProvider, Invitation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    fields = ["municipality", "role", "unit", "body"]
    autocomplete_fields = ["municipality", "unit", "body"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, keyed by e-mail address instead of a user name."""

    ordering = ["last_name", "first_name", "email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__municipality"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Name"), {"fields": ("first_name", "last_name")}),
        (
            _("Berechtigungen"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Wichtige Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    """Sign-in through a municipality's Keycloak, AD FS or Entra ID (docs/DEPLOYMENT.md)."""

    list_display = ["name", "municipality", "slug", "issuer", "enabled"]
    list_filter = ["enabled"]
    autocomplete_fields = ["municipality"]
    fields = [
        "municipality",
        "name",
        "slug",
        "issuer",
        "client_id",
        "secret_env",
        "groups_claim",
        "group_roles",
        "email_domains",
        "enabled",
    ]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations of "Personen & Rollen" (read only here: admins invite in the workspace)."""

    list_display = ["user", "municipality", "invited_by", "expires_at", "accepted_at"]
    list_filter = ["municipality"]
    fields = ["municipality", "user", "invited_by", "sent_at", "expires_at", "accepted_at"]
    readonly_fields = ["municipality", "user", "invited_by", "sent_at", "expires_at", "accepted_at"]

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False
