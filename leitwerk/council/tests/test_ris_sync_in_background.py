""" "Jetzt abgleichen" runs in the worker, not in the request (a slow RIS answers 20 s per page):
the page shows that the sync waits or runs, offers "Aktualisieren", then shows the result."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from leitwerk.council.models import Meeting, RisSource
from leitwerk.testing.oparl_server import serve_oparl

pytestmark = pytest.mark.django_db


def test_the_button_only_queues_and_the_page_says_it_waits(
    strategy_user, musterstadt, client_for, django_capture_on_commit_callbacks
):
    RisSource.objects.create(municipality=musterstadt, system_url="https://ris.example.org/oparl")
    client = client_for(strategy_user)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("council:ris_sync"))
    assert response.status_code == 302 and len(queued) == 1
    page = client.get(reverse("council:ris")).content.decode()
    assert "läuft im Hintergrund" in page
    assert "Der Abgleich wartet auf den Start" in page
    assert ">Aktualisieren</a>" in page and "Jetzt abgleichen" not in page

    # A second click while it waits queues nothing more.
    with django_capture_on_commit_callbacks(execute=False) as again:
        client.post(reverse("council:ris_sync"))
    assert again == []
    assert "Es läuft schon ein Abgleich" in client.get(reverse("council:ris")).content.decode()


def test_the_worker_runs_the_sync_and_the_page_shows_what_it_found(
    strategy_user, musterstadt, client_for, django_capture_on_commit_callbacks
):
    client = client_for(strategy_user)
    with serve_oparl() as server:
        RisSource.objects.create(municipality=musterstadt, system_url=server.system_url)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("council:ris_sync"))
    source = RisSource.objects.get(municipality=musterstadt)
    assert source.sync_queued_at is None and source.last_ok
    assert Meeting.objects.filter(municipality=musterstadt).count() == 3
    page = client.get(reverse("council:ris")).content.decode()
    assert "Ergebnis des letzten Abgleichs" in page and "Jetzt abgleichen" in page


def test_a_sync_whose_worker_died_says_abgebrochen_and_may_start_again(
    strategy_user, musterstadt, client_for
):
    RisSource.objects.create(
        municipality=musterstadt,
        system_url="https://ris.example.org/oparl",
        sync_queued_at=timezone.now() - dt.timedelta(minutes=31),
        sync_started_at=timezone.now() - dt.timedelta(minutes=30),
    )
    page = client_for(strategy_user).get(reverse("council:ris")).content.decode()
    assert "wurde abgebrochen" in page and "Bitte starten Sie ihn erneut" in page
    assert "Jetzt abgleichen" in page
