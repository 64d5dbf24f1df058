"""Import and export services. Each import is one transaction: all or nothing, idempotent."""

from .common import ImportFailed, ImportProblem
from .guideline import guideline_export, guideline_import
from .plan import plan_export, plan_import

__all__ = [
    "ImportFailed",
    "ImportProblem",
    "guideline_export",
    "guideline_import",
    "plan_export",
    "plan_import",
]
