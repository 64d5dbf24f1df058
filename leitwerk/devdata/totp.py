"""Print the current code of the demo admins' app: `.venv/bin/python -m leitwerk.devdata.totp`.

Only for the demo (LOGINS.md): the secret is public. Needs no database.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import time
from base64 import b32decode

DEMO_TOTP_SECRET = "LEITWERKDEMOZWEIFAKTORLEITWERKXY"  # noqa: S105 - same as demo/base.py


def current_code(at: float | None = None) -> str:
    """RFC 6238 with 30-s steps and 6 digits, as allauth.mfa checks it (no Django needed)."""
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(
        b32decode(DEMO_TOTP_SECRET), struct.pack(">Q", counter), hashlib.sha1
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


if __name__ == "__main__":
    remaining = 30 - int(time.time()) % 30
    print(f"{current_code()}  (noch {remaining} Sekunden gültig)")  # noqa: T201
