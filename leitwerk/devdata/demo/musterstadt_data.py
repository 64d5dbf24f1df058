"""Musterstadt's content: texts, organisation, plan specs and the rows that hang off them.

Only data lives here; musterstadt.py and musterstadt_feedback.py turn it into rows. Day
offsets are relative to `today`; statement indices point into Leitbild + Leitlinien in order.
"""

# The German demo texts sit in one-row-per-item tables; wrapping them would hide the rows.
# ruff: noqa: E501

from __future__ import annotations

from typing import Any

from leitwerk.core.status import Health
from leitwerk.feedback.models import SuggestionStatus
from leitwerk.guidelines.models import StatementKind
from leitwerk.municipalities.models import UnitKind
from leitwerk.plans.models import Direction, IndicatorKind, InitiativeStatus, SubInitiativeKind
from leitwerk.priorities.models import DecisionKind

LEITBILD_SECTIONS = [
    (
        "1",
        "Wir sind für die Menschen da",
        "Unsere Kundinnen und Kunden sind keine Bittsteller. Wir richten uns nach ihren Anliegen.",
        [
            (StatementKind.WIR, "Wir sind gut erreichbar – im Bürgeramt, am Telefon und online."),
            (StatementKind.WIR, "Wir beraten freundlich, verständlich und auf Augenhöhe."),
            (StatementKind.WIR, "Wir nehmen Anregungen und Beschwerden ernst und antworten zügig."),
        ],
    ),
    (
        "2",
        "Wir stärken Wirtschaft und Umwelt zugleich",
        "Eine lebendige Wirtschaft und eine gesunde Umwelt gehören für uns zusammen.",
        [
            (StatementKind.WIR, "Wir bearbeiten Anträge von Unternehmen schnell und verlässlich."),
            (StatementKind.WIR, "Wir gehen mit Energie und Flächen sparsam um."),
            (StatementKind.WIR, "Wir machen die Verwaltung bis 2035 klimaneutral."),
        ],
    ),
    (
        "3",
        "Wir reden miteinander – offen und verständlich",
        "Gute Entscheidungen brauchen gute Information.",
        [
            (StatementKind.WIR, "Wir schreiben so, dass man uns ohne Vorwissen versteht."),
            (StatementKind.WIR, "Wir erklären, warum wir etwas entscheiden."),
            (StatementKind.WIR, "Wir beteiligen die Menschen früh an Vorhaben, die sie betreffen."),
        ],
    ),
    (
        "4",
        "Wir arbeiten wirtschaftlich und schnell",
        "Mit dem Geld der Bürgerinnen und Bürger gehen wir sorgsam um.",
        [
            (StatementKind.WIR, "Wir nutzen digitale Wege, wo sie den Menschen Zeit sparen."),
            (StatementKind.WIR, "Wir prüfen regelmäßig, ob sich unser Aufwand lohnt."),
            (StatementKind.WIR, "Wir vermeiden doppelte Arbeit zwischen den Fachbereichen."),
        ],
    ),
    (
        "5",
        "Wir sind eine leistungsfähige Arbeitgeberin",
        "Unsere Mitarbeitenden sind der Schlüssel für gute Leistungen.",
        [
            (StatementKind.WIR, "Wir bilden aus und qualifizieren kontinuierlich weiter."),
            (StatementKind.WIR, "Wir führen wertschätzend und mit klaren Zielen."),
            (StatementKind.WIR, "Wir ermöglichen flexibles Arbeiten, wo die Aufgabe es zulässt."),
        ],
    ),
]

