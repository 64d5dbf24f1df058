"""Spam protection of the portal's public forms, without third parties: a honeypot field, a
signed time stamp (a person needs a few seconds to fill in a form; a bot posting a copied form
days later is refused too) and a limit per client address and municipality
(`core.ratelimit`, hashed keys)."""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.core import signing
from django.http import HttpRequest

from leitwerk.accounts.signals import client_ip
from leitwerk.core import ratelimit
from leitwerk.core.forms import AccessibleForm

MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600
LIMIT_PER_HOUR = 10
_SALT = "leitwerk.portal.form-started"


def _clock() -> float:
    return time.time()


def started_stamp() -> str:
    return signing.dumps(int(_clock()), salt=_SALT)


class GuardedForm(AccessibleForm):
    """A public form with a trap field and a signed start time; `is_trap` says that a bot
    filled in the trap (the view then answers as if it worked and stores nothing)."""

    started = forms.CharField(widget=forms.HiddenInput, required=False)
    # Inside an aria-hidden box and out of the tab order (axe aria-hidden-focus).
    website = forms.CharField(
        required=False,
        label="Bitte leer lassen",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if not args or args[0] is None:
            kwargs.setdefault("initial", {}).setdefault("started", started_stamp())
        super().__init__(*args, **kwargs)

    @property
    def is_trap(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def _renew(self) -> None:
        """The page shown again carries a fresh start time, so the next try can pass."""
        # Every field of these forms holds one value, so a plain dict keeps all of them.
        self.data = {
            **{name: self.data.get(name) for name in self.data},
            "started": started_stamp(),
        }

    def clean(self) -> dict[str, Any]:
        # A form-wide error: the hidden field has no label a person could act on.
        data = super().clean() or {}
        try:
            started = int(signing.loads(data.get("started") or "", salt=_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self._renew()
            raise forms.ValidationError(
                "Das Formular ist ungültig. Bitte laden Sie die Seite neu."
            ) from None
        elapsed = _clock() - started
        if elapsed < MIN_SECONDS:
            raise forms.ValidationError(
                "Das ging sehr schnell. Bitte prüfen Sie Ihre Angaben und senden Sie noch einmal."
            )
        if elapsed > MAX_SECONDS:
            self._renew()
            raise forms.ValidationError(
                "Das Formular ist abgelaufen. Bitte laden Sie die Seite neu."
            )
        return data


def over_limit(request: HttpRequest, *, scope: str, municipality_id: int) -> bool:
    """Count one submission of this client for this municipality; True above the limit."""
    client = client_ip(request) or "unknown"
    return not ratelimit.hit(
        scope=f"portal-{scope}",
        key=f"{municipality_id}:{client}",
        limit=LIMIT_PER_HOUR,
        window=3600,
    )
