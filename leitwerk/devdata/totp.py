"""Print the current code of the demo admins' app: `.venv/bin/python -m leitwerk.devdata.totp`.

Only for the demo (LOGINS.md): the secret is public. Needs no database.
"""

from __future__ import annotations

import time
from base64 import b32decode

DEMO_TOTP_SECRET = "LEITWERKDEMOZWEIFAKTORLEITWERKXY"  # noqa: S105 - same as demo/base.py


def current_code(at: float | None = None) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(b32decode(DEMO_TOTP_SECRET))
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


if __name__ == "__main__":
    remaining = 30 - int(time.time()) % 30
    print(f"{current_code()}  (noch {remaining} Sekunden gültig)")  # noqa: T201
