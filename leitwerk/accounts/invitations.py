"""The secret part of an invitation link: a keyed hash of the invitation's nonce.

Only the installation's secret key turns a stored nonce into a working link, so a copy of the
database alone opens no account; a new nonce (sending again) invalidates older links.
"""

from __future__ import annotations

from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Invitation

_SALT = "leitwerk.accounts.invitation"


def invitation_token(invitation: Invitation) -> str:
    return salted_hmac(_SALT, f"{invitation.pk}:{invitation.nonce}", algorithm="sha256").hexdigest()


def invitation_token_matches(invitation: Invitation, token: str) -> bool:
    return constant_time_compare(invitation_token(invitation), token)