LEITLINIEN_SECTIONS = [
    (
        "",
        "Gemeinsam lernen",
        "",
        [
            (StatementKind.WIR, "Wir sehen Fehler als Gelegenheit, besser zu werden."),
            (StatementKind.ICH, "Ich teile mein Wissen mit meinem Team."),
            (StatementKind.ICH, "Ich frage früh nach Rückmeldungen zu Zwischenergebnissen."),
        ],
    ),
    (
        "",
        "Gemeinsam verantwortlich",
        "",
        [
            (StatementKind.WIR, "Wir stehen für unsere Ergebnisse ein."),
            (StatementKind.ICH, "Ich mache meine Ziele messbar."),
            (StatementKind.ICH, "Ich setze Prioritäten und sage offen, was warten muss."),
        ],
    ),
    (
        "",
        "Gemeinsam auf Augenhöhe",
        "",
        [
            (StatementKind.WIR, "Wir begegnen einander respektvoll – über alle Ebenen hinweg."),
            (StatementKind.ICH, "Ich höre zu, bevor ich urteile."),
        ],
    ),
    (
        "",
        "Gemeinsam innovativ",
        "",
        [
            (StatementKind.WIR, "Wir probieren Neues aus und lernen aus dem Ergebnis."),
            (StatementKind.ICH, "Ich bringe eigene Ideen ein, auch wenn sie unfertig sind."),
        ],
    ),
]


# (code, name, kind, [(code, name, capacity person days), …])
UNITS = [
    ("STS", "Stabsstelle Strategie und Steuerung", UnitKind.STABSSTELLE, []),
    (
        "D I",
        "Dezernat I – Verwaltung und Finanzen",
        UnitKind.DEZERNAT,
        [
            ("FB 1", "Personal und Organisation", 2600),
            ("FB 2", "Finanzen", 2100),
            ("FB 3", "Digitalisierung und IT", 1800),
        ],
    ),
    (
        "D II",
        "Dezernat II – Bürgerservice und Soziales",
        UnitKind.DEZERNAT,
        [("FB 4", "Bürgerservice", 3900), ("FB 5", "Jugend, Familie und Soziales", 4200)],
    ),
    (
        "D III",
        "Dezernat III – Stadtentwicklung und Umwelt",
        UnitKind.DEZERNAT,
        [
            ("FB 6", "Stadtplanung und Bauen", 3100),
            ("FB 7", "Umwelt und Klimaschutz", 1500),
        ],
    ),
]

# (code, title, [(goal code, goal title, statement indices), …])
GOAL_FIELDS = [
    ("Z1", "Service und Erreichbarkeit", [("Z1.1", "Termine ohne Wartezeit", [0, 9]),
                                           ("Z1.2", "Verständliche Sprache", [6, 7])]),
    ("Z2", "Digitale Verwaltung", [("Z2.1", "Leistungen online anbieten", [9, 3]),
                                    ("Z2.2", "Offene Daten", [7])]),
    ("Z3", "Klimaneutrale Verwaltung", [("Z3.1", "Energieverbrauch senken", [4, 5])]),
    ("Z4", "Gute Arbeit", [("Z4.1", "Führung und Einarbeitung stärken", [12, 13, 16])]),
]  # fmt: skip

