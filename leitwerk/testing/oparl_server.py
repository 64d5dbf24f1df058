"""A local OParl 1.1 server for the tests and the browser journey.

`serve_oparl()` starts a small `http.server` on a free port of 127.0.0.1 that answers from a
data set (`leitwerk.council.oparl.Dataset`: System, body list, a body's organisation, paper
and meeting lists, paginated two objects a page with `links.next`, `modified_since` honoured).
`example_dataset()` follows the shapes of the specification's examples (System, Body,
Organization, Meeting with embedded agenda items, Paper with embedded consultations); its
texts are invented. Tests change the data between runs with `server.replace(data)`.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from leitwerk.council.oparl import Dataset

SCHEMA = "https://schema.oparl.org/1.1/"


def example_dataset() -> dict[str, Any]:
    """A RIS with one body, a council and a committee, two meetings, three papers."""
    t0 = "2026-01-10T10:00:00+01:00"
    body = "{base}/body/1"
    return {
        "system": {
            "id": "{base}/",
            "type": SCHEMA + "System",
            "oparlVersion": SCHEMA,
            "body": "{base}/bodies",
            "name": "Ratsinformationssystem Beispielstadt",
            "created": t0,
            "modified": t0,
        },
        "bodies": [
            {
                "id": body,
                "type": SCHEMA + "Body",
                "system": "{base}/",
                "name": "Stadt Beispielstadt",
                "shortName": "Beispielstadt",
                "organization": body + "/organizations",
                "meeting": body + "/meetings",
                "paper": body + "/papers",
                "person": body + "/persons",
                "agendaItem": body + "/agendaItems",
                "consultation": body + "/consultations",
                "file": body + "/files",
                "membership": body + "/memberships",
                "locationList": body + "/locations",
                "legislativeTerm": [],
                "created": t0,
                "modified": t0,
            }
        ],
        "organizations": [
            {
                "id": "{base}/organization/1",
                "type": SCHEMA + "Organization",
                "body": body,
                "name": "Rat der Stadt Beispielstadt",
                "shortName": "Rat",
                "organizationType": "Gremium",
                "classification": "Rat",
                "created": t0,
                "modified": t0,
            },
            {
                "id": "{base}/organization/34",
                "type": SCHEMA + "Organization",
                "body": body,
                "name": "Ausschuss für Haushalt und Finanzen",
                "shortName": "Finanzausschuss",
                "organizationType": "Gremium",
                "classification": "Ausschuss",
                "created": t0,
                "modified": t0,
            },
            {
                # Only the required fields: the sync must not need the optional ones.
                "id": "{base}/organization/50",
                "type": SCHEMA + "Organization",
                "name": "Fraktion Beispielliste",
                "organizationType": "Fraktion",
            },
        ],
        "papers": [
            {
                "id": "{base}/paper/749",
                "type": SCHEMA + "Paper",
                "body": body,
                "name": "Satzungsänderung für Ausschreibungen",
                "reference": "1234/2026",
                "date": "2026-01-04",
                "paperType": "Beschlussvorlage",
                "consultation": [
                    {
                        "id": "{base}/consultation/1034",
                        "type": SCHEMA + "Consultation",
                        "agendaItem": "{base}/agendaitem/3271",
                        "meeting": "{base}/meeting/281",
                        "organization": ["{base}/organization/34"],
                        "role": "Beschlussfassung",
                    }
                ],
                "created": t0,
                "modified": t0,
            },
            {
                "id": "{base}/paper/750",
                "type": SCHEMA + "Paper",
                "body": body,
                "name": "Prioritätenliste der Vorhaben 2026",
                "reference": "1240/2026",
                "date": "2026-01-20",
                "paperType": "Beschlussvorlage",
                "consultation": [
                    {
                        "id": "{base}/consultation/1040",
                        "type": SCHEMA + "Consultation",
                        "agendaItem": "{base}/agendaitem/3300",
                        "meeting": "{base}/meeting/300",
                    }
                ],
                "created": t0,
                "modified": t0,
            },
            {
                "id": "{base}/paper/751",
                "type": SCHEMA + "Paper",
                "name": "Anfrage zur Radwegeplanung",
            },
        ],
        "meetings": [
            {
                "id": "{base}/meeting/281",
                "type": SCHEMA + "Meeting",
                "name": "4. Sitzung des Finanzausschusses",
                "start": "2026-01-14T17:00:00+01:00",
                "end": "2026-01-14T19:00:00+01:00",
                "organization": ["{base}/organization/34"],
                "agendaItem": [
                    {
                        "id": "{base}/agendaitem/3271",
                        "type": SCHEMA + "AgendaItem",
                        "meeting": "{base}/meeting/281",
                        "number": "10.1",
                        "order": 12,
                        "name": "Satzungsänderung für Ausschreibungen",
                        "public": True,
                        "consultation": "{base}/consultation/1034",
                        "result": "Geändert beschlossen",
                        "resolutionText": "Der Beschluss weicht wie folgt vom Antrag ab: …",
                        "created": t0,
                        "modified": t0,
                    },
                    {
                        "id": "{base}/agendaitem/3272",
                        "type": SCHEMA + "AgendaItem",
                        "meeting": "{base}/meeting/281",
                        "number": "11",
                        "name": "Mitteilungen der Verwaltung",
                    },
                ],
                "created": t0,
                "modified": t0,
            },
            {
                "id": "{base}/meeting/300",
                "type": SCHEMA + "Meeting",
                "name": "12. Sitzung des Rates",
                "start": "2026-02-05T18:00:00+01:00",
                "organization": ["{base}/organization/1"],
                "agendaItem": [
                    {
                        "id": "{base}/agendaitem/3300",
                        "type": SCHEMA + "AgendaItem",
                        "number": "5",
                        "name": "Prioritätenliste der Vorhaben 2026",
                        "result": "Einstimmig beschlossen",
                        "resolutionText": "Der Rat beschließt die Prioritätenliste 2026.",
                    },
                    {
                        "id": "{base}/agendaitem/3301",
                        "type": SCHEMA + "AgendaItem",
                        "number": "6",
                        "name": "Radverkehrskonzept: Sachstand",
                        "result": "Zur Kenntnis genommen",
                    },
                ],
                "created": t0,
                "modified": t0,
            },
            {
                "id": "{base}/meeting/301",
                "type": SCHEMA + "Meeting",
                "name": "13. Sitzung des Rates",
                "start": "2026-03-12T18:00:00+01:00",
                "organization": ["{base}/organization/1"],
                "created": t0,
                "modified": t0,
            },
        ],
    }


class OParlServer:
    """A running local server; `url` is its base, `system_url` the System object's id."""

    def __init__(self, raw: dict[str, Any], *, page_size: int = 2) -> None:
        self.page_size = page_size
        self.requests: list[str] = []
        self._raw = copy.deepcopy(raw)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = f"{server.origin}{self.path}"
                server.requests.append(url)
                found = server.dataset.answer(url)
                body = json.dumps(found if found is not None else {"error": "not found"}).encode()
                self.send_response(200 if found is not None else 404)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass  # quiet test output

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = f"{self.origin}/oparl"
        self.dataset = Dataset(self._raw, self.url, page_size=page_size)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def system_url(self) -> str:
        return self.dataset.system_url

    def data_copy(self) -> dict[str, Any]:
        """A copy of the data set (with `{base}`) to change and `replace` with."""
        return copy.deepcopy(self._raw)

    def replace(self, raw: dict[str, Any]) -> None:
        self._raw = copy.deepcopy(raw)
        self.dataset = Dataset(self._raw, self.url, page_size=self.page_size)

    def start(self) -> OParlServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serve_oparl(raw: dict[str, Any] | None = None, *, page_size: int = 2) -> Iterator[OParlServer]:
    from django.test import override_settings

    server = OParlServer(raw if raw is not None else example_dataset(), page_size=page_size)
    server.start()
    # The test server listens on loopback, which the sync refuses unless the operator allows
    # the network (council/oparl.py): allowed here as an operator would for an intranet RIS.
    try:
        with override_settings(LEITWERK_OPARL_ALLOWED_NETWORKS=["127.0.0.0/8"]):
            yield server
    finally:
        server.stop()
