"""The Django admin asks for the second factor too (catalogue B5).

`admin_apps.LeitwerkAdminConfig` replaces "django.contrib.admin" in INSTALLED_APPS, so
`admin.site` is a `LeitwerkAdminSite`: it lets in only sessions that
`policy.second_factor_satisfied` accepts, and its login page is Leitwerk's own sign-in (with
the code step), never the admin's password-only form.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import policy


class LeitwerkAdminSite(admin.AdminSite):
    def has_permission(self, request: Any) -> bool:
        return super().has_permission(request) and policy.second_factor_satisfied(request)

    def login(self, request: Any, extra_context: Any = None) -> Any:
        target = request.GET.get("next") or request.get_full_path()
        if not request.user.is_authenticated:
            return redirect_to_login(target)
        if not policy.second_factor_satisfied(request):
            if policy.has_second_factor(request.user):
                return redirect("accounts:2fa_verify")
            return redirect("accounts:2fa_enroll")
        messages.error(
            request,
            _("Die Verwaltungsoberfläche ist nur für die technische Administration freigegeben."),
        )
        return redirect("home")
