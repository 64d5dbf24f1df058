"""Import and export services. Each import is one transaction: all or nothing, idempotent."""

from .common import ImportFailed, ImportProblem
from .guideline import guideline_export, guideline_import
from .plan import plan_export, plan_import
from .runs import import_run_execute, import_run_queue

__all__ = [
    "ImportFailed",
    "ImportProblem",
    "guideline_export",
    "guideline_import",
    "import_run_execute",
    "import_run_queue",
    "plan_export",
    "plan_import",
]
