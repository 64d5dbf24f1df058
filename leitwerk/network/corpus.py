"""Load a network of municipalities with Vorhaben from JSON (data/network_corpus.json).

Used by the ranking test and by the demo, so both show the same invented but realistic
network. Every Vorhaben gets an internal description tagged `INTERN-<key>` that is never
shared: tests search pages and feeds for that tag.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leitwerk.municipalities.models import Municipality, MunicipalityKind
from leitwerk.plans.models import ActionField, ActionPlan, Initiative, PlanStatus, SubInitiative

from .models import Network
from .services import initiative_share, profile_draft

CORPUS = Path(__file__).resolve().parent / "data" / "network_corpus.json"
INTERNAL_TAG = "INTERN"


def read(path: Path = CORPUS) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def load(
    *, path: Path = CORPUS, network: Network | None = None, data: dict[str, Any] | None = None
) -> tuple[Network, dict[str, Initiative]]:
    """Write the corpus; returns the network and the Vorhaben by key."""
    data = data or read(path)
    if network is None:
        spec = data["network"]
        network, _created = Network.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec.get("description", ""),
                "public": spec.get("public", False),
            },
        )
    by_key: dict[str, Initiative] = {}
    for m in data["municipalities"]:
        municipality, _created = Municipality.objects.get_or_create(
            slug=m["slug"],
            defaults={
                "name": m["name"],
                "ags": m["ags"],
                "population": m["population"],
                "state": m["state"],
                "kind": MunicipalityKind.STADT
                if m["population"] >= 10000
                else MunicipalityKind.GEMEINDE,
            },
        )
        network.members.add(municipality)
        plan = ActionPlan.objects.create(
            municipality=municipality,
            title=f"Aktionsplan {m['name']}",
            status=PlanStatus.ADOPTED,
        )
        fields: dict[str, ActionField] = {}
        for order, spec in enumerate(m["initiatives"]):
            field = fields.get(spec["field"])
            if field is None:
                field = ActionField.objects.create(
                    municipality=municipality,
                    plan=plan,
                    code=str(len(fields) + 1),
                    title=spec["field"],
                    order=len(fields),
                )
                fields[spec["field"]] = field
            initiative = Initiative.objects.create(
                municipality=municipality,
                action_field=field,
                number=str(order + 1),
                title=spec["title"],
                objective=spec["objective"],
                description=f"{INTERNAL_TAG}-{spec['key']}: interne Notiz, nicht geteilt.",
                order=order,
            )
            for i, text in enumerate(spec.get("ideas", [])):
                SubInitiative.objects.create(
                    municipality=municipality, initiative=initiative, text=text, order=i
                )
            if spec.get("shared"):
                profile = profile_draft(initiative)
                profile["results"] = spec.get("results", "")
                profile["contact_role"] = spec.get("contact_role", "")
                initiative_share(
                    initiative=initiative, actor=None, networks=[network], profile=profile
                )
            by_key[spec["key"]] = initiative
    return network, by_key
