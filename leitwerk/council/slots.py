"""The council's blocks on lower stages' pages (registered in `CouncilConfig.ready`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from leitwerk.core.access import may

from . import selectors


def initiative_decisions(request: HttpRequest, initiative: Any) -> str:
    """ "Beschlüsse des Rates" on the Vorhaben page: its real decisions and their result."""
    municipality = getattr(request, "municipality", None)
    decisions = selectors.decisions_for_initiative(
        user=request.user, municipality=municipality, initiative=initiative
    )
    if not may(request.user, selectors.VIEW, municipality):
        return ""
    return render_to_string(
        "council/_decisions_block.html",
        {"decisions": decisions, "what": "diesem Vorhaben"},
        request=request,
    )


def round_decisions(request: HttpRequest, priority_round: Any) -> str:
    """The council's decision adopting a priority list, with its result."""
    municipality = getattr(request, "municipality", None)
    if not may(request.user, selectors.VIEW, municipality):
        return ""
    decisions = selectors.decisions_for_round(
        municipality=municipality, priority_round=priority_round
    )
    if not decisions:
        return ""
    return render_to_string(
        "council/_decisions_block.html",
        {"decisions": decisions, "what": "dieser Prioritätenliste"},
        request=request,
    )