# Action fields with their Vorhaben: (code, title, [spec, …]); see Tenant.initiative for the keys.
PLAN: list[tuple[str, str, list[dict[str, Any]]]] = [
    (
        "A1",
        "Bürgerservice",
        [
            {
                "number": "1.1",
                "title": "Online-Terminvergabe für alle Bürgerämter",
                "objective": "Termine im Bürgeramt rund um die Uhr online buchen können.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 4",
                "people": ["projekt@musterstadt.example"],
                "author": "projekt@musterstadt.example",
                "responsible_text": ["FB 4 Bürgerservice", "FB 3 Digitalisierung und IT"],
                "start": -290,
                "end": 250,
                "effort": 120,
                "budget": "45000",
                "goals": ["Z1.1"],
                "statements": [0, 9],
                "ideas": [
                    (SubInitiativeKind.TEILVORHABEN, "Terminsoftware für Bürgeramt Nord"),
                    (SubInitiativeKind.TEILVORHABEN, "Ausweitung auf Bürgeramt Ost und Süd"),
                    (SubInitiativeKind.IDEA, "Erinnerung per SMS am Vortag"),
                ],
                "milestones": [
                    ("Software ausgewählt und Vertrag geschlossen", -220, -225, False),
                    ("Bürgeramt Nord bucht online", -120, -110, True),
                    ("Bürgeramt Ost und Süd buchen online", 60, None, True),
                    ("Auswertung der Kundenzufriedenheit", 200, None, False),
                ],
                "indicators": [
                    {
                        "title": "Anteil online gebuchter Termine",
                        "kind": IndicatorKind.QUANTITATIVE,
                        "unit": "%",
                        "baseline": "12",
                        "target": "80",
                        "values": [(-270, "12"), (-180, "25"), (-90, "41"), (-12, "55")],
                    }
                ],
                "reports": [
                    (-100, Health.ON_TRACK, "Bürgeramt Nord ist umgestellt.", ""),
                    (
                        -12,
                        Health.ON_TRACK,
                        "Schulungen für Ost und Süd laufen, Start wie geplant.",
                        "",
                    ),
                ],
                "transfer": [("Beispielhausen", "05999201"), ("Probstadt", "08999301")],
            },
            {
                "number": "1.2",
                "title": "Wartezeiten im Bürgeramt halbieren",
                "objective": "Niemand wartet länger als 20 Minuten.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 4",
                "people": ["fb-leitung@musterstadt.example"],
                "author": "fb-leitung@musterstadt.example",
                "start": -280,
                "end": 300,
                "goals": ["Z1.1"],
                "statements": [0],
                "ideas": [
                    (SubInitiativeKind.IDEA, "Schnellschalter für Abholungen"),
                    (SubInitiativeKind.IDEA, "Wartezeit live auf der Website anzeigen"),
                ],
                "milestones": [
                    ("Messung der Wartezeiten eingeführt", -200, -205, False),
                    ("Schnellschalter in Bürgeramt Nord eröffnet", -30, None, True),
                    ("Personalbemessung überprüft", 90, None, False),
                ],
                "indicators": [
                    {
                        "title": "Durchschnittliche Wartezeit vor Ort",
                        "kind": IndicatorKind.QUANTITATIVE,
                        "unit": "Minuten",
                        "baseline": "42",
                        "target": "20",
                        "direction": Direction.DECREASE,
                        "values": [(-200, "42"), (-110, "39"), (-20, "37")],
                    }
                ],
                "reports": [
                    (
                        -20,
                        Health.AT_RISK,
                        "Der Schnellschalter verzögert sich, weil Umbauten fehlen.",
                        "Umbau ist beauftragt; Eröffnung in etwa sechs Wochen.",
                    )
                ],
            },
            {
                "number": "1.3",
                "title": "Bescheide in verständlicher Sprache",
                "objective": "Die 20 häufigsten Bescheide sind ohne Vorwissen verständlich.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 1",
                "start": -290,
                "end": 400,
                "goals": ["Z1.2"],
                "statements": [6],
                "ideas": [(SubInitiativeKind.IDEA, "Texte mit Bürgerinnen und Bürgern testen")],
                "milestones": [
                    ("Liste der häufigsten Bescheide erstellt", -230, -240, False),
                    ("Zehn Bescheide überarbeitet", 120, None, True),
                ],
                "indicators": [
                    {
                        "title": "Bescheide sind für die Empfänger verständlich",
                        "kind": IndicatorKind.QUALITATIVE,
                    }
                ],
                # Only one old report: this Vorhaben shows up as "ohne aktuelle Meldung".
                "reports": [(-200, Health.ON_TRACK, "Arbeitsgruppe hat begonnen.", "")],
            },
        ],
    ),
    (
        "A2",
        "Digitale Verwaltung",
        [
            {
                "number": "2.1",
                "title": "E-Akte in allen Fachbereichen",
                "objective": "Alle Fachbereiche führen ihre Akten elektronisch.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 3",
                "start": -290,
                "end": 360,
                "effort": 400,
                "budget": "380000",
                "goals": ["Z2.1"],
                "statements": [9, 11],
                "ideas": [
                    (SubInitiativeKind.TEILVORHABEN, "Pilot im Fachbereich Finanzen"),
                    (SubInitiativeKind.TEILVORHABEN, "Scanstelle für Papierpost"),
                ],
                "milestones": [
                    ("Pilot im FB 2 abgeschlossen", -90, None, True),
                    ("Scanstelle in Betrieb", -45, None, False),
                    ("Hälfte der Fachbereiche umgestellt", 150, None, True),
                ],
                "indicators": [
                    {
                        "title": "Umstellung je Fachbereich",
                        "kind": IndicatorKind.CHECKLIST,
                        "checklist": [
                            {"text": "FB 1 Personal und Organisation", "done": False},
                            {"text": "FB 2 Finanzen", "done": True},
                            {"text": "FB 3 Digitalisierung und IT", "done": True},
                            {"text": "FB 4 Bürgerservice", "done": False},
                            {"text": "FB 6 Stadtplanung und Bauen", "done": False},
                        ],
                    }
                ],
                "reports": [
                    (
                        -15,
                        Health.OFF_TRACK,
                        "Der Pilot hängt, weil die Schnittstelle zum Finanzverfahren fehlt.",
                        "Der Hersteller liefert die Schnittstelle erst im nächsten Quartal. "
                        "Wir schlagen vor, den Zeitplan um sechs Monate zu strecken.",
                    )
                ],
            },
            {
                "number": "2.2",
                "title": "Digitaler Bauantrag",
                "objective": "Bauanträge können vollständig online gestellt werden.",
                "status": InitiativeStatus.PLANNED,
                "unit": "FB 6",
                "start": 30,
                "end": 500,
                "goals": ["Z2.1"],
                "statements": [3],
                "milestones": [
                    ("Anforderungen mit Architekturbüros abgestimmt", 90, None, False),
                    ("Erster Bauantrag online eingegangen", 300, None, True),
                ],
                "indicators": [
                    {"title": "Bauantrag online einreichbar", "kind": IndicatorKind.YES_NO}
                ],
            },
            {
                "number": "2.3",
                "title": "Offene Daten der Stadt",
                "objective": "Wichtige Daten der Stadt sind frei und maschinenlesbar verfügbar.",
                "status": InitiativeStatus.COMPLETED,
                "unit": "FB 3",
                "start": -290,
                "end": -30,
                "goals": ["Z2.2"],
                "statements": [7],
                "milestones": [
                    ("Datenportal freigeschaltet", -120, -125, True),
                    ("Zehn Datensätze veröffentlicht", -40, -35, False),
                ],
                "indicators": [
                    {
                        "title": "Datenportal ist online",
                        "kind": IndicatorKind.YES_NO,
                        "values": [(-120, "1")],
                    }
                ],
                "reports": [(-30, Health.DONE, "Das Portal ist online, 14 Datensätze.", "")],
            },
        ],
    ),
    (
        "A3",
        "Klima und Umwelt",
        [
            {
                "number": "3.1",
                "title": "Energie sparen in städtischen Gebäuden",
                "objective": "Der Stromverbrauch der Verwaltungsgebäude sinkt um ein Viertel.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 7",
                "start": -290,
                "end": 700,
                "budget": "120000",
                "goals": ["Z3.1"],
                "statements": [4, 5],
                "ideas": [
                    (SubInitiativeKind.IDEA, "LED-Beleuchtung im Rathaus"),
                    (SubInitiativeKind.IDEA, "Energiebeauftragte in jedem Gebäude"),
                ],
                "milestones": [
                    ("Verbrauch aller Gebäude erfasst", -180, -170, False),
                    ("LED im Rathaus eingebaut", 45, None, True),
                ],
                "indicators": [
                    {
                        "title": "Stromverbrauch der Verwaltungsgebäude",
                        "kind": IndicatorKind.QUANTITATIVE,
                        "unit": "MWh/Jahr",
                        "baseline": "2400",
                        "target": "1800",
                        "direction": Direction.DECREASE,
                        "values": [(-270, "2400"), (-180, "2350"), (-90, "2260"), (-5, "2190")],
                    }
                ],
                "reports": [(-5, Health.ON_TRACK, "Verbrauch sinkt wie geplant.", "")],
            },
            {
                "number": "3.2",
                "title": "Dienstfahrräder für alle Standorte",
                "objective": "Dienstwege unter fünf Kilometern werden mit dem Rad erledigt.",
                "status": InitiativeStatus.PAUSED,
                "unit": "FB 7",
                "start": -250,
                "end": 200,
                "goals": ["Z3.1"],
                "statements": [4],
                "milestones": [("20 Dienstfahrräder beschafft", -60, None, False)],
                "indicators": [
                    {
                        "title": "Mit dem Dienstrad zurückgelegte Kilometer",
                        "kind": IndicatorKind.QUANTITATIVE,
                        "unit": "km",
                        "baseline": "0",
                        "target": "5000",
                        "values": [(-70, "400")],
                    }
                ],
                "reports": [
                    (
                        -40,
                        Health.AT_RISK,
                        "Beschaffung ruht bis zur Haushaltsfreigabe.",
                        "Der Hauptausschuss hat das Vorhaben neu zugeschnitten.",
                    )
                ],
            },
        ],
    ),
    (
        "A4",
        "Personal und Führung",
        [
            {
                "number": "4.1",
                "title": "Führen nach unseren Leitlinien",
                "objective": "Alle Führungskräfte kennen die Leitlinien und leben sie.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 1",
                "start": -260,
                "end": 450,
                "goals": ["Z4.1"],
                "statements": [13, 19],
                "ideas": [(SubInitiativeKind.TEILVORHABEN, "Workshopreihe für Führungskräfte")],
                "milestones": [
                    ("Erster Leitlinien-Puls ausgewertet", -60, -58, True),
                    ("Alle Führungskräfte geschult", 240, None, True),
                ],
                "indicators": [
                    {
                        "title": "Zustimmung im Leitlinien-Puls",
                        "kind": IndicatorKind.SURVEY,
                        "unit": "%",
                        "baseline": "58",
                        "target": "75",
                        "values": [(-60, "58"), (-3, "63")],
                    }
                ],
                "reports": [(-25, Health.ON_TRACK, "Drei von acht Workshops sind gelaufen.", "")],
            },
            {
                "number": "4.2",
                "title": "Gute Einarbeitung für neue Mitarbeitende",
                "objective": "Neue Kolleginnen und Kollegen sind nach drei Monaten sicher.",
                "status": InitiativeStatus.ACTIVE,
                "unit": "FB 1",
                "start": -200,
                "end": 300,
                "goals": ["Z4.1"],
                "statements": [12],
                "milestones": [
                    ("Einarbeitungsmappe fertig", -100, -95, False),
                    ("Patenprogramm gestartet", -10, None, True),
                ],
                "indicators": [
                    {
                        "title": "Zufriedenheit neuer Mitarbeitender nach drei Monaten",
                        "kind": IndicatorKind.QUANTITATIVE,
                        "unit": "Punkte (1–5)",
                        "baseline": "3.2",
                        "target": "4.2",
                        "values": [(-100, "3.2"), (-8, "3.6")],
                    }
                ],
                "reports": [(-8, Health.AT_RISK, "Patenprogramm startet verspätet.", "")],
            },
            {
                "number": "4.3",
                "title": "Eigene Mitarbeitenden-App",
                "objective": "Informationen für Mitarbeitende auf dem Smartphone.",
                "status": InitiativeStatus.CANCELLED,
                "unit": "FB 3",
                "start": -290,
                "end": -100,
                "public": False,
                "milestones": [("Marktrecherche abgeschlossen", -200, -190, False)],
                "reports": [
                    (
                        -150,
                        Health.OFF_TRACK,
                        "Eingestellt, das Intranet leistet dasselbe.",
                        "Kosten und Nutzen stehen in keinem Verhältnis.",
                    )
                ],
            },
        ],
    ),
]

