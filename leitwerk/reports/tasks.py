"""Background work of the reports stage (django-tasks; the worker runs `db_worker`)."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def generate_report(report_id: int) -> str:
    # Takes the id, not the row: task arguments must be JSON, and the row may change meanwhile.
    return services.report_render(report_id=report_id).status
