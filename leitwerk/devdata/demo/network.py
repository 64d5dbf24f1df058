"""The network story: Beispielhausen and Probstadt as peers with a little data of their own,
the network "Kommunale Steuerung", shared Vorhaben of a dozen further municipalities,
benchmark values and one transfer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from leitwerk.accounts.models import User
from leitwerk.core.status import Health
from leitwerk.municipalities.models import Municipality, OrganisationalUnit
from leitwerk.network import corpus
from leitwerk.network.models import BenchmarkDefinition, Network
from leitwerk.network.services import (
    benchmark_value_submit,
    benchmark_values_publish,
    indicator_share,
    initiative_share,
    profile_draft,
    transfer_record,
    transfer_request_accept,
    transfer_request_create,
)
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    PlanStatus,
)

from .base import NETWORK_SLUG, Tenant, make
from .musterstadt import plan_start

NETWORK_MEMBERS = ("musterstadt", "amt-musterland", "beispielhausen", "probstadt")
# Share of online appointments the two peers last measured, in this order.
PEER_ONLINE_SHARES = {"beispielhausen": "48", "probstadt": "63"}
# Waiting time in the Bürgeramt, in minutes, for the year before: (key, value, naming allowed).
# Keys are demo slugs or network corpus entries (leitwerk/network/tests/fixtures).
BENCHMARK_VALUES = [
    ("musterstadt", "21", True),
    ("beispielhausen", "34", True),
    ("probstadt", "17", False),
    ("nordhafen-termine", "12", False),
    ("westerfeld-eakte", "28", False),
    ("auenfurt-waerme", "19", False),
    ("bergstetten-leerstand", "25", False),
]


def _peer_initiative(online_share: str) -> dict[str, Any]:
    return {
        "number": "1",
        "title": "Online-Termine im Bürgerbüro",
        "objective": "Termine online buchen.",
        "status": InitiativeStatus.ACTIVE,
        "unit": "BB",
        "start": -400,
        "end": 200,
        "indicators": [
            {
                "title": "Anteil online gebuchter Termine",
                "kind": IndicatorKind.QUANTITATIVE,
                "unit": "%",
                "baseline": "10",
                "target": "80",
                "values": [(-30, online_share)],
            }
        ],
        "reports": [(-30, Health.ON_TRACK, "Läuft.", "")],
    }


def build_peers(municipalities: dict[str, Municipality], today: dt.date) -> None:
    """Beispielhausen and Probstadt carry a little data, so the network has something to compare."""
    start = plan_start(today)
    for slug, online_share in PEER_ONLINE_SHARES.items():
        p = Tenant(municipalities[slug], today)
        peer_plan = p.make(
            ActionPlan,
            title="Aktionsplan Verwaltungsmodernisierung",
            period_start=start,
            period_end=dt.date(start.year + 3, 12, 31),
            status=PlanStatus.ADOPTED,
            public=True,
        )
        peer_field = p.make(ActionField, plan=peer_plan, code="1", title="Bürgerservice")
        peer_unit = p.make(OrganisationalUnit, name="Bürgerbüro", code="BB")
        p.initiative(
            peer_field,
            _peer_initiative(online_share),
            order=0,
            people={},
            units={"BB": peer_unit},
            goals={},
            statements=[],
        )


def build_network(
    municipalities: dict[str, Municipality], users: dict[str, User], today: dt.date
) -> Network:
    network = make(
        Network,
        name="Netzwerk Kommunale Steuerung",
        slug=NETWORK_SLUG,
        description="Kommunen, die wirkungsorientiert steuern, tauschen Erfahrungen aus.",
        public=True,
    )
    network.members.set([municipalities[slug] for slug in NETWORK_MEMBERS])
    _network_content(network, municipalities, users, today)
    return network


def _network_content(
    network: Network,
    municipalities: dict[str, Municipality],
    users: dict[str, User],
    today: dt.date,
) -> None:
    """Shared Vorhaben of a dozen further municipalities, benchmark values and one transfer.

    The peers come from the network corpus (leitwerk/network/tests/fixtures), the same texts
    the suggestion ranking is tested on, so the demo shows suggestions that hold up.
    """
    _net, by_key = corpus.load(network=network)
    musterstadt = municipalities["musterstadt"]
    actor = users["strategie@musterstadt.example"]
    own = Initiative.objects.for_municipality(musterstadt).order_by("pk").first()
    if own is not None:
        initiative_share(
            initiative=own, actor=actor, networks=[network], profile=profile_draft(own)
        )
    # The Amt shares one Vorhaben too, so Musterstadt can ask a town it knows (the journey of
    # a transfer request from question to contact).
    amt = municipalities["amt-musterland"]
    amt_first = Initiative.objects.for_municipality(amt).order_by("pk").first()
    if amt_first is not None:
        initiative_share(
            initiative=amt_first,
            actor=users["strategie@amt-musterland.example"],
            networks=[network],
            profile=profile_draft(amt_first),
        )
    participants = [
        (municipalities[key] if key in municipalities else by_key[key].municipality, value, naming)
        for key, value, naming in BENCHMARK_VALUES
    ]
    _benchmark(network, participants, period=str(today.year - 1))
    _transfer(musterstadt, actor, by_key["nordhafen-termine"].shared_profile, own, today)


def _benchmark(
    network: Network, participants: list[tuple[Municipality, str, bool]], *, period: str
) -> None:
    definition, _created = BenchmarkDefinition.objects.get_or_create(
        slug="wartezeit-buergeramt",
        defaults={"title": "Wartezeit Bürgeramt", "unit": "Minuten", "direction": "lower"},
    )
    for municipality, value, naming in participants:
        indicator_share(
            municipality=municipality, actor=None, definition=definition, networks=[network]
        )
        benchmark_value_submit(
            municipality=municipality,
            actor=None,
            definition=definition,
            period=period,
            value=Decimal(value),
            allow_naming=naming,
        )
    # The demo's values were "shared last year": they are in the comparison from the start.
    benchmark_values_publish(everything=True)


def _transfer(
    musterstadt: Municipality,
    actor: User,
    source: Any,
    own: Initiative | None,
    today: dt.date,
) -> None:
    """Musterstadt asks Nordhafen about its SMS reminder and records the transfer."""
    request = transfer_request_create(
        municipality=musterstadt,
        actor=actor,
        shared_initiative=source,
        message="Wie haben Sie die SMS-Erinnerung eingeführt, und wie viele Termine fallen noch "
        "aus?",
        contact_role="Stabsstelle Strategie",
        initiative=own,
    )
    transfer_request_accept(
        municipality=source.municipality,
        actor=None,
        request=request,
        contact_name="Jonas Nordmann",
        contact_email="j.nordmann@nordhafen.example",
        text="Gern! Rufen Sie an, wir zeigen Ihnen die Einstellungen im Terminsystem.",
    )
    transfer_record(
        municipality=musterstadt,
        actor=actor,
        shared_initiative=source,
        summary="Terminerinnerung per SMS nach dem Vorbild Nordhafens eingeführt.",
        transferred_on=today - dt.timedelta(days=20),
        initiative=own,
        request=request,
    )
