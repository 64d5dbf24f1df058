"""Amt Musterland's content: its Grundsätze, organisation and plan specs (see amt.py)."""

# The German demo texts sit in one-row-per-item tables; wrapping them would hide the rows.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any

from leitwerk.core.status import Health
from leitwerk.guidelines.models import StatementKind
from leitwerk.municipalities.models import UnitKind
from leitwerk.plans.models import IndicatorKind, InitiativeStatus, SubInitiativeKind

# (code, name, kind, [(code, name, capacity person days), …])
UNITS = [
    ("LVB", "Leitender Verwaltungsbeamter", UnitKind.STABSSTELLE, []),
    (
        "AV",
        "Amtsverwaltung",
        UnitKind.DEZERNAT,
        [
            ("FB 1", "Zentrale Dienste", 900),
            ("FB 2", "Finanzen", 700),
            ("FB 3", "Bürgerservice und Ordnung", 1100),
            ("FB 4", "Bauen und Gemeindeentwicklung", 800),
        ],
    ),
]

GRUNDSAETZE_SECTIONS = [
    (
        "Grundsatz 1",
        "Politik steuert, Verwaltung setzt um",
        "",
        [
            (
                StatementKind.GRUNDSATZ,
                "Die gewählten Gremien legen die Ziele fest und steuern. Die Verwaltung "
                "setzt die Beschlüsse um und berichtet darüber.",
            )
        ],
    ),
    (
        "Grundsatz 2",
        "Steuern mit Zielfeldern, Rahmenkonzepten und Aktionsplänen",
        "",
        [
            (
                StatementKind.GRUNDSATZ,
                "Wir steuern über Zielfelder, Rahmenkonzepte und Aktionspläne, "
                "nicht über Einzelfälle.",
            )
        ],
    ),
    (
        "Grundsatz 3",
        "Alle Gemeinden zählen gleich",
        "",
        [
            (
                StatementKind.GRUNDSATZ,
                "Wir wägen die Interessen aller Gemeinden ab – unabhängig von Größe und Finanzkraft.",
            ),
            (
                StatementKind.GRUNDSATZ,
                "Wird eine Gemeinde benachteiligt, suchen wir einen Ausgleich.",
            ),
        ],
    ),
    (
        "Grundsatz 4",
        "Ergebnisse und Mittel im Blick",
        "",
        [
            (
                StatementKind.GRUNDSATZ,
                "Wir richten uns an Ergebnissen und verfügbaren Mitteln aus und "
                "vermeiden unnötigen Aufwand.",
            )
        ],
    ),
    (
        "Grundsatz 5",
        "Gut vorbereitete Sitzungen",
        "",
        [
            (
                StatementKind.GRUNDSATZ,
                "Sitzungsunterlagen sind vollständig, rechtzeitig und verständlich.",
            )
        ],
    ),
    (
        "Grundsatz 6",
        "Stetig besser werden",
        "",
        [(StatementKind.GRUNDSATZ, "Wir prüfen unsere Arbeit regelmäßig und verbessern sie.")],
    ),
]

