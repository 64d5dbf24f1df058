from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportProblem:
    """One reason an import was refused, in German, located as precisely as the source allows."""

    message: str
    row: int | None = None
    column: str | None = None

    def as_dict(self) -> dict:
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
