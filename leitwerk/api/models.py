"""Access tokens for the REST API: bound to one person and one municipality, stored hashed."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from leitwerk.core.models import TenantModel

TOKEN_PREFIX = "lw_"  # noqa: S105 - the visible prefix of every token, not a secret


def token_hash(raw: str) -> str:
    """SHA-256 of the whole token. Tokens carry 256 random bits, so a fast hash is enough
    (no dictionary to guess from); the plaintext is shown once and never stored."""
    return hashlib.sha256(raw.encode("utf-8", errors="replace")).hexdigest()


class ApiToken(TenantModel):
    """A token acts as its person, in its municipality only, with that person's roles there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Person"),
    )
    name = models.CharField(_("Bezeichnung"), max_length=100)
    # The first characters after the prefix, to recognise a token in lists and logs.
    hint = models.CharField(_("Kennung"), max_length=12)
    key_hash = models.CharField(_("Prüfwert"), max_length=64, unique=True, editable=False)
    read_only = models.BooleanField(
        _("nur lesen"),
        default=False,
        help_text=_("Ein Token „nur lesen“ wird bei jedem schreibenden Aufruf abgewiesen (403)."),
    )
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-Token")
        verbose_name_plural = _("API-Tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_PREFIX}{self.hint}…)"
