"""M5: the preview of an upload is parsed by the worker, not in the request; the page shows
the progress with an "Aktualisieren" button (no automatic reload) until the preview is ready."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leitwerk.imports.models import ImportRun
from leitwerk.imports.services import import_preview_execute
from leitwerk.plans.models import ActionPlan

PLAN_CSV = (
    "Nr.;Aktionsfeld;Vorhaben;Zielsetzung\n"
    "1;Aktionsfeld A Digitale Verwaltung;Online-Terminvergabe;Kürzere Wartezeiten\n"
    "2;;Digitale Akte;Weniger Papier\n"
).encode()
GUIDELINE = "Leitbild\n\n1. Offenheit\nWir hören einander zu.\n".encode()


@pytest.fixture
def worker_busy(monkeypatch):
    """The worker has not picked the preview up yet: enqueueing only stores the run."""

    class Queue:
        @staticmethod
        def enqueue(*args, **kwargs):
            return None

    monkeypatch.setattr("leitwerk.imports.tasks.run_import_preview", Queue)


def _upload(client, content=PLAN_CSV, name="plan.csv", kind="plan"):
    return client.post(
        reverse("imports:upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def test_the_request_only_queues_the_preview_and_the_page_offers_aktualisieren(
    strategy_user, client_for, worker_busy, musterstadt
):
    client = client_for(strategy_user)
    response = _upload(client)
    run = ImportRun.objects.get(municipality=musterstadt, kind="plan_preview")
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[run.pk])
    assert run.status == "queued" and run.dry_run
    page = client.get(response["Location"]).content.decode()
    assert "Die Vorschau wartet auf den Start." in page
    assert f'href="{reverse("imports:preview", args=[run.pk])}">Aktualisieren' in page
    assert 'http-equiv="refresh"' not in page.lower()

    # The worker parses it; the same address now shows the preview to confirm.
    import_preview_execute(run_id=run.pk)
    page = client.get(response["Location"]).content.decode()
    assert "Online-Terminvergabe" in page and "Jetzt importieren" in page
    assert not ActionPlan.objects.exists()
    assert import_preview_execute(run_id=run.pk).status == "done"  # run once only

    token = client.get(response["Location"]).context["token"]
    client.post(reverse("imports:confirm"), {"token": token, "action": "import"})
    assert ActionPlan.objects.filter(municipality=musterstadt).exists()
    assert not ImportRun.objects.filter(kind="plan_preview").exists()


def test_a_guideline_preview_is_parsed_in_the_background_too(
    strategy_user, client_for, worker_busy, musterstadt
):
    client = client_for(strategy_user)
    location = _upload(client, GUIDELINE, "leitbild.txt", "guideline")["Location"]
    run = ImportRun.objects.get(municipality=musterstadt, kind="guideline_preview")
    import_preview_execute(run_id=run.pk)
    page = client.get(location).content.decode()
    assert "Wir hören einander zu." in page


def test_a_file_the_worker_refuses_shows_its_problems_on_the_upload_page(
    strategy_user, client_for, worker_busy, musterstadt
):
    client = client_for(strategy_user)
    location = _upload(client, b"Titel;Text\n", "plan.csv")["Location"]
    run = ImportRun.objects.get(municipality=musterstadt, kind="plan_preview")
    import_preview_execute(run_id=run.pk)
    response = client.get(location)
    assert response.status_code == 422
    assert "konnte nicht importiert werden" in response.content.decode()
    assert not ImportRun.objects.filter(pk=run.pk).exists()
    # The upload and the preview run are gone with it.
    assert client.get(location).status_code == 404


def test_a_missing_upload_and_an_unexpected_error_are_reported(
    strategy_user, client_for, worker_busy, musterstadt, monkeypatch
):
    client = client_for(strategy_user)
    _upload(client)
    run = ImportRun.objects.get(municipality=musterstadt, kind="plan_preview")
    monkeypatch.setattr(
        "leitwerk.imports.uploads.upload_source_path", lambda **kwargs: (None, None)
    )
    run = import_preview_execute(run_id=run.pk)
    assert run.status == "failed"
    assert "nicht mehr vorhanden" in run.result["errors"][0]["message"]

    _upload(client)
    second = ImportRun.objects.filter(kind="plan_preview", status="queued").get()

    def explode(**kwargs):
        raise RuntimeError("kaputt")

    monkeypatch.setattr("leitwerk.imports.uploads.upload_source_path", explode)
    second = import_preview_execute(run_id=second.pk)
    assert second.result["errors"][0]["message"] == "Die Vorschau ist unerwartet abgebrochen."


def test_a_preview_whose_worker_died_says_abgebrochen(
    strategy_user, client_for, worker_busy, musterstadt
):
    client = client_for(strategy_user)
    location = _upload(client)["Location"]
    ImportRun.objects.filter(municipality=musterstadt, kind="plan_preview").update(
        status="running", updated_at=timezone.now() - dt.timedelta(hours=2)
    )
    page = client.get(location).content.decode()
    assert "abgebrochen" in page and "Datei erneut hochladen" in page


def test_only_a_preview_of_ones_own_upload_is_shown(
    strategy_user, admin_user, client_for, worker_busy, musterstadt
):
    location = _upload(client_for(strategy_user))["Location"]
    # Another person of the same town has no such upload in their session.
    assert client_for(admin_user).get(location)["Location"] == reverse("imports:upload")
    finished = ImportRun.objects.create(
        municipality=musterstadt, kind="plan", source_name="x.csv", source_hash="0" * 64
    )
    response = client_for(strategy_user).get(reverse("imports:preview", args=[finished.pk]))
    assert response["Location"] == reverse("imports:upload")
