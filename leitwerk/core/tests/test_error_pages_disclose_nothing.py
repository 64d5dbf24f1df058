"""C9 – error pages disclose nothing: a generic German page, an incident ID, the error logged.

Tests run with DEBUG=False (config.settings.test), as production does.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import override_settings

from leitwerk.core.tests.error_urls import SECRET_DETAIL

DISCLOSURES = [
    "Traceback",
    'File "',
    "RuntimeError",
    SECRET_DETAIL,
    settings.SECRET_KEY,
    str(settings.BASE_DIR),
    "site-packages",
    "DATABASES",
    "SELECT ",
]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.lang, self.h1 = [], None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs.get("href"))
        elif tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1


def _check_page(response, heading: str) -> str:
    assert settings.DEBUG is False
    text = response.content.decode()
    leaks = [d for d in DISCLOSURES if d in text]
    assert not leaks, f"error page discloses {leaks}"
    assert heading in text
    page = _Links()
    page.feed(text)
    # Accessible and useful: German, one heading, a way home and to the accessibility statement.
    assert page.lang == "de"
    assert page.h1 == 1
    assert "/" in page.hrefs
    assert "/barrierefreiheit/" in page.hrefs
    return text


@override_settings(ROOT_URLCONF="leitwerk.core.tests.error_urls")
@pytest.mark.django_db
def test_an_unexpected_error_shows_a_generic_page_with_an_incident_id_that_is_logged(
    client, caplog
):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="leitwerk.errors"):
        response = client.get("/test-fehler/500/")
    assert response.status_code == 500
    text = _check_page(response, "Ein Fehler ist aufgetreten")
    incident = re.search(r'class="incident-id">([^<]+)<', text).group(1)
    assert len(incident) >= 8
    assert response["X-Incident-ID"] == incident
    records = [r for r in caplog.records if r.name == "leitwerk.errors"]
    assert len(records) == 1
    assert incident in records[0].getMessage()
    assert records[0].exc_info and SECRET_DETAIL in str(records[0].exc_info[1])


@override_settings(ROOT_URLCONF="leitwerk.core.tests.error_urls")
@pytest.mark.django_db
def test_two_errors_get_different_incident_ids(client):
    client.raise_request_exception = False
    first = client.get("/test-fehler/500/")["X-Incident-ID"]
    second = client.get("/test-fehler/500/")["X-Incident-ID"]
    assert first != second


@pytest.mark.django_db
def test_an_unknown_page_answers_a_german_404(client):
    response = client.get("/arbeitsbereich/gibt-es-nicht/")
    assert response.status_code == 404
    _check_page(response, "Seite nicht gefunden")


@pytest.mark.django_db
def test_a_missing_object_answers_the_same_404(viewer, client_for):
    response = client_for(viewer).get("/arbeitsbereich/plaene/999999/")
    assert response.status_code == 404
    _check_page(response, "Seite nicht gefunden")


@override_settings(ROOT_URLCONF="leitwerk.core.tests.error_urls")
@pytest.mark.django_db
def test_a_forbidden_page_answers_a_german_403(viewer, client_for):
    response = client_for(viewer).get("/test-fehler/403/")
    assert response.status_code == 403
    _check_page(response, "Kein Zugriff")


@override_settings(ROOT_URLCONF="leitwerk.core.tests.error_urls")
@pytest.mark.django_db
def test_a_suspicious_request_answers_a_german_400(client):
    response = client.get("/test-fehler/400/")
    assert response.status_code == 400
    _check_page(response, "Anfrage nicht verständlich")


@pytest.mark.django_db
def test_a_foreign_host_header_answers_a_german_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    _check_page(response, "Anfrage nicht verständlich")
