"""The web's background import: queue a run after the preview, execute it in the worker."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from django.db import transaction

from leitwerk.core.audit import audit
from leitwerk.imports.models import ImportRun, ImportRunStatus

from .common import ImportFailed, run_step

if TYPE_CHECKING:
    from leitwerk.accounts.models import User
    from leitwerk.municipalities.models import Municipality

logger = logging.getLogger(__name__)

# A running import writes its progress (the heartbeat, common.run_step) at least at 10 %, 50 %
# and at the end; one that has not moved for this long lost its worker (kill -9, L1).
ABANDONED_AFTER = dt.timedelta(minutes=30)
ABANDONED_MESSAGE = (
    "Der Import wurde abgebrochen, weil der Hintergrunddienst beendet wurde. Es wurde nichts "
    "gespeichert. Bitte laden Sie die Datei erneut hoch und starten Sie den Import neu."
)


def import_run_abandoned(*, run: ImportRun, now: dt.datetime) -> bool:
    """True for a run that says "läuft" but whose worker stopped writing progress long ago."""
    return run.status == ImportRunStatus.RUNNING and run.updated_at < now - ABANDONED_AFTER


# A preview waits at most a sign-in's lifetime; older upload folders nobody needs any more.
UPLOADS_KEPT_FOR = dt.timedelta(days=1)


def import_uploads_purge(*, now: dt.datetime) -> int:
    """Remove orphaned upload folders (not of a queued or running import); the number."""
    from leitwerk.imports.uploads import upload_folders_purge

    active = {
        str((options or {}).get("token", ""))
        for options in ImportRun.objects.across_municipalities()  # the daily job: every town
        .filter(status__in=[ImportRunStatus.QUEUED, ImportRunStatus.RUNNING])
        .values_list("options", flat=True)
    }
    return upload_folders_purge(now=now, older_than=UPLOADS_KEPT_FOR, keep=active)


def import_runs_sweep(*, now: dt.datetime) -> int:
    """Mark abandoned runs failed ("abgebrochen, bitte neu starten") and remove their upload
    folders; the number marked. The database stayed unchanged: imports are all or nothing."""
    from leitwerk.imports.uploads import upload_folder_remove

    # The daily job looks at every municipality's runs on purpose.
    stale = list(
        ImportRun.objects.across_municipalities().filter(
            status=ImportRunStatus.RUNNING, updated_at__lt=now - ABANDONED_AFTER
        )
    )
    for run in stale:
        _fail(run.pk, ABANDONED_MESSAGE)
        upload_folder_remove(token=str((run.options or {}).get("token", "")))
    return len(stale)


def import_run_queue(
    *,
    municipality: Municipality,
    kind: str,
    token: str,
    source_name: str,
    choices: dict[str, Any],
    actor: User | None,
) -> ImportRun:
    """Store a queued run and hand it to the worker; the upload stays until the run ends."""
    with transaction.atomic():
        run = ImportRun.objects.create(
            municipality=municipality,
            kind=kind,
            source_name=source_name[:300],
            source_hash="",
            dry_run=False,
            status=ImportRunStatus.QUEUED,
            progress=0,
            progress_step="Der Import wartet auf den Start.",
            options={"token": token, "name": source_name, "choices": choices},
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit(actor=actor, action="import.queue", target=run, data={"kind": kind})
    # Imported here: tasks.py imports this package.
    from leitwerk.imports.tasks import run_import

    # Not on_commit: with the database backend the task row is written like any other row,
    # and a caller's outer transaction keeps both together.
    run_import.enqueue(run.pk)
    return run


def import_run_execute(*, run_id: int) -> ImportRun:
    """Run the same import as the CLI with the preview's corrections; all or nothing."""
    from leitwerk.imports.uploads import upload_folder_remove, upload_source_path

    from .guideline import guideline_import
    from .plan import plan_import

    # The id comes from our own task queue (the request that queued it was scoped).
    run = (
        ImportRun.objects.select_related("municipality", "created_by")
        .across_municipalities()
        .get(pk=run_id)
    )
    if run.status in (ImportRunStatus.DONE, ImportRunStatus.FAILED):
        return run
    options = run.options or {}
    token = str(options.get("token", ""))
    choices = options.get("choices") or {}
    try:
        run_step(run.pk, 10, "Die Datei wird gelesen und geprüft.")
        name = str(options.get("name", ""))
        path, mapping_path = upload_source_path(token=token, name=name)
        if path is None:
            raise ImportFailed.single(
                "Die hochgeladene Datei ist nicht mehr vorhanden. Bitte laden Sie sie erneut hoch; "
                "es wurde nichts gespeichert."
            )
        if run.kind == "guideline":
            guideline_import(
                municipality=run.municipality,
                path=path,
                source_name=name,
                actor=run.created_by,
                statement_choices=choices.get("statements"),
                piece_choices=choices.get("statement_pieces"),
                run_id=run.pk,
            )
        else:
            plan_import(
                municipality=run.municipality,
                path=path,
                source_name=name,
                mapping_path=mapping_path,
                actor=run.created_by,
                list_edits=choices.get("lists"),
                title=choices.get("title") or None,
                piece_moves=choices.get("pieces"),
                run_id=run.pk,
            )
    except ImportFailed as failure:
        _fail(run.pk, str(failure))
    except Exception:
        logger.exception("Background import %s failed", run_id)
        _fail(run.pk, "Der Import ist unerwartet abgebrochen; es wurde nichts gespeichert.")
    finally:
        upload_folder_remove(token=token)
    run.refresh_from_db()
    return run


