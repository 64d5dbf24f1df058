from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import ImportFailed, ImportProblem


def plan_import(
    *,
    municipality: Any,
    path: Path,
    mapping_path: Path | None = None,
    dry_run: bool = False,
    actor: Any = None,
) -> dict[str, Any]:
    """Returns {"dry_run", "plan", "counts", "coverage", "warnings"}; raises ImportFailed."""
    raise ImportFailed([ImportProblem("Plan-Import ist noch nicht verfügbar.")])


def plan_export(*, municipality: Any, plan_id: int | None = None, fmt: str = "json") -> bytes:
    """The plan as JSON (the import shape), XLSX or CSV bytes."""
    raise ImportFailed([ImportProblem("Plan-Export ist noch nicht verfügbar.")])
