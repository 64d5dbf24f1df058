"""Background work of the imports (django-tasks; the worker runs `db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import runs


@task()
def run_import(run_id: int) -> str:
    # Takes the id, not the row: task arguments must be JSON.
    return runs.import_run_execute(run_id=run_id).status


@task()
def run_import_preview(run_id: int) -> str:
    # The preview (a dry run) of a large plan outlasts a request (M5): parsed here.
    return runs.import_preview_execute(run_id=run_id).status
