"""Template context of the tenants layer: the towns the signed-in person works for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from leitwerk.municipalities.rules import is_admin
from leitwerk.municipalities.selectors import municipalities_for_user


def municipalities(request: HttpRequest) -> dict[str, Any]:
    """`my_municipalities` for the header's switcher; read only when a page shows it."""
    user = getattr(request, "user", None)
    return {
        "my_municipalities": SimpleLazyObject(
            lambda: list(municipalities_for_user(user=user)) if user is not None else []
        ),
        # The operator's "Kommunen anlegen" (onboarding) in the header.
        "may_onboard": bool(getattr(user, "is_superuser", False)),
        # The header's "Kommune einrichten" link, for the admins of the current municipality.
        "may_set_up": SimpleLazyObject(
            lambda: bool(
                user is not None
                and (municipality := getattr(request, "municipality", None))
                and is_admin(user, municipality)
            )
        ),
    }
