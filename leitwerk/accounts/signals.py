"""Audit entries for sign-in events that happen outside Leitwerk's views (catalogue G1)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from leitwerk.core.audit import audit
from leitwerk.core.logs import municipality_slug, security_event
from leitwerk.municipalities.selectors import municipality_current_for_request


def _attempted(credentials: dict[str, Any]) -> str:
    value = credentials.get("username") or credentials.get("email") or ""
    return str(value)[:254]


@receiver(user_login_failed, dispatch_uid="leitwerk_login_failed")
def login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    audit(actor=None, action="accounts.login_failed", data={"email": _attempted(credentials)})


@receiver(user_locked_out, dispatch_uid="leitwerk_locked_out")
def locked_out(sender: Any, request: Any = None, username: Any = None, **kw: Any) -> None:
    audit(actor=None, action="accounts.lockout", data={"email": str(username or "")[:254]})


@receiver(user_logged_out, dispatch_uid="leitwerk_logged_out")
def logged_out(sender: Any, request: Any = None, user: Any = None, **kw: Any) -> None:
    if user is not None:
        audit(actor=user, action="accounts.logout")


def attempted_username(request: Any, credentials: dict[str, Any] | None = None) -> str:
    """The e-mail address axes counts failures for: case and spaces do not make a new one."""
    # Django's signal passes "username" (the form field); axes' backend passes the model's
    # USERNAME_FIELD ("email"), as a lazy string key.
    found = {str(key): value for key, value in (credentials or {}).items()}
    value = found.get("username") or found.get("email")
    if value is None and request is not None:
        value = request.POST.get("login", "")
    return str(value or "").strip().lower()[:254]


def client_ip(request: Any) -> str | None:
    """REMOTE_ADDR, or behind LEITWERK_TRUSTED_PROXIES proxies the address the outermost of
    them saw (X-Forwarded-For, counted from the right: the left part is the client's claim)."""
    from django.conf import settings

    proxies = getattr(settings, "LEITWERK_TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    chain = [
        p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
    ]
    if len(chain) < proxies:
        return remote
    return chain[-proxies]


# The security log's sign-in event (core/logs.py logs the others): it names the town the
# person lands in, which only the tenants layer knows.
@receiver(user_logged_in, dispatch_uid="leitwerk-log-login")
def log_logged_in(sender: Any, request: Any, user: Any, **kw: Any) -> None:
    slug = None
    if request is not None:
        # request.municipality was worked out before the sign-in (as anonymous): ask afresh.
        slug = municipality_slug(municipality_current_for_request(request=request))
    security_event("login", outcome="ok", actor_id=user.pk, municipality=slug)
