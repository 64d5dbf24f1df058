"""`Authorization: Bearer lw_…`: the token's person, in the token's municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions

from leitwerk.municipalities.models import Membership

from .models import TOKEN_PREFIX, ApiToken, token_hash

# Writing last_used_at on every request would turn reads into writes; once a minute is enough.
_TOUCH_EVERY = dt.timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Ungültiger Authorization-Header: erwartet wird „Bearer TOKEN“."
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Das Token enthält ungültige Zeichen.")
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
            raise exceptions.AuthenticationFailed("Das Token ist ungültig.")
        # The token tells the municipality, so finding it cannot be scoped by one.
        token = (
            ApiToken.objects.select_related("user", "municipality")
            .filter(key_hash=token_hash(raw), revoked_at__isnull=True)
            .across_municipalities()
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Das Token ist ungültig oder widerrufen.")
        # A role withdrawn after the token was made ends the token's access, too.
        if not Membership.objects.filter(
            user_id=token.user_id, municipality_id=token.municipality_id
        ).exists():
            raise exceptions.AuthenticationFailed(
                "Die Person hat in der Kommune dieses Tokens keine Rolle mehr."
            )
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk, municipality_id=token.municipality_id).update(
                last_used_at=now
            )
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return f'{self.keyword} realm="leitwerk"'
