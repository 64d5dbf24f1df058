"""„API-Zugänge“: a person makes, scopes, sees and revokes their own tokens in the browser."""

from __future__ import annotations

import re

from django.urls import reverse

from leitwerk.api.models import ApiToken
from leitwerk.api.services import api_token_create
from leitwerk.core.models import AuditLogEntry


def _create(client, name="Excel-Auswertung", scope="read"):
    return client.post(reverse("api_tokens:list"), {"name": name, "scope": scope})


def test_the_secret_is_shown_once_and_only_its_hash_is_stored(project_lead, client_for):
    client = client_for(project_lead)
    page = _create(client).content.decode()
    secret = re.search(r'value="(lw_[^"]+)"', page).group(1)
    token = ApiToken.objects.get(user=project_lead)
    assert secret not in token.key_hash and token.read_only
    again = client.get(reverse("api_tokens:list")).content.decode()
    assert secret not in again
    assert "Excel-Auswertung" in again and "nur lesen" in again and "noch nie" in again
    assert AuditLogEntry.objects.filter(action="api_token.create").exists()


def test_a_read_only_token_reads_but_may_not_write(project_lead, led_initiative, client_for):
    client = client_for(project_lead)
    page = _create(client).content.decode()
    secret = re.search(r'value="(lw_[^"]+)"', page).group(1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    from django.test import Client

    api = Client()
    assert api.get(reverse("api:action-plan-list"), **headers).status_code == 200
    write = api.post(
        reverse("api:initiative-status-reports", args=[led_initiative.pk]),
        {},
        content_type="application/json",
        **headers,
    )
    assert write.status_code == 403
    assert "nur lesen" in write.json()["detail"]
    token = ApiToken.objects.get(user=project_lead)
    assert token.last_used_at is not None


def test_the_last_use_is_shown(project_lead, client_for, musterstadt):
    from django.test import Client

    _token, raw = api_token_create(user=project_lead, municipality=musterstadt, name="Skript")
    Client().get(reverse("api:action-plan-list"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    page = client_for(project_lead).get(reverse("api_tokens:list")).content.decode()
    assert "noch nie" not in page


def test_a_person_revokes_their_token_and_it_stops_working(project_lead, client_for, musterstadt):
    from django.test import Client

    token, raw = api_token_create(user=project_lead, municipality=musterstadt, name="Skript")
    response = client_for(project_lead).post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    answer = Client().get(reverse("api:action-plan-list"), HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert answer.status_code == 401


def test_nobody_revokes_someone_elses_token(project_lead, admin_user, client_for, musterstadt):
    token, _raw = api_token_create(user=project_lead, municipality=musterstadt, name="Skript")
    response = client_for(admin_user).post(reverse("api_tokens:revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_name_is_required(project_lead, client_for):
    page = _create(client_for(project_lead), name="")
    assert page.status_code == 422
    assert "Bezeichnung" in page.content.decode()
    assert not ApiToken.objects.exists()
