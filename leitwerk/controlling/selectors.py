"""Reads for controlling: progress and health of Vorhaben, computed in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class InitiativeProgress:
    progress: float | None  # 0.0–1.0, None when nothing measurable exists yet
    expected: float | None  # expected progress at `today` from the Vorhaben's schedule
    health: str  # controlling.models.Health value
    stale: bool  # no status report within the plan's reporting interval


def progress_for_initiatives(
    *, initiatives: Iterable[Any], today: dt.date
) -> dict[int, InitiativeProgress]:
    """Progress and health for each given Vorhaben id. Placeholder until progress.py lands."""
    return {i.pk: InitiativeProgress(None, None, "unknown", False) for i in initiatives}
