"""Demo: Musterstadt's council information system, synced, and its Beschlusskontrolle.

The RIS is the shipped data set `oparl_demo/musterstadt.json`, read in-process through the same
sync as `leitwerk oparl sync` (no server at demo time). The adopted priority list and the
Vorhaben "Online-Terminvergabe" name their council papers, so their pages show the real
decision and its result; five decisions are under follow-up, one of each traffic light.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from leitwerk.council import services
from leitwerk.council.models import CouncilDecision, FollowUpStatus
from leitwerk.council.oparl import Dataset, DatasetFetcher
from leitwerk.municipalities.models import Body, Municipality, OrganisationalUnit
from leitwerk.plans.models import Initiative
from leitwerk.priorities.models import Decision, PriorityItem, PriorityRound, RoundStatus

DATASET = Path(__file__).parent / "oparl_demo" / "musterstadt.json"
BASE = "https://ris.musterstadt.example/oparl"
_DAY = re.compile(r"\{d(-?\d+)\}")


def demo_dataset(today: dt.date) -> Dataset:
    text = DATASET.read_text(encoding="utf-8")
    text = _DAY.sub(lambda m: (today + dt.timedelta(days=int(m.group(1)))).isoformat(), text)
    return Dataset(json.loads(text), BASE)


def build_council(municipality: Municipality, today: dt.date) -> None:
    m = municipality
    dataset = demo_dataset(today)
    # The priority list and a Vorhaben's decision name their paper in the RIS.
    adopted = PriorityRound.objects.filter(municipality=m, status=RoundStatus.ADOPTED).first()
    if adopted is not None:
        adopted.oparl_url = f"{BASE}/paper/842"
        adopted.save(update_fields=["oparl_url"])
    Decision.objects.filter(municipality=m, reference="RAT/0816/2025").update(
        oparl_url=f"{BASE}/paper/816"
    )
    services.ris_sync(municipality=m, system_url=BASE, fetch=DatasetFetcher(dataset))

    units = {u.code: u for u in OrganisationalUnit.objects.filter(municipality=m)}
    initiatives = {i.number: i for i in Initiative.objects.filter(municipality=m)}

    def decision(reference: str) -> CouncilDecision:
        return CouncilDecision.objects.get(municipality=m, reference=reference)

    def follow(d: CouncilDecision, unit: str, days: int, **values: Any) -> None:
        initiative_numbers = values.pop("initiatives", [])
        items = values.pop("priority_items", [])
        services.follow_up_create(
            decision=d,
            actor=None,
            values={
                "unit": units.get(unit),
                "deadline": today + dt.timedelta(days=days),
                "initiatives": [initiatives[n] for n in initiative_numbers if n in initiatives],
                "priority_items": items,
                **values,
            },
        )

    follow(
        decision("RAT/0816/2025"),
        "FB 4",
        40,
        status=FollowUpStatus.IN_PROGRESS,
        initiatives=["1.1"],
    )
    follow(
        decision("RAT/0842/2025"),
        "STS",
        -30,
        status=FollowUpStatus.DONE,
        done_note="Die Prioritätenliste ist im Aktionsplan umgesetzt; der Rat erhält den Stand "
        "vierteljährlich mit dieser Vorlage.",
        priority_items=list(PriorityItem.objects.filter(municipality=m, round=adopted)[:3]),
    )
    follow(
        decision("HA/0107/2025"),
        "FB 1",
        -5,
        status=FollowUpStatus.DELAYED,
        delay_reason="Der Lieferant kann die Räder erst im nächsten Quartal liefern.",
        initiatives=["3.2"],
    )
    follow(decision("RAT/0918/2025"), "FB 4", 10, status=FollowUpStatus.OPEN)
    manual = services.decision_create(
        municipality=m,
        actor=None,
        values={
            "title": "Mehrbedarf E-Akte: Schnittstelle zum Finanzverfahren",
            "decided_on": today - dt.timedelta(days=10),
            "body": Body.objects.filter(municipality=m, name="Verwaltungsvorstand").first(),
            "result": "beschlossen",
            "resolution_text": "Für die Schnittstelle gibt es 40.000 Euro zusätzlich.",
        },
    )
    follow(manual, "FB 3", 120, status=FollowUpStatus.OPEN, initiatives=["2.1"])