RESOLUTIONS = [
    # (Vorhaben number or None for the whole plan, text)
    (None, "Wir melden jedes Quartal den Sachstand – auch wenn es hakt."),
    (None, "Wir beteiligen die Betroffenen, bevor wir entscheiden."),
    ("1.1", "Wer nicht online buchen kann, bekommt weiter einen Termin am Telefon."),
]

# (title, description, category, impact, frequency, Vorhaben, [(solution title, text), …])
OBSTACLES = [
    (
        "Viele Papierformulare und Medienbrüche",
        "Anträge kommen auf Papier, werden abgetippt und wieder ausgedruckt.",
        "Digitalisierung",
        5,
        4,
        ["2.1", "2.2"],
        [("Scanstelle und E-Akte", "Papier wird beim Eingang gescannt und nur digital weiter bearbeitet.")],
    ),
    (
        "Unklare Terminsteuerung im Bürgeramt",
        "Spontane Besuche und Termine mischen sich, Wartezeiten sind nicht planbar.",
        "Organisation",
        4,
        5,
        ["1.1", "1.2"],
        [
            ("Online-Termine und Schnellschalter", "Planbare Termine online, kurze Anliegen am Schnellschalter."),
            ("Wartezeit anzeigen", "Die aktuelle Wartezeit steht auf der Website."),
        ],
    ),
    (
        "Schwer verständliche Bescheide",
        "Rückfragen und Widersprüche entstehen, weil Bescheide nicht verstanden werden.",
        "Kommunikation",
        3,
        4,
        ["1.3"],
        [("Textbausteine in verständlicher Sprache", "Ein Redaktionsteam überarbeitet Bausteine.")],
    ),
    (
        "Neue Mitarbeitende finden sich schwer zurecht",
        "Ohne feste Einarbeitung gehen Wissen und Motivation verloren.",
        "Personal",
        3,
        3,
        ["4.2"],
        [("Patenprogramm", "Jede neue Kollegin und jeder neue Kollege bekommt eine Patin oder einen Paten.")],
    ),
]  # fmt: skip
# The unit that gives the second assessment of an obstacle, by category (otherwise FB 1).
UNITS_BY_OBSTACLE_CATEGORY = {
    "Digitalisierung": "FB 3",
    "Organisation": "FB 4",
    "Kommunikation": "FB 1",
}

