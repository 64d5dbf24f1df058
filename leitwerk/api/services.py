"""Writes of the API app: creating and revoking access tokens (audited)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from leitwerk.core.audit import audit
from leitwerk.municipalities.models import Membership, Municipality

from .models import TOKEN_PREFIX, ApiToken, token_hash

if TYPE_CHECKING:
    from leitwerk.accounts.models import User


@transaction.atomic
def api_token_create(
    *,
    user: User,
    municipality: Municipality,
    name: str,
    read_only: bool = False,
    actor: User | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` in `municipality`; returns the row and the plaintext (shown once).

    The person must hold a role there: the token never grants more than the person has.
    """
    if not Membership.objects.filter(user=user, municipality=municipality).exists():
        raise ValidationError({"municipality": f"{user} hat in {municipality.name} keine Rolle."})
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(
        municipality=municipality,
        user=user,
        name=(name or "").strip() or "API-Zugang",
        hint=secret[:8],
        key_hash=token_hash(raw),
        read_only=read_only,
    )
    token.full_clean()
    token.save()
    audit(
        actor=actor or user,
        action="api_token.create",
        target=token,
        data={"read_only": read_only},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit(actor=actor, action="api_token.revoke", target=token)
    return token
