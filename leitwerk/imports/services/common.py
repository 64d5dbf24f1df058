from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass
class ImportProblem:
    """One reason an import was refused, in German, located as precisely as the source allows."""

    message: str
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"message": self.message, "row": self.row, "column": self.column}


@dataclass
class ImportFailed(Exception):
    """Raised by an import service: nothing was written."""

    errors: list[ImportProblem] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(e.message for e in self.errors)

    @classmethod
    def single(
        cls, message: str, row: int | None = None, column: str | None = None
    ) -> ImportFailed:
        return cls([ImportProblem(message, row, column)])


def run_step(run_id: int | None, progress: int, step: str, status: str = "running") -> None:
    """Record a background import's progress; a no-op for the synchronous CLI path."""
    if run_id is None:
        return
    from leitwerk.imports.models import ImportRun

    # update(): the status page reads these columns while the task runs.
    # The id comes from our own task queue (the request that queued it was scoped).
    # updated_at is the heartbeat: a running import that has not moved for
    # runs.ABANDONED_AFTER was killed with its worker (L1).
    ImportRun.objects.filter(pk=run_id).across_municipalities().update(
        status=status, progress=progress, progress_step=step, updated_at=timezone.now()
    )


def run_record(*, run_id: int | None, **fields: Any) -> None:
    """Write the finished import's row: fill the queued one, or create one (CLI)."""
    from leitwerk.imports.models import ImportRun, ImportRunStatus

    if run_id is None:
        ImportRun.objects.create(**fields)
        return
    fields.pop("municipality", None)
    fields.pop("created_by", None)
    ImportRun.objects.filter(pk=run_id).across_municipalities().update(  # id from our queue
        **fields,
        status=ImportRunStatus.DONE,
        progress=100,
        progress_step="Der Import ist abgeschlossen.",
        error="",
    )