# The adopted priority list, and the order after the one justified change (3.2 moved up).
ADOPTED_ORDER = ["1.1", "2.1", "1.2", "3.1", "4.1", "1.3", "2.3", "3.2"]
CHANGED_ORDER = ["1.1", "2.1", "1.2", "3.1", "4.1", "1.3", "3.2", "2.3"]
# Next year's open round: candidates, and the ballots cast so far (FB 1 has not voted yet).
NEXT_CANDIDATES = ["2.1", "1.1", "2.2", "4.2", "1.2"]
NEXT_PARTICIPANTS = ("FB 3", "FB 4", "FB 1")
NEXT_BALLOTS = {
    "FB 3": (["2.1", "2.2", "1.1", "1.2", "4.2"], "fb-leitung@musterstadt.example"),
    "FB 4": (["1.1", "1.2", "2.1", "4.2", "2.2"], "fb-leitung@musterstadt.example"),
}

# (Vorhaben or None, kind, title, justification, day, body key, reference, public)
DECISIONS = [
    ("1.1", DecisionKind.START, "Start der Online-Terminvergabe", "Lange Wartezeiten sind die häufigste Beschwerde. Online-Termine helfen schnell und kosten wenig.", -280, "rat", "RAT/0816/2025", True),
    ("3.2", DecisionKind.RESCOPE, "Dienstfahrräder: zunächst nur Rathaus", "Der Haushalt erlaubt in diesem Jahr nur einen Standort. Die übrigen folgen nach Auswertung.", -45, "haupt", "HA/0107/2025", True),
    ("4.3", DecisionKind.STOP, "Mitarbeitenden-App eingestellt", "Das Intranet bietet die gleichen Informationen. Eine eigene App würde jährlich 30.000 Euro kosten.", -150, "vv", "", True),
    ("2.1", DecisionKind.BUDGET, "Mehrbedarf E-Akte", "Für die Schnittstelle zum Finanzverfahren sind 40.000 Euro zusätzlich nötig.", -10, "vv", "", False),
    (None, DecisionKind.PRIORITY, "Prioritätenliste beschlossen", "Der Rat folgt dem Vorschlag der Verwaltung und setzt Bürgerservice und E-Akte an die Spitze.", -250, "rat", "RAT/0842/2025", True),
]  # fmt: skip

