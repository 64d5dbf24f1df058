"""Every read of the council stage that depends on the person (404 for missing and foreign)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from leitwerk.core.access import access_row, may, require_visible

from .models import (
    CouncilDecision,
    DecisionFollowUp,
    FollowUpStatus,
    Light,
    RisSource,
)

VIEW = "council.view_decision"

# The traffic light in the health badges' look: colour, symbol and border differ (WCAG 1.4.1).
LIGHT_BADGE = {
    Light.RED: ("off_track", "✕", "rot – Frist überschritten"),
    Light.AMBER: ("at_risk", "▲", "gelb – verzögert oder bald fällig"),
    Light.GREEN: ("on_track", "●", "grün – im Plan"),
    Light.DONE: ("done", "✓", "erledigt"),
}


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: DecisionFollowUp
    light: str
    badge: str
    symbol: str
    light_label: str

    @property
    def short_label(self) -> str:
        """ "rot", "gelb" … for table cells; the legend above the table says what they mean."""
        return self.light_label.split(" – ")[0]


def row_of(follow_up: DecisionFollowUp, today: dt.date) -> FollowUpRow:
    light = follow_up.light(today)
    badge, symbol, label = LIGHT_BADGE[Light(light)]
    return FollowUpRow(follow_up, light, badge, symbol, label)


def _follow_ups(municipality: Any) -> QuerySet[DecisionFollowUp]:
    return (
        DecisionFollowUp.objects.for_municipality(municipality)
        .select_related("decision__body", "unit")
        .prefetch_related("initiatives")
    )


def follow_up_rows(
    *,
    user: Any,
    municipality: Any,
    today: dt.date,
    body: Any = None,
    status: str = "",
    unit: Any = None,
) -> list[FollowUpRow]:
    """The Beschlusskontrolle: open items by deadline; done ones only under "erledigt"."""
    require_visible(user, VIEW, municipality)
    rows = _follow_ups(municipality)
    if status:
        rows = rows.filter(status=status)
    else:
        rows = rows.exclude(status=FollowUpStatus.DONE)
    if body is not None:
        rows = rows.filter(decision__body=body)
    if unit is not None:
        rows = rows.filter(unit=unit)
    return [row_of(f, today) for f in rows.order_by("deadline", "decision__decided_on", "pk")]


def light_counts(rows: list[FollowUpRow]) -> list[tuple[str, str, str, int]]:
    """(badge, symbol, label, count) per light that occurs, red first."""
    result = []
    for light in (Light.RED, Light.AMBER, Light.GREEN, Light.DONE):
        count = sum(1 for r in rows if r.light == light)
        if count:
            badge, symbol, label = LIGHT_BADGE[light]
            result.append((badge, symbol, label, count))
    return result


def decision_list(*, user: Any, municipality: Any) -> QuerySet[CouncilDecision]:
    require_visible(user, VIEW, municipality)
    return (
        CouncilDecision.objects.for_municipality(municipality)
        .select_related("body", "follow_up", "agenda_item__meeting", "paper")
        .order_by("-decided_on", "-pk")
    )


def decision_get(*, user: Any, municipality: Any, pk: int) -> CouncilDecision:
    return access_row(
        CouncilDecision.objects.select_related(
            "body", "agenda_item__meeting", "paper", "follow_up__unit"
        ),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm=VIEW,
    )


def follow_up_get(
    *, user: Any, municipality: Any, pk: int, perm: str | None = None
) -> DecisionFollowUp:
    return access_row(
        DecisionFollowUp.objects.select_related("decision", "unit"),
        user=user,
        municipality=municipality,
        pk=pk,
        view_perm=VIEW,
        perm=perm,
    )


def ris_source(*, user: Any, municipality: Any) -> RisSource | None:
    require_visible(user, "council.manage_ris", municipality)
    return RisSource.objects.for_municipality(municipality).first()


def follow_ups_in_quarter(
    *, user: Any, municipality: Any, year: int, quarter: int
) -> tuple[list[DecisionFollowUp], list[DecisionFollowUp]]:
    """(open at the end of the quarter, done within the quarter), for the information paper."""
    require_visible(user, VIEW, municipality)
    start = dt.date(year, 3 * quarter - 2, 1)
    end = (dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)) - dt.timedelta(days=1)
    rows = _follow_ups(municipality).filter(decision__decided_on__lte=end)
    open_rows = list(rows.exclude(status=FollowUpStatus.DONE).order_by("deadline", "pk"))
    done_rows = list(
        rows.filter(status=FollowUpStatus.DONE, done_on__gte=start, done_on__lte=end).order_by(
            "done_on", "pk"
        )
    )
    return open_rows, done_rows


# --- what lower stages show: the real decision behind a Vorhaben or a priority list ----------


def decisions_for_initiative(
    *, user: Any, municipality: Any, initiative: Any
) -> list[CouncilDecision]:
    """Decisions whose follow-up names the Vorhaben, or whose OParl id the Vorhaben's
    decisions (priorities.Decision.oparl_url) name."""
    if not may(user, VIEW, municipality):
        return []
    oparl_urls = [
        url
        for url in initiative.decisions.filter(municipality=municipality).values_list(
            "oparl_url", flat=True
        )
        if url
    ]
    query = Q(follow_up__initiatives=initiative)
    if oparl_urls:
        query |= Q(oparl_id__in=oparl_urls) | Q(paper_oparl_id__in=oparl_urls)
    return list(
        CouncilDecision.objects.for_municipality(municipality)
        .filter(query)
        .select_related("body", "follow_up")
        .distinct()
        .order_by("-decided_on", "-pk")
    )


def decisions_for_round(*, municipality: Any, priority_round: Any) -> list[CouncilDecision]:
    """The council's decision adopting a priority list (matched by the list's OParl address)."""
    url = getattr(priority_round, "oparl_url", "")
    query = Q(follow_up__priority_items__round=priority_round)
    if url:
        query |= Q(oparl_id=url) | Q(paper_oparl_id=url)
    return list(
        CouncilDecision.objects.for_municipality(municipality)
        .filter(query)
        .select_related("body")
        .distinct()
        .order_by("-decided_on", "-pk")
    )
