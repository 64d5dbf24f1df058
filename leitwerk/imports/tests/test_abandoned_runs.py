"""L1: a worker killed during an import left its run "läuft – 50 %" forever and its upload
folder behind. The progress writes are the heartbeat; a run that stopped moving is broken off."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from leitwerk.imports.models import ImportRun, ImportRunStatus
from leitwerk.imports.services.common import run_step
from leitwerk.imports.tests.factories import ImportRunFactory


def _running(musterstadt, *, minutes_ago: int, token: str = "") -> ImportRun:
    run = ImportRunFactory(
        municipality=musterstadt,
        status=ImportRunStatus.RUNNING,
        progress=50,
        progress_step="2 Vorhaben erkannt; sie werden gespeichert.",
        options={"token": token, "name": "plan.csv", "choices": {}},
    )
    ImportRun.objects.filter(municipality=musterstadt, pk=run.pk).update(
        updated_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return run


def _folder(settings, token: str, *, days_old: float) -> Path:
    folder = Path(settings.VAR_DIR) / "uploads" / token
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "quelle.csv").write_text("x")
    stamp = (timezone.now() - dt.timedelta(days=days_old)).timestamp()
    os.utime(folder, (stamp, stamp))
    return folder


def test_a_run_whose_worker_died_says_abgebrochen_and_offers_a_new_upload(
    strategy_user, client_for, musterstadt
):
    dead = _running(musterstadt, minutes_ago=45)
    alive = _running(musterstadt, minutes_ago=5)
    client = client_for(strategy_user)

    page = client.get(reverse("imports:run", args=[dead.pk])).content.decode()

    assert "abgebrochen" in page and "bitte laden Sie die Datei erneut hoch".lower() in page.lower()
    assert "Datei erneut hochladen" in page
    assert "Stand aktualisieren" not in page
    still = client.get(reverse("imports:run", args=[alive.pk])).content.decode()
    assert "läuft" in still and "Stand aktualisieren" in still


def test_progress_is_the_heartbeat(musterstadt):
    run = _running(musterstadt, minutes_ago=45)
    run_step(run.pk, 60, "weiter")
    run.refresh_from_db()
    assert run.updated_at > timezone.now() - dt.timedelta(minutes=1)


def test_the_daily_sweep_marks_dead_runs_failed_and_removes_orphaned_uploads(musterstadt, settings):
    dead = _running(musterstadt, minutes_ago=45, token="tote-ladung")
    alive = _running(musterstadt, minutes_ago=5, token="lebende-ladung")
    dead_folder = _folder(settings, "tote-ladung", days_old=0)
    alive_folder = _folder(settings, "lebende-ladung", days_old=3)
    orphan = _folder(settings, "vergessene-vorschau", days_old=2)
    recent = _folder(settings, "frische-vorschau", days_old=0.1)

    out = io.StringIO()
    call_command("sweep_imports", stdout=out)
    assert "1 abgebrochene(r) Import(e) markiert, 1 verwaiste(r) Upload-Ordner" in out.getvalue()

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == ImportRunStatus.FAILED
    assert "abgebrochen" in dead.error and "erneut hoch" in dead.error
    assert alive.status == ImportRunStatus.RUNNING
    assert not dead_folder.exists() and not orphan.exists()
    assert alive_folder.exists() and recent.exists()
