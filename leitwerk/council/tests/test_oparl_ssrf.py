"""The RIS sync never reads the Leitwerk server's own network (SSRF): loopback, private,
link-local and the cloud metadata address are refused in German, also when a harmless-looking
name resolves to them, and redirects are never followed."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest
from django.test import override_settings
from django.urls import reverse

from leitwerk.council import oparl
from leitwerk.council.models import RisSource
from leitwerk.council.oparl import FetchError, HttpFetcher

pytestmark = pytest.mark.django_db

INTERNAL = [
    "http://127.0.0.1/oparl",
    "http://localhost:8000/oparl",
    "http://10.1.2.3/oparl",
    "http://192.168.0.10/oparl",
    "http://172.16.5.5/oparl",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/oparl",
    "http://[::ffff:127.0.0.1]/oparl",
    "http://0.0.0.0/oparl",
]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused_in_german(url, monkeypatch):
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a))
    with pytest.raises(FetchError, match="internen Adresse"):
        HttpFetcher(url)(url)
    assert connected == []


def _resolve_to(monkeypatch, address: str) -> list:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, port))],
    )
    connected: list = []

    def connect(address_port, *args, **kwargs):
        connected.append(address_port)
        raise ConnectionRefusedError("test: no connection")

    monkeypatch.setattr(socket, "create_connection", connect)
    return connected


def test_a_public_name_that_resolves_to_the_metadata_service_is_refused(monkeypatch):
    connected = _resolve_to(monkeypatch, "169.254.169.254")
    url = "https://ris.beispielstadt.de/oparl"
    with pytest.raises(FetchError, match="ris.beispielstadt.de führt zu 169.254.169.254"):
        HttpFetcher(url)(url)
    assert connected == []


def test_the_connection_goes_to_the_address_that_was_checked(monkeypatch):
    """No second lookup between check and connect (DNS rebinding)."""
    connected = _resolve_to(monkeypatch, "93.184.216.34")
    url = "http://ris.beispielstadt.de/oparl"
    with pytest.raises(FetchError, match="nicht erreichbar"):
        HttpFetcher(url)(url)
    assert connected == [("93.184.216.34", 80)]


def test_an_operator_may_allow_the_intranet_but_never_the_metadata_service(monkeypatch):
    connected = _resolve_to(monkeypatch, "10.20.1.5")
    url = "http://ris.intern/oparl"
    with override_settings(LEITWERK_OPARL_ALLOWED_NETWORKS=["10.20.0.0/16"]):
        with pytest.raises(FetchError, match="nicht erreichbar"):
            HttpFetcher(url)(url)
    assert connected == [("10.20.1.5", 80)]
    _resolve_to(monkeypatch, "169.254.169.254")
    with override_settings(LEITWERK_OPARL_ALLOWED_NETWORKS=["169.254.0.0/16"]):
        with pytest.raises(FetchError, match="internen Adresse"):
            oparl.checked_address("metadata.intern", 80)


class _Redirect(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server interface
        self.send_response(302)
        self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_to_the_metadata_service_is_not_followed():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Redirect)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/oparl"
    try:
        with override_settings(LEITWERK_OPARL_ALLOWED_NETWORKS=["127.0.0.0/8"]):
            with pytest.raises(FetchError, match="Umleitungen folgt Leitwerk nicht"):
                HttpFetcher(url)(url)
    finally:
        server.shutdown()
        server.server_close()


def test_the_ris_page_names_the_refused_address(
    strategy_user, musterstadt, client_for, django_capture_on_commit_callbacks
):
    RisSource.objects.create(municipality=musterstadt, system_url="http://127.0.0.1:8000/oparl")
    client = client_for(strategy_user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("council:ris_sync")).status_code == 302
    page = client.get(reverse("council:ris")).content.decode()
    assert "nicht lesbar" in page
    assert "127.0.0.1 führt zu 127.0.0.1, einer internen Adresse" in page