def _fail(run_id: int, message: str) -> None:
    ImportRun.objects.filter(pk=run_id).across_municipalities().update(  # id from our queue
        status=ImportRunStatus.FAILED,
        progress_step="Der Import konnte nicht abgeschlossen werden.",
        error=message[:2000],
    )


# --- Vorschau im Hintergrund (M5) ------------------------------------------------------------

# A preview run is a temporary row: it carries the background parse's progress and result
# until the person has seen the preview; confirming or cancelling removes it.
PREVIEW_SUFFIX = "_preview"


def import_preview_queue(
    *, municipality: Municipality, kind: str, token: str, source_name: str, actor: User | None
) -> ImportRun:
    """Queue the preview (a dry run) of an upload; the worker parses it, not the request."""
    run = ImportRun.objects.create(
        municipality=municipality,
        kind=kind + PREVIEW_SUFFIX,
        source_name=source_name[:300],
        source_hash="",
        dry_run=True,
        status=ImportRunStatus.QUEUED,
        progress=0,
        progress_step="Die Vorschau wartet auf den Start.",
        options={"token": token, "name": source_name},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    from leitwerk.imports.tasks import run_import_preview

    run_import_preview.enqueue(run.pk)
    run.refresh_from_db()
    return run


def import_preview_execute(*, run_id: int) -> ImportRun:
    """Parse the upload as the confirmed import will (dry run) and keep the result on the run;
    problems are kept as the run's errors. The upload stays for the confirmation."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from leitwerk.imports.uploads import upload_source_path

    from .guideline import guideline_import
    from .plan import plan_import

    # The id comes from our own task queue (the request that queued it was scoped).
    run = (
        ImportRun.objects.select_related("municipality", "created_by")
        .across_municipalities()
        .get(pk=run_id)
    )
    if run.status in (ImportRunStatus.DONE, ImportRunStatus.FAILED):
        return run
    options = run.options or {}
    name = str(options.get("name", ""))
    done: dict[str, Any] = {}
    try:
        run_step(run.pk, 10, "Die Datei wird gelesen und geprüft.")
        path, mapping_path = upload_source_path(token=str(options.get("token", "")), name=name)
        if path is None:
            raise ImportFailed.single(
                "Die hochgeladene Datei ist nicht mehr vorhanden. Bitte laden Sie sie erneut hoch."
            )
        if run.kind == "guideline" + PREVIEW_SUFFIX:
            result = guideline_import(
                municipality=run.municipality, path=path, source_name=name, dry_run=True
            )
        else:
            result = plan_import(
                municipality=run.municipality,
                path=path,
                source_name=name,
                mapping_path=mapping_path,
                dry_run=True,
            )
        # Stored as JSON: dates and decimals of the preview as text, as the page shows them.
        done = {"result": json.loads(json.dumps(result, cls=DjangoJSONEncoder))}
    except ImportFailed as failure:
        done = {"errors": [problem.as_dict() for problem in failure.errors]}
    except Exception:
        logger.exception("Background preview %s failed", run_id)
        done = {"errors": [{"message": "Die Vorschau ist unerwartet abgebrochen.", "row": None}]}
    ImportRun.objects.filter(pk=run.pk).across_municipalities().update(  # id from our queue
        status=ImportRunStatus.FAILED if "errors" in done else ImportRunStatus.DONE,
        progress=100,
        progress_step="Die Vorschau ist fertig.",
        result=done,
    )
    run.refresh_from_db()
    return run


def import_preview_forget(*, municipality: Municipality, token: str) -> None:
    """Remove the preview run(s) of an upload once the preview was confirmed or cancelled."""
    ImportRun.objects.filter(
        municipality=municipality, kind__endswith=PREVIEW_SUFFIX, options__token=token
    ).delete()
