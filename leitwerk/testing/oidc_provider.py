"""A real OpenID Connect provider for tests (django-oauth-toolkit in its own process).

`running_identity_provider(tmp, ...)` starts `leitwerk.accounts.tests.oidc_provider.serve` on a
free loopback port and yields a `Provider` once its discovery document answers. Used by the
single sign-on tests and by "Verbindung prüfen" of the SSO settings page.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


@dataclass
class Provider:
    port: int
    groups_file: Path

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}/o"

    def set_groups(self, username: str, groups: list[str]) -> None:
        self.groups_file.write_text(json.dumps({username: groups}))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_identity_provider(
    tmp: Path,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    users: dict[str, list[str]],
) -> Iterator[Provider]:
    """The Verwaltung's identity provider, running until the block ends."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    port = _free_port()
    provider = Provider(port=port, groups_file=tmp / "groups.json")
    for username in users:
        provider.set_groups(username, [])
    env = {
        **os.environ,
        "OP_PORT": str(port),
        "OP_DB": str(tmp / "op.sqlite3"),
        "OP_KEY_FILE": str(tmp / "key.pem"),
        "OP_GROUPS_FILE": str(provider.groups_file),
        "OP_CLIENT_ID": client_id,
        "OP_CLIENT_SECRET": client_secret,
        "OP_REDIRECT_URIS": redirect_uri,
        "OP_USERS": json.dumps(users),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = (tmp / "op.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "leitwerk.accounts.tests.oidc_provider.serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )
    no_proxy = os.environ.get("NO_PROXY")
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    try:
        discovery = f"{provider.issuer}/.well-known/openid-configuration"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"identity provider died: {(tmp / 'op.log').read_text()}")
            try:
                if requests.get(discovery, timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"identity provider did not start: {(tmp / 'op.log').read_text()}"
                )
            time.sleep(0.2)
        yield provider
    finally:
        process.kill()
        process.wait(timeout=10)
        log.close()
        if no_proxy is None:
            os.environ.pop("NO_PROXY", None)
        else:
            os.environ["NO_PROXY"] = no_proxy
