from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import ImportFailed, ImportProblem


def guideline_import(
    *, municipality: Any, path: Path, dry_run: bool = False, actor: Any = None
) -> dict[str, Any]:
    """Returns {"dry_run", "guideline", "counts", "coverage", "warnings"}; raises ImportFailed."""
    raise ImportFailed([ImportProblem("Leitbild-Import ist noch nicht verfügbar.")])


def guideline_export(*, municipality: Any, guideline_id: int | None = None) -> dict[str, Any]:
    """The "guideline" object of the import JSON shape, for the newest or the given document."""
    raise ImportFailed([ImportProblem("Leitbild-Export ist noch nicht verfügbar.")])