# Action fields with their Vorhaben; "affected" names the member municipalities concerned.
PLAN: list[tuple[str, str, list[dict[str, Any]]]] = [
    ("1", "Zusammenarbeit der Gemeinden", [
        {
            "number": "1.1",
            "title": "Gemeinsamer Bauhof für Seedorf und Lindenau",
            "objective": "Maschinen und Personal gemeinsam nutzen und Kosten teilen.",
            "status": InitiativeStatus.ACTIVE,
            "unit": "FB 4",
            "people": ["projekt@amt-musterland.example"],
            "author": "projekt@amt-musterland.example",
            "start": -280, "end": 250, "budget": "240000",
            "affected": ["seedorf", "lindenau"],
            "goals": ["G1.1"], "statements": [2, 3],
            "ideas": [(SubInitiativeKind.IDEA, "Kostenaufteilung nach Einwohnerzahl mit Mindestbeitrag")],
            "milestones": [
                ("Kooperationsvertrag unterschrieben", -150, -140, True),
                ("Gemeinsamer Maschinenpark bestellt", -20, None, False),
                ("Bauhof arbeitet gemeinsam", 120, None, True),
            ],
            "indicators": [{
                "title": "Eingesparte Kosten pro Jahr", "kind": IndicatorKind.QUANTITATIVE,
                "unit": "Euro", "baseline": "0", "target": "60000",
                "values": [(-60, "12000")],
            }],
            "reports": [(-30, Health.AT_RISK, "Lieferung der Maschinen verzögert sich.", "Wir leihen übergangsweise.")],
        },
        {
            "number": "1.2",
            "title": "Kita-Plätze zentral vergeben",
            "objective": "Eltern melden sich einmal an, für alle Kitas im Amt.",
            "status": InitiativeStatus.PLANNED,
            "unit": "FB 3",
            "start": 60, "end": 400, "budget": "60000",
            "affected": ["birkenfelde", "seedorf"],
            "goals": ["G1.1"],
            "milestones": [("Satzung im Amtsausschuss", 120, None, True)],
            "indicators": [{"title": "Zentrale Anmeldung möglich", "kind": IndicatorKind.YES_NO}],
        },
    ]),
    ("2", "Digitale Gremienarbeit", [
        {
            "number": "2.1",
            "title": "Digitale Sitzungsunterlagen für alle Gemeindevertretungen",
            "objective": "Alle Vertretungen arbeiten papierlos mit einem Ratsinformationssystem.",
            "status": InitiativeStatus.ACTIVE,
            "unit": "FB 1",
            "start": -280, "end": 180, "budget": "90000",
            "affected": ["seedorf", "lindenau", "birkenfelde"],
            "goals": ["G2.1"], "statements": [5],
            "milestones": [
                ("Tablets an alle Mitglieder ausgegeben", -100, -98, False),
                ("Erste papierlose Sitzung in Lindenau", -50, None, True),
            ],
            "indicators": [{
                "title": "Papierlose Gemeindevertretungen", "kind": IndicatorKind.CHECKLIST,
                "checklist": [
                    {"text": "Seedorf", "done": True},
                    {"text": "Lindenau", "done": False},
                    {"text": "Birkenfelde", "done": True},
                ],
            }],
            # Last report far older than the 120-day interval: stale on purpose.
            "reports": [(-160, Health.ON_TRACK, "Tablets beschafft.", "")],
        },
        {
            "number": "2.2",
            "title": "Breitband für den Ortsteil Lindenau-Heide",
            "objective": "Der kleinste Ortsteil bekommt schnelles Internet wie die größeren Gemeinden.",
            "description": "Nach Grundsatz 3 zählt Lindenau so viel wie die größeren Gemeinden: "
            "den Eigenanteil, den es allein nicht tragen kann, trägt das Amt.",
            "status": InitiativeStatus.ACTIVE,
            "unit": "FB 4",
            "start": -200, "end": 500, "budget": "150000",
            "affected": ["lindenau"],
            "goals": ["G1.1"], "statements": [3],
            "milestones": [("Förderantrag gestellt", -90, -92, True)],
            "indicators": [{
                "title": "Angeschlossene Haushalte", "kind": IndicatorKind.QUANTITATIVE,
                "unit": "Haushalte", "baseline": "0", "target": "180",
                "values": [(-10, "0")],
            }],
            "reports": [(-10, Health.ON_TRACK, "Förderbescheid liegt vor.", "")],
        },
    ]),
]  # fmt: skip

# The priority round: the adopted order (the Borda result of these ballots), and the ballots
# as (participant: body key or unit code, order, day submitted).
ADOPTED_ORDER = ["2.2", "1.1", "2.1", "1.2"]
BALLOTS = [
    ("ausschuss", ["2.2", "1.1", "2.1", "1.2"], -320),
    ("finanzausschuss", ["1.1", "2.2", "2.1", "1.2"], -318),
    ("FB 4", ["2.2", "2.1", "1.1", "1.2"], -316),
]

# Amt mode. Who pays: the digital sessions by the population key of all three members,
# the Kita registration by the population of the two members it serves. The Bauhof's key is
# still being negotiated (see its idea), and the Amt carries Lindenau's broadband share.
COST_SHARES = {
    "1.2": (("birkenfelde", "69"), ("seedorf", "31")),
    "2.1": (("seedorf", "28"), ("lindenau", "11"), ("birkenfelde", "61")),
}
# (member, days ago, reference, note): the member councils that signed the list off.
SIGN_OFFS = [
    ("seedorf", 280, "GV-SD/04/2025", ""),
    ("birkenfelde", 270, "", "Zustimmung mit Blick auf den beschlossenen Ausgleich."),
]