# (category, text, unit, status, due day, answer, answered day, answer public)
SUGGESTIONS = [
    ("Anregung", "Bitte einen Termin auch am Samstagvormittag anbieten.", "FB 4", SuggestionStatus.NEW, 9, "", None, False),
    ("Beschwerde", "Ich habe auf meine E-Mail an das Bauamt seit Wochen keine Antwort.", "FB 6", SuggestionStatus.IN_PROGRESS, -4, "", None, False),
    ("Beschwerde", "Der Bescheid über die Hundesteuer war für mich nicht verständlich.", "FB 2", SuggestionStatus.ANSWERED, -20, "Danke für den Hinweis. Wir haben den Bescheid neu formuliert und in das Vorhaben „Bescheide in verständlicher Sprache“ aufgenommen.", -25, True),
    ("Anregung", "Mehr Fahrradbügel vor dem Bürgeramt Ost wären gut.", "FB 7", SuggestionStatus.NEW, 20, "", None, False),
]  # fmt: skip

# ------------------------------------------------------------------ feedback (musterstadt_feedback)

# (name, LeiKa key, unit)
SERVICES = [
    ("Personalausweis beantragen", "99999001001000", "FB 4"),
    ("Wohnsitz anmelden", "99999001002000", "FB 4"),
    ("Führungszeugnis beantragen", "99999001003000", "FB 4"),
    ("Bewohnerparkausweis ausstellen", "", "FB 6"),
]
LOCATIONS = ("Bürgeramt Nord", "Bürgeramt Ost", "Bürgeramt Süd")
# The closed first wave's counts of overall satisfaction 1…5, per location.
CLOSED_WAVE_COUNTS = ([1, 1, 3, 4, 3], [0, 2, 2, 4, 4], [1, 2, 3, 3, 3])
# … of "Anliegen erledigt?" (ja, nein) and of the waiting time (under 10, 10–30, over 30 min).
CLOSED_WAVE_SOLVED = ([10, 2], [9, 3], [11, 1])
CLOSED_WAVE_WAITED = ([6, 5, 1], [3, 6, 3], [7, 4, 1])
# The open wave: (location index, score 1–5, solved 0/1, waiting-time choice, text).
# Fixed answers instead of random ones, so the demo shows the same results every time.
CITIZEN_ANSWERS = [
    (0, 5, 1, 0, "Sehr freundlich, danke!"),
    (0, 4, 1, 0, ""),
    (0, 4, 1, 1, ""),
    (0, 5, 1, 0, ""),
    (0, 3, 0, 1, "Das Formular war schwer zu finden."),
    (0, 4, 1, 0, ""),
    (1, 2, 0, 2, "Zu lange gewartet."),
    (1, 3, 1, 2, ""),
    (1, 4, 1, 1, ""),
    (1, 3, 1, 2, "Mehr Termine am Nachmittag, bitte."),
    (1, 4, 1, 1, ""),
    (2, 5, 1, 0, ""),
    (2, 4, 1, 0, ""),
]
