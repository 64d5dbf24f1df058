"""The REST API's routes from the resolver, the world row each detail route addresses, and
write bodies valid enough to reach the permission rules (catalogue A1, A2, A5).

Shared by the API isolation test and the declared permission matrix.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from leitwerk.plans.models import StatusReport

# Which row of a world a detail route addresses (basename → world attribute).
ROWS = {
    "guideline-document": "guideline",
    "statement": "statement",
    "goal-field": "goal_field",
    "goal": "goal",
    "obstacle": "obstacle",
    "priority-round": "priority_round",
    "action-plan": "plan",
    "action-field": "action_field",
    "initiative": "initiative",
    "milestone": "milestone",
    "indicator": "indicator",
    "measurement": "measurement",
    "survey": "survey",
}


def routes():
    def walk(patterns, namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                yield from walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and namespace == "api":
                yield f"api:{entry.name}", entry.callback

    return sorted(set(walk(get_resolver().url_patterns)), key=lambda r: r[0])


def methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None) or {}
    # DRF's viewset view adds "head" to this very dict on its first GET, so whether HEAD
    # showed up depended on which test ran first in the process: the router's methods only.
    return sorted(m.upper() for m in actions if m != "head")


def row(world, name: str):
    basename = name.removeprefix("api:")
    for suffix in (
        "-detail",
        "-complete",
        "-measurements",
        "-status-reports",
        "-results",
        "-follow-up",
    ):
        basename = basename.removesuffix(suffix)
    if basename == "priority-item":
        return world.priority_round.items.get()
    if basename in ("council-decision", "council-decision-follow-up"):
        from leitwerk.testing.routes import follow_up_of

        return follow_up_of(world).decision
    if basename == "status-report":
        return StatusReport.objects.get(initiative=world.initiative)
    if basename in ("product", "key-figure"):
        from leitwerk.testing.routes import _budget_of

        _area, product, figure = _budget_of(world)
        return product if basename == "product" else figure
    return getattr(world, ROWS[basename])


# Write bodies: valid enough for every API write to reach its permission rule.
BODIES = {
    "PATCH": {"version": 1, "status": "paused", "title": "übernommen"},
    "POST": {
        "version": 1,
        "measured_on": "2026-01-15",
        "value": "1",
        "health": "on_track",
        "text": "übernommen",
        "done_on": "2026-01-15",
    },
}
