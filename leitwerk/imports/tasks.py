"""Background work of the imports (django-tasks; the worker runs `db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .services import runs


@task()
def run_import(run_id: int) -> str:
    # Takes the id, not the row: task arguments must be JSON.
    return runs.import_run_execute(run_id=run_id).status
