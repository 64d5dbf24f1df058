"""Import and export services. Each import is one transaction: all or nothing, idempotent."""

from .budget import budget_import, keyfigure_import
from .common import ImportFailed, ImportProblem
from .guideline import guideline_export, guideline_import
from .obstacle import obstacle_import
from .plan import plan_export, plan_import
from .runs import (
    import_preview_execute,
    import_preview_forget,
    import_preview_queue,
    import_run_abandoned,
    import_run_execute,
    import_run_queue,
    import_runs_sweep,
    import_uploads_purge,
)

__all__ = [
    "ImportFailed",
    "ImportProblem",
    "budget_import",
    "guideline_export",
    "guideline_import",
    "import_preview_execute",
    "import_preview_forget",
    "import_preview_queue",
    "import_run_abandoned",
    "import_run_execute",
    "import_run_queue",
    "import_runs_sweep",
    "import_uploads_purge",
    "obstacle_import",
    "keyfigure_import",
    "plan_export",
    "plan_import",
]
