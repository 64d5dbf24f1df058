"""Demo data for Leitwerk: Musterstadt, Amt Musterland and a small network.

`demo_load()` writes everything in one transaction. All content is invented for the demo.
Dates are computed from `today`, so milestones are overdue, current or in the future and
one Vorhaben is without a current status report whenever the demo is loaded.
"""

# The German demo texts sit in one-row-per-item tables; wrapping them would hide the rows.
# ruff: noqa: E501

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import models, transaction

from leitwerk.accounts.models import IdentityProvider, User
from leitwerk.controlling.models import Comment, ReminderLog
from leitwerk.core.audit import audit
from leitwerk.core.status import Health
from leitwerk.feedback.models import (
    Answer,
    AnswerAggregate,
    DiscussionItem,
    IndicatorMeasure,
    Location,
    Question,
    QuestionKind,
    Response,
    Service,
    Suggestion,
    SuggestionIndicatorBinding,
    SuggestionStatus,
    Survey,
    SurveyCode,
    SurveyIndicatorBinding,
    SurveyKind,
    SurveyStatus,
    Wave,
    WaveStatus,
)
from leitwerk.goals.models import FrameworkConcept, Goal, GoalField
from leitwerk.guidelines.models import (
    GuidelineDocument,
    GuidelineKind,
    GuidelineSection,
    GuidelineStatus,
    Statement,
    StatementKind,
)
from leitwerk.imports.models import ImportRun
from leitwerk.municipalities.models import (
    Body,
    BodyKind,
    Membership,
    Municipality,
    MunicipalityKind,
    OrganisationalUnit,
    Role,
    UnitKind,
)
from leitwerk.network.models import Network, RegistryMunicipality
from leitwerk.obstacles.models import Obstacle, ObstacleRating, SolutionConcept
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Attachment,
    Direction,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    Measurement,
    MeasurementSource,
    Milestone,
    PlanStatus,
    Resolution,
    StatusReport,
    SubInitiative,
    SubInitiativeKind,
    TransferCity,
)
from leitwerk.portal.models import ParticipationOpportunity
from leitwerk.priorities.models import (
    AggregationMethod,
    BalanceSettings,
    Ballot,
    BallotEntry,
    BallotMode,
    CompensationMeasure,
    CostShare,
    Decision,
    DecisionKind,
    ListVersion,
    MemberSignOff,
    PriorityChange,
    PriorityItem,
    PriorityRound,
    RoundParticipant,
    RoundStatus,
)
from leitwerk.priorities.services import round_results
from leitwerk.reports.models import Report, ReportFormat

from .totp import DEMO_TOTP_SECRET

DEMO_PASSWORD = "Leitwerk-Demo-2026!"  # noqa: S105 - documented in LOGINS.md
# Admins and the superuser need a second factor (accounts/policy.py): their demo app shares
# the public DEMO_TOTP_SECRET (LOGINS.md); `python -m leitwerk.devdata.totp` prints the code.
SUPERUSER_EMAIL = "superuser@leitwerk.example"
NETWORK_SLUG = "kommunale-steuerung"


@dataclass(frozen=True)
class DemoLogin:
    email: str
    municipality: str  # slug, empty for the superuser
    role: str  # municipalities.Role value, or "superuser"
    note: str


# Kept in step with LOGINS.md; a test checks that every address there is listed here.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "strategie@musterstadt.example", "musterstadt", Role.STRATEGY, "Stabsstelle Strategie"
    ),
    DemoLogin("admin@musterstadt.example", "musterstadt", Role.ADMIN, "Administration"),
    DemoLogin(
        "fb-leitung@musterstadt.example", "musterstadt", Role.UNIT_EDITOR, "FB 4 Bürgerservice"
    ),
    DemoLogin(
        "projekt@musterstadt.example",
        "musterstadt",
        Role.PROJECT_LEAD,
        "verantwortlich für Vorhaben 1.1 Online-Terminvergabe",
    ),
    DemoLogin("rat@musterstadt.example", "musterstadt", Role.COUNCIL, "Mitglied im Rat"),
    DemoLogin("lesen@musterstadt.example", "musterstadt", Role.VIEWER, "nur lesen"),
    DemoLogin(
        "strategie@amt-musterland.example", "amt-musterland", Role.STRATEGY, "Steuerung im Amt"
    ),
    DemoLogin("admin@amt-musterland.example", "amt-musterland", Role.ADMIN, "Administration"),
    DemoLogin(
        "fb-leitung@amt-musterland.example",
        "amt-musterland",
        Role.UNIT_EDITOR,
        "FB 4 Bauen und Gemeindeentwicklung",
    ),
    DemoLogin(
        "projekt@amt-musterland.example",
        "amt-musterland",
        Role.PROJECT_LEAD,
        "verantwortlich für Vorhaben 1.1 Bauhof-Verbund",
    ),
    DemoLogin(
        "ausschuss@amt-musterland.example",
        "amt-musterland",
        Role.COUNCIL,
        "Mitglied im Amtsausschuss",
    ),
    DemoLogin("lesen@amt-musterland.example", "amt-musterland", Role.VIEWER, "nur lesen"),
    DemoLogin(SUPERUSER_EMAIL, "", "superuser", "Django-Superuser, alle Kommunen"),
)

DEMO_SLUGS = (
    "musterstadt",
    "amt-musterland",
    "seedorf",
    "lindenau",
    "birkenfelde",
    "beispielhausen",
    "probstadt",
)


class DemoAlreadyLoaded(Exception):
    """The demo data (or part of it) is already in the database."""


@dataclass
class DemoSummary:
    municipalities: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    password: str = DEMO_PASSWORD

    def lines(self) -> list[str]:
        return [
            "Demodaten geladen: " + ", ".join(self.municipalities) + ".",
            f"{len(self.logins)} Demo-Zugänge, Passwort für alle: {self.password}",
            "Übersicht der Zugänge: leitwerk/devdata/LOGINS.md",
        ]


def _make(model: type[models.Model], **values: Any) -> Any:
    """Create one row through full_clean(), so the demo never holds rows a form would refuse."""
    m2m = {k: values.pop(k) for k in list(values) if _is_m2m(model, k)}
    obj = model(**values)
    obj.full_clean()
    obj.save()
    for name, targets in m2m.items():
        getattr(obj, name).set(targets)
    return obj


def _is_m2m(model: type[models.Model], name: str) -> bool:
    try:
        return model._meta.get_field(name).many_to_many
    except Exception:  # noqa: BLE001 - unknown names are left to the model to reject
        return False


def _aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def _quarter(day: dt.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1}/{day.year}"


class _Tenant:
    """Writes rows for one municipality; `d(n)` is `today` shifted by n days."""

    def __init__(self, municipality: Municipality, today: dt.date):
        self.m = municipality
        self.today = today

    def d(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def make(self, model: type[models.Model], **values: Any) -> Any:
        return _make(model, municipality=self.m, **values)

    def units(self, tree: list[tuple[str, str, str, list[tuple[str, str, int]]]]) -> dict:
        """tree: (code, name, kind, [(code, name, capacity person days), …]) → {code: unit}."""
        units = {}
        for code, name, kind, children in tree:
            top = self.make(OrganisationalUnit, code=code, name=name, kind=kind)
            units[code] = top
            for child_code, child_name, capacity in children:
                units[child_code] = self.make(
                    OrganisationalUnit,
                    code=child_code,
                    name=child_name,
                    kind=UnitKind.FACHBEREICH,
                    parent=top,
                    capacity_person_days=Decimal(capacity),
                )
        return units

    def guideline(
        self, *, title: str, kind: str, preamble: str, sections: list[tuple], **extra: Any
    ) -> tuple[GuidelineDocument, list[Statement]]:
        """sections: (number, title, intro, [(statement kind, text), …])."""
        doc = self.make(
            GuidelineDocument,
            title=title,
            kind=kind,
            preamble=preamble,
            status=GuidelineStatus.ADOPTED,
            **extra,
        )
        statements = []
        for order, (number, section_title, intro, items) in enumerate(sections):
            section = self.make(
                GuidelineSection,
                document=doc,
                number=number,
                title=section_title,
                intro=intro,
                order=order,
            )
            for i, (statement_kind, text) in enumerate(items):
                statements.append(
                    self.make(Statement, section=section, kind=statement_kind, text=text, order=i)
                )
        return doc, statements

    def initiative(
        self,
        field: ActionField,
        spec: dict[str, Any],
        *,
        order: int,
        people: dict[str, User],
        units: dict[str, OrganisationalUnit],
        goals: dict[str, Goal],
        statements: list[Statement],
        members: dict[str, Municipality] | None = None,
    ) -> Initiative:
        initiative = self.make(
            Initiative,
            action_field=field,
            number=spec["number"],
            title=spec["title"],
            objective=spec["objective"],
            description=spec.get("description", ""),
            status=spec["status"],
            lead_unit=units[spec["unit"]],
            responsible_text=spec.get("responsible_text", []),
            start_date=self.d(spec["start"]),
            end_date=self.d(spec["end"]),
            effort_person_days=Decimal(spec.get("effort", 40)),
            budget_eur=Decimal(spec["budget"]) if "budget" in spec else None,
            public=spec.get("public", True),
            order=order,
            responsible_people=[people[key] for key in spec.get("people", [])],
            goals=[goals[key] for key in spec.get("goals", [])],
            statements=[statements[i] for i in spec.get("statements", [])],
            affected_municipalities=[members[key] for key in spec.get("affected", [])]
            if members
            else [],
        )
        for i, (kind, text) in enumerate(spec.get("ideas", [])):
            self.make(SubInitiative, initiative=initiative, kind=kind, text=text, order=i)
        for i, (title, due, done, success) in enumerate(spec.get("milestones", [])):
            self.make(
                Milestone,
                initiative=initiative,
                title=title,
                due_date=self.d(due),
                done_on=self.d(done) if done is not None else None,
                is_success_factor=success,
                order=i,
            )
        author = people.get(spec.get("author", ""))
        for i, ind in enumerate(spec.get("indicators", [])):
            indicator = self.make(
                Indicator,
                initiative=initiative,
                title=ind["title"],
                kind=ind["kind"],
                unit=ind.get("unit", ""),
                baseline=Decimal(ind["baseline"]) if "baseline" in ind else None,
                baseline_date=self.d(spec["start"]) if "baseline" in ind else None,
                target=Decimal(ind["target"]) if "target" in ind else None,
                target_date=self.d(spec["end"]) if "target" in ind else None,
                direction=ind.get("direction", Direction.INCREASE),
                checklist=ind.get("checklist", []),
                public=True,
                order=i,
            )
            for day, value in ind.get("values", []):
                self.make(
                    Measurement,
                    indicator=indicator,
                    measured_on=self.d(day),
                    period_label=_quarter(self.d(day)),
                    value=Decimal(value),
                    source=MeasurementSource.MANUAL,
                    recorded_by=author,
                )
        latest = None
        for day, health, text, note in spec.get("reports", []):
            reported_on = self.d(day)
            self.make(
                StatusReport,
                initiative=initiative,
                period_label=_quarter(reported_on),
                reported_on=reported_on,
                health=health,
                text=text,
                off_track_note=note,
                author=author,
            )
            latest = max(latest or reported_on, reported_on)
        if latest is not None:
            # The controlling reads this denormalised field for staleness; keep it truthful.
            initiative.last_report_at = _aware(latest)
            initiative.save(update_fields=["last_report_at"])
        for i, (name, ags) in enumerate(spec.get("transfer", [])):
            self.make(TransferCity, initiative=initiative, name=name, ags=ags, order=i)
        return initiative


def _users() -> dict[str, User]:
    names = {
        "strategie@musterstadt.example": ("Sabine", "Steuer"),
        "admin@musterstadt.example": ("Andreas", "Amtmann"),
        "fb-leitung@musterstadt.example": ("Fatma", "Becker"),
        "projekt@musterstadt.example": ("Paul", "Planer"),
        "rat@musterstadt.example": ("Renate", "Ratgeber"),
        "lesen@musterstadt.example": ("Lena", "Leser"),
        "strategie@amt-musterland.example": ("Stefan", "Lindner"),
        "admin@amt-musterland.example": ("Anke", "Hansen"),
        "fb-leitung@amt-musterland.example": ("Frank", "Jessen"),
        "projekt@amt-musterland.example": ("Petra", "Thomsen"),
        "ausschuss@amt-musterland.example": ("Uwe", "Carstensen"),
        "lesen@amt-musterland.example": ("Lisa", "Petersen"),
    }
    users = {}
    for login in DEMO_LOGINS:
        if login.role == "superuser":
            users[login.email] = User.objects.create_superuser(
                login.email, DEMO_PASSWORD, first_name="Super", last_name="User"
            )
        else:
            first, last = names[login.email]
            users[login.email] = User.objects.create_user(
                login.email, DEMO_PASSWORD, first_name=first, last_name=last
            )
        if login.role in ("superuser", "admin"):
            _demo_totp(users[login.email])
    return users


def _demo_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": DEMO_TOTP_SECRET}}
    )


def _municipalities() -> dict[str, Municipality]:
    rows = [
        # slug, name, kind, ags, population, state, parent slug
        ("musterstadt", "Musterstadt", MunicipalityKind.STADT, "09999001", 85400, "Bayern", None),
        (
            "amt-musterland",
            "Amt Musterland",
            MunicipalityKind.AMT,
            "01999100",
            8650,
            "Schleswig-Holstein",
            None,
        ),
        (
            "seedorf",
            "Seedorf",
            MunicipalityKind.GEMEINDE,
            "01999101",
            2410,
            "Schleswig-Holstein",
            "amt-musterland",
        ),
        (
            "lindenau",
            "Lindenau",
            MunicipalityKind.GEMEINDE,
            "01999102",
            940,
            "Schleswig-Holstein",
            "amt-musterland",
        ),
        (
            "birkenfelde",
            "Birkenfelde",
            MunicipalityKind.GEMEINDE,
            "01999103",
            5300,
            "Schleswig-Holstein",
            "amt-musterland",
        ),
        (
            "beispielhausen",
            "Beispielhausen",
            MunicipalityKind.STADT,
            "05999201",
            62100,
            "Nordrhein-Westfalen",
            None,
        ),
        (
            "probstadt",
            "Probstadt",
            MunicipalityKind.STADT,
            "08999301",
            118700,
            "Baden-Württemberg",
            None,
        ),
    ]
    result: dict[str, Municipality] = {}
    for slug, name, kind, ags, population, state, parent in rows:
        result[slug] = _make(
            Municipality,
            slug=slug,
            name=name,
            kind=kind,
            ags=ags,
            population=population,
            state=state,
            parent=result[parent] if parent else None,
        )
        # The directory is shared reference data: reuse an entry a real import already made.
        RegistryMunicipality.objects.get_or_create(
            ags=ags, defaults={"name": name, "state": state, "population": population}
        )
    return result


def _memberships(
    t: _Tenant,
    users: dict[str, User],
    domain: str,
    *,
    strategy_unit: OrganisationalUnit,
    editor_unit: OrganisationalUnit,
    council: Body,
    council_email: str,
) -> None:
    def user(local: str) -> User:
        return users[f"{local}@{domain}"]

    t.make(Membership, user=user("strategie"), role=Role.STRATEGY, unit=strategy_unit)
    t.make(Membership, user=user("admin"), role=Role.ADMIN)
    t.make(Membership, user=user("fb-leitung"), role=Role.UNIT_EDITOR, unit=editor_unit)
    t.make(Membership, user=user("projekt"), role=Role.PROJECT_LEAD, unit=editor_unit)
    t.make(Membership, user=users[council_email], role=Role.COUNCIL, body=council)
    t.make(Membership, user=user("lesen"), role=Role.VIEWER)


# --------------------------------------------------------------------------- Musterstadt

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


def _musterstadt_plan_specs() -> list[tuple[str, str, list[dict]]]:
    """Action fields with their Vorhaben. Day offsets are relative to `today`."""
    return [
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
                    "reports": [
                        (-25, Health.ON_TRACK, "Drei von acht Workshops sind gelaufen.", "")
                    ],
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


def _priority_workflow(
    t: _Tenant,
    *,
    adopted_round: PriorityRound,
    initiatives: dict[str, Initiative],
    units: dict[str, OrganisationalUnit],
    bodies: dict[str, Body],
    users: dict[str, User],
) -> None:
    """An adopted list with one justified change, and next year's round with ballots cast."""
    adopted_order = ["1.1", "2.1", "1.2", "3.1", "4.1", "1.3", "2.3", "3.2"]
    adopted_round.description = "Gemeinsame Liste von Verwaltungsvorstand und Fachbereichen."
    adopted_round.method = AggregationMethod.BORDA
    adopted_round.aggregated_at = _aware(t.d(-270))
    adopted_round.save()
    adopted_round.candidates.set([initiatives[n] for n in adopted_order])
    size = len(adopted_order)
    for rank, number in enumerate(adopted_order, 1):
        t.make(
            PriorityItem,
            round=adopted_round,
            initiative=initiatives[number],
            rank=rank,
            shared_rank=rank,
            score=Decimal(3 * (size - rank)),
            spread=Decimal("1.5") if rank > 2 else Decimal("0.5"),
        )

    def snapshot(order: list[str]) -> list[dict[str, Any]]:
        return [
            {"rank": r, "initiative": initiatives[n].pk, "number": n, "title": initiatives[n].title}
            for r, n in enumerate(order, 1)
        ]

    t.make(
        ListVersion,
        round=adopted_round,
        number=1,
        entries=snapshot(adopted_order),
        note="Beschluss des Rates",
    )
    changed_order = ["1.1", "2.1", "1.2", "3.1", "4.1", "1.3", "3.2", "2.3"]
    second = t.make(
        ListVersion,
        round=adopted_round,
        number=2,
        entries=snapshot(changed_order),
        note="Dienstfahrräder vorgezogen",
    )
    t.make(
        PriorityChange,
        round=adopted_round,
        initiative=initiatives["3.2"],
        old_rank=8,
        new_rank=7,
        justification="Fördermittel des Landes laufen Ende des Jahres aus; die Beschaffung muss vorher beginnen.",
        changed_on=t.d(-80),
        changed_by=users["strategie@musterstadt.example"],
        list_version=second,
    )

    candidates = ["2.1", "1.1", "2.2", "4.2", "1.2"]
    open_round = t.make(
        PriorityRound,
        title=f"Prioritätenliste {t.today.year + 1}",
        year=t.today.year + 1,
        description="Die Fachbereiche und der Hauptausschuss geben ihre Rangfolge ab.",
        ballot_mode=BallotMode.RANK,
        method=AggregationMethod.SCHULZE,
        status=RoundStatus.OPEN,
        candidates=[initiatives[n] for n in candidates],
    )
    ballots = {
        "FB 3": (["2.1", "2.2", "1.1", "1.2", "4.2"], "fb-leitung@musterstadt.example"),
        "FB 4": (["1.1", "1.2", "2.1", "4.2", "2.2"], "fb-leitung@musterstadt.example"),
    }
    for unit_code in ("FB 3", "FB 4", "FB 1"):
        participant = t.make(RoundParticipant, round=open_round, unit=units[unit_code])
        if unit_code not in ballots:
            continue  # FB 1 has not voted yet: the round shows a missing ballot
        order, email = ballots[unit_code]
        ballot = t.make(
            Ballot,
            round=open_round,
            participant=participant,
            submitted_by=users[email],
            submitted_at=_aware(t.d(-3)),
            comment="Abgestimmt in der Fachbereichsrunde.",
        )
        for rank, number in enumerate(order, 1):
            t.make(BallotEntry, ballot=ballot, initiative=initiatives[number], rank=rank)
    t.make(RoundParticipant, round=open_round, body=bodies["haupt"])


def _feedback_musterstadt(
    t: _Tenant,
    *,
    units: dict[str, OrganisationalUnit],
    leitlinien_doc: GuidelineDocument,
    leitlinien: list[Statement],
    goal_indicator: Indicator,
    pulse_indicator: Indicator,
) -> tuple[list[Service], list[Location]]:
    """Services, Bürgeramt locations, a citizen survey with an open and a closed wave, a pulse."""
    services = [
        t.make(
            Service,
            name="Personalausweis beantragen",
            leika_key="99999001001000",
            unit=units["FB 4"],
        ),
        t.make(Service, name="Wohnsitz anmelden", leika_key="99999001002000", unit=units["FB 4"]),
        t.make(
            Service,
            name="Führungszeugnis beantragen",
            leika_key="99999001003000",
            unit=units["FB 4"],
        ),
        t.make(Service, name="Bewohnerparkausweis ausstellen", leika_key="", unit=units["FB 6"]),
    ]
    locations = [
        t.make(Location, name=name) for name in ("Bürgeramt Nord", "Bürgeramt Ost", "Bürgeramt Süd")
    ]

    citizen = t.make(
        Survey,
        title="Wie zufrieden waren Sie mit Ihrem Besuch im Bürgeramt?",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.OPEN,
        intro="Ihre Antworten sind anonym. Die Befragung dauert etwa eine Minute.",
        service=services[0],
        opens_on=t.d(-200),
        closes_on=t.d(60),
        min_group_size=5,
        locations=locations,
    )
    overall = t.make(
        Question,
        survey=citizen,
        order=0,
        text="Wie zufrieden sind Sie insgesamt mit Ihrem Besuch?",
        kind=QuestionKind.SCALE_5,
        low_label="gar nicht zufrieden",
        high_label="sehr zufrieden",
        required=True,
        core_key="gesamtzufriedenheit",
    )
    solved = t.make(
        Question,
        survey=citizen,
        order=1,
        text="Wurde Ihr Anliegen erledigt?",
        kind=QuestionKind.YES_NO,
        core_key="anliegen-erledigt",
    )
    waited = t.make(
        Question,
        survey=citizen,
        order=2,
        text="Wie lange haben Sie gewartet?",
        kind=QuestionKind.SINGLE,
        choices=["unter 10 Minuten", "10 bis 30 Minuten", "über 30 Minuten"],
    )
    wish = t.make(
        Question,
        survey=citizen,
        order=3,
        text="Was können wir besser machen?",
        kind=QuestionKind.TEXT,
    )

    # The first wave is closed and purged: only its counts remain, as after the retention period.
    closed_wave = t.make(
        Wave,
        survey=citizen,
        label="Welle 1",
        status=WaveStatus.CLOSED,
        opened_on=t.d(-200),
        closed_on=t.d(-110),
        response_count=36,
        raw_purged_on=t.d(-20),
    )
    for location, counts in zip(
        locations, ([1, 1, 3, 4, 3], [0, 2, 2, 4, 4], [1, 2, 3, 3, 3]), strict=True
    ):
        t.make(
            AnswerAggregate, wave=closed_wave, question=None, location=location, count=sum(counts)
        )
        for value, count in enumerate(counts, 1):
            t.make(
                AnswerAggregate,
                wave=closed_wave,
                question=overall,
                location=location,
                value=value,
                count=count,
            )

    open_wave = t.make(
        Wave, survey=citizen, label="Welle 2", status=WaveStatus.OPEN, opened_on=t.d(-30)
    )
    # Fixed answers instead of random ones, so the demo shows the same results every time.
    answers = [
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
    for day, (location, score, yes, wait, text) in enumerate(answers):
        response = t.make(
            Response, wave=open_wave, location=locations[location], submitted_on=t.d(-28 + 2 * day)
        )
        t.make(Answer, response=response, question=overall, value=score)
        t.make(Answer, response=response, question=solved, value=yes)
        t.make(Answer, response=response, question=waited, value=wait)
        if text:
            t.make(Answer, response=response, question=wish, text=text)
    open_wave.response_count = len(answers)
    open_wave.save(update_fields=["response_count"])
    t.make(
        SurveyIndicatorBinding,
        indicator=goal_indicator,
        survey=citizen,
        question=overall,
        measure=IndicatorMeasure.MEAN,
    )

    t.make(
        Survey,
        title="Zufriedenheit Wohnsitzanmeldung (Entwurf)",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.DRAFT,
        service=services[1],
        opens_on=t.d(30),
        closes_on=t.d(120),
        locations=locations[:1],
    )

    pulse = t.make(
        Survey,
        title="Leitlinien-Puls: Wie leben wir unsere Zusammenarbeit?",
        kind=SurveyKind.STAFF_PULSE,
        status=SurveyStatus.OPEN,
        intro="Bitte schätzen Sie ein, wie gut wir die Leitlinien in Ihrem Team leben.",
        guideline=leitlinien_doc,
        opens_on=t.d(-7),
        closes_on=t.d(21),
        min_group_size=7,
        requires_code=True,
        units=[units["FB 3"], units["FB 4"]],
    )
    pulse_questions = [
        t.make(
            Question,
            survey=pulse,
            order=i,
            text=f"„{statement.text}“ – so erlebe ich es in meinem Team.",
            kind=QuestionKind.SCALE_5,
            low_label="trifft nicht zu",
            high_label="trifft voll zu",
            statement=statement,
            core_key=f"leitlinie-{i + 1}",
        )
        for i, statement in enumerate(s for s in leitlinien if s.kind == StatementKind.ICH)
    ]
    pulse_wave = t.make(
        Wave, survey=pulse, label=f"{_quarter(t.today)}", status=WaveStatus.OPEN, opened_on=t.d(-7)
    )
    # Stored as hashes only; these demo codes have no known plain text and cannot be redeemed.
    for n in range(10):
        t.make(
            SurveyCode,
            wave=pulse_wave,
            unit=units["FB 4"],
            code_hash=hashlib.sha256(f"leitwerk-demo-code-{n}".encode()).hexdigest(),
            used=n < 8,
            issued_on=t.d(-7),
        )
    for n in range(8):
        response = t.make(
            Response, wave=pulse_wave, unit=units["FB 4"], submitted_on=t.d(-6 + n % 5)
        )
        for i, question in enumerate(pulse_questions):
            t.make(Answer, response=response, question=question, value=3 + (n + i) % 3)
    pulse_wave.response_count = 8
    pulse_wave.save(update_fields=["response_count"])
    # FB 4 (8 answers, above k = 7) talked about its lowest-rated statement and agreed a step.
    lowest = min(
        range(len(pulse_questions)),
        key=lambda i: sum(3 + (n + i) % 3 for n in range(8)),
    )
    t.make(
        DiscussionItem,
        wave=pulse_wave,
        unit=units["FB 4"],
        question=pulse_questions[lowest],
        statement_text=[s for s in leitlinien if s.kind == StatementKind.ICH][lowest].text[:500],
        mean=(Decimal(sum(3 + (n + lowest) % 3 for n in range(8))) / 8).quantize(Decimal("0.01")),
        agreed_action="Jede Teamsitzung beginnt mit fünf Minuten für offene Punkte.",
    )
    t.make(
        SurveyIndicatorBinding,
        indicator=pulse_indicator,
        survey=pulse,
        measure=IndicatorMeasure.TOP_BOX,
    )
    return services, locations


def _build_musterstadt(
    m: Municipality, today: dt.date, users: dict[str, User], peers: list[Municipality]
) -> dict[str, Any]:
    t = _Tenant(m, today)
    units = t.units(
        [
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
    )
    t.make(
        OrganisationalUnit,
        name="Team Bürgeramt Nord",
        code="FB 4.1",
        kind=UnitKind.TEAM,
        parent=units["FB 4"],
    )
    rat = t.make(Body, name="Rat der Stadt Musterstadt", kind=BodyKind.RAT)
    haupt = t.make(Body, name="Hauptausschuss", kind=BodyKind.AUSSCHUSS)
    vv = t.make(Body, name="Verwaltungsvorstand", kind=BodyKind.VERWALTUNGSVORSTAND)

    _memberships(
        t,
        users,
        "musterstadt.example",
        strategy_unit=units["STS"],
        editor_unit=units["FB 4"],
        council=rat,
        council_email="rat@musterstadt.example",
    )
    # Sign-in through the Stadtverwaltung's Keycloak, switched off: the demo has no Keycloak.
    t.make(
        IdentityProvider,
        slug="musterstadt",
        name="Stadtverwaltung Musterstadt (Keycloak)",
        issuer="http://localhost:8080/realms/musterstadt",
        client_id="leitwerk",
        secret_env="LEITWERK_OIDC_SECRET_MUSTERSTADT",
        scopes="openid profile email",
        groups_claim="groups",
        group_roles={
            "leitwerk-strategie": Role.STRATEGY.value,
            "leitwerk-lesen": Role.VIEWER.value,
        },
        email_domains="musterstadt.example",
        enabled=False,
    )

    _, leitbild = t.guideline(
        title="Leitbild der Stadtverwaltung Musterstadt",
        kind=GuidelineKind.LEITBILD,
        preamble="Wir sind eine moderne Verwaltung, die für die Menschen in Musterstadt arbeitet. "
        "Dieses Leitbild sagt, woran man uns messen kann.",
        closing="Der Rat hat dieses Leitbild beschlossen. Wir prüfen jedes Jahr, ob wir es leben.",
        sections=LEITBILD_SECTIONS,
        version_label="Fassung 2025",
        valid_from=t.d(-400),
    )
    leitlinien_doc, leitlinien = t.guideline(
        title="Leitlinien unserer Zusammenarbeit",
        kind=GuidelineKind.LEITLINIEN,
        preamble="So wollen wir in der Stadtverwaltung Musterstadt miteinander arbeiten.",
        sections=LEITLINIEN_SECTIONS,
        version_label="Fassung 1",
        valid_from=t.d(-300),
    )
    statements = leitbild + leitlinien

    fields_spec = [
        ("Z1", "Service und Erreichbarkeit", [("Z1.1", "Termine ohne Wartezeit", [0, 9]),
                                               ("Z1.2", "Verständliche Sprache", [6, 7])]),
        ("Z2", "Digitale Verwaltung", [("Z2.1", "Leistungen online anbieten", [9, 3]),
                                        ("Z2.2", "Offene Daten", [7])]),
        ("Z3", "Klimaneutrale Verwaltung", [("Z3.1", "Energieverbrauch senken", [4, 5])]),
        ("Z4", "Gute Arbeit", [("Z4.1", "Führung und Einarbeitung stärken", [12, 13, 16])]),
    ]  # fmt: skip
    goal_fields = []
    goals: dict[str, Goal] = {}
    for order, (code, title, goal_specs) in enumerate(fields_spec):
        goal_field = t.make(GoalField, code=code, title=title, order=order)
        goal_fields.append(goal_field)
        for i, (goal_code, goal_title, statement_idx) in enumerate(goal_specs):
            goals[goal_code] = t.make(
                Goal,
                goal_field=goal_field,
                code=goal_code,
                title=goal_title,
                target_date=t.d(700),
                public=True,
                order=i,
                statements=[statements[k] for k in statement_idx],
            )
    goal_indicator = t.make(
        Indicator,
        goal=goals["Z1.1"],
        title="Kundenzufriedenheit im Bürgeramt",
        kind=IndicatorKind.SURVEY,
        unit="Punkte (1–5)",
        baseline=Decimal("3.6"),
        baseline_date=t.d(-290),
        target=Decimal("4.3"),
        target_date=t.d(700),
        public=True,
    )
    t.make(
        FrameworkConcept,
        title="Rahmenkonzept Moderne Verwaltung Musterstadt",
        description="Der Rahmen für unsere Aktionspläne der nächsten fünf Jahre.",
        valid_from=t.d(-300),
        valid_to=t.d(1500),
        goal_fields=goal_fields,
    )

    plan_start = dt.date(t.d(-300).year, 1, 1)
    plan = t.make(
        ActionPlan,
        title=f"Aktionsplan {plan_start.year}–{plan_start.year + 2}",
        description="Was wir in den nächsten drei Jahren umsetzen, um unser Leitbild zu leben.",
        period_start=plan_start,
        period_end=dt.date(plan_start.year + 2, 12, 31),
        status=PlanStatus.ADOPTED,
        adopted_on=t.d(-310),
        adopted_by=rat,
        adoption_reference="RAT/0815/2025",
        reporting_interval_days=90,
        public=True,
    )
    initiatives: dict[str, Initiative] = {}
    for order, (code, title, specs) in enumerate(_musterstadt_plan_specs()):
        field_row = t.make(ActionField, plan=plan, code=code, title=title, order=order)
        for i, spec in enumerate(specs):
            initiatives[spec["number"]] = t.initiative(
                field_row,
                spec,
                order=i,
                people=users,
                units=units,
                goals=goals,
                statements=statements,
            )
    t.make(
        Resolution,
        plan=plan,
        text="Wir melden jedes Quartal den Sachstand – auch wenn es hakt.",
        order=0,
    )
    t.make(
        Resolution,
        plan=plan,
        text="Wir beteiligen die Betroffenen, bevor wir entscheiden.",
        order=1,
    )
    t.make(
        Resolution,
        plan=plan,
        initiative=initiatives["1.1"],
        text="Wer nicht online buchen kann, bekommt weiter einen Termin am Telefon.",
        order=2,
    )

    obstacles = [
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
    units_by_obstacle = {"Digitalisierung": "FB 3", "Organisation": "FB 4", "Kommunikation": "FB 1"}
    for title, description, category, impact, frequency, linked, solutions in obstacles:
        obstacle = t.make(
            Obstacle,
            title=title,
            description=description,
            category=category,
            impact=impact,
            frequency=frequency,
            initiatives=[initiatives[n] for n in linked],
        )
        for solution_title, solution_text in solutions:
            t.make(
                SolutionConcept,
                obstacle=obstacle,
                title=solution_title,
                description=solution_text,
                initiatives=[initiatives[n] for n in linked],
            )
        # Two assessments per obstacle; the obstacle's own rating is roughly their mean.
        for unit_code, delta in (("STS", 0), (units_by_obstacle.get(category, "FB 1"), -1)):
            t.make(
                ObstacleRating,
                obstacle=obstacle,
                rated_by=users["strategie@musterstadt.example"],
                unit=units[unit_code],
                impact=max(1, impact + delta),
                frequency=frequency,
                comment="Einschätzung aus dem Workshop zu Hemmnissen.",
            )

    adopted_round = t.make(
        PriorityRound,
        title=f"Prioritätenliste {plan_start.year}",
        year=plan_start.year,
        status=RoundStatus.ADOPTED,
        adopted_on=t.d(-250),
        adopted_by=rat,
        decision_reference="RAT/0842/2025",
    )
    _priority_workflow(
        t,
        adopted_round=adopted_round,
        initiatives=initiatives,
        units=units,
        bodies={"rat": rat, "haupt": haupt, "vv": vv},
        users=users,
    )

    decisions = [
        ("1.1", DecisionKind.START, "Start der Online-Terminvergabe", "Lange Wartezeiten sind die häufigste Beschwerde. Online-Termine helfen schnell und kosten wenig.", -280, rat, "RAT/0816/2025", True),
        ("3.2", DecisionKind.RESCOPE, "Dienstfahrräder: zunächst nur Rathaus", "Der Haushalt erlaubt in diesem Jahr nur einen Standort. Die übrigen folgen nach Auswertung.", -45, haupt, "HA/0107/2025", True),
        ("4.3", DecisionKind.STOP, "Mitarbeitenden-App eingestellt", "Das Intranet bietet die gleichen Informationen. Eine eigene App würde jährlich 30.000 Euro kosten.", -150, vv, "", True),
        ("2.1", DecisionKind.BUDGET, "Mehrbedarf E-Akte", "Für die Schnittstelle zum Finanzverfahren sind 40.000 Euro zusätzlich nötig.", -10, vv, "", False),
        (None, DecisionKind.PRIORITY, "Prioritätenliste beschlossen", "Der Rat folgt dem Vorschlag der Verwaltung und setzt Bürgerservice und E-Akte an die Spitze.", -250, rat, "RAT/0842/2025", True),
    ]  # fmt: skip
    for number, kind, title, justification, day, body, reference, public in decisions:
        t.make(
            Decision,
            priority_round=adopted_round if kind == DecisionKind.PRIORITY else None,
            initiative=initiatives[number] if number else None,
            kind=kind,
            title=title,
            justification=justification,
            decided_on=t.d(day),
            body=body,
            reference=reference,
            public=public,
        )

    services, locations = _feedback_musterstadt(
        t,
        units=units,
        leitlinien_doc=leitlinien_doc,
        leitlinien=leitlinien,
        goal_indicator=goal_indicator,
        pulse_indicator=Indicator.objects.get(initiative=initiatives["4.1"]),
    )
    suggestions = [
        ("Anregung", "Bitte einen Termin auch am Samstagvormittag anbieten.", "FB 4", SuggestionStatus.NEW, 9, "", None, False),
        ("Beschwerde", "Ich habe auf meine E-Mail an das Bauamt seit Wochen keine Antwort.", "FB 6", SuggestionStatus.IN_PROGRESS, -4, "", None, False),
        ("Beschwerde", "Der Bescheid über die Hundesteuer war für mich nicht verständlich.", "FB 2", SuggestionStatus.ANSWERED, -20, "Danke für den Hinweis. Wir haben den Bescheid neu formuliert und in das Vorhaben „Bescheide in verständlicher Sprache“ aufgenommen.", -25, True),
        ("Anregung", "Mehr Fahrradbügel vor dem Bürgeramt Ost wären gut.", "FB 7", SuggestionStatus.NEW, 20, "", None, False),
    ]  # fmt: skip
    for i, (category, text, unit, status, due, answer, answered, public) in enumerate(suggestions):
        t.make(
            Suggestion,
            category=category,
            text=text,
            unit=units[unit],
            # The first two concern the Bürgeramt, so routing by service and location shows.
            service=services[0] if i == 0 else None,
            location=locations[0] if i == 0 else None,
            contact="m.beispiel@example.org" if i == 1 else "",
            received_on=t.d(due - 14),
            status=status,
            due_on=t.d(due),
            answer=answer,
            answered_on=t.d(answered) if answered is not None else None,
            answer_public=public,
        )
    # The daily job turns "answered in time" into this indicator's monthly values.
    answered_in_time = t.make(
        Indicator,
        initiative=initiatives["4.1"],
        title="Anteil fristgerecht beantworteter Anregungen und Beschwerden",
        kind=IndicatorKind.SURVEY,
        unit="%",
        target=Decimal("90"),
        target_date=t.d(365),
        direction=Direction.INCREASE,
        public=True,
        order=9,
    )
    t.make(SuggestionIndicatorBinding, indicator=answered_in_time)

    online = initiatives["1.1"]
    comment = t.make(
        Comment,
        initiative=online,
        author=users["rat@musterstadt.example"],
        text="Wie fallen die ersten Rückmeldungen der Bürgerinnen und Bürger zur Online-Buchung aus?",
        feedback_from=[users["projekt@musterstadt.example"]],
    )
    t.make(
        Comment,
        initiative=online,
        author=users["projekt@musterstadt.example"],
        text=f"Antwort auf „{comment.text[:40]}…“: Die Umfrage im Bürgerbüro läuft; "
        "bisher überwiegend positiv, Wunsch nach mehr Samstagsterminen.",
    )
    # One reminder already went out, so the log shows how "never twice" is recorded.
    t.make(
        ReminderLog,
        recipient=users["projekt@musterstadt.example"],
        initiative=online,
        due_on=t.d(-27),
        remind_on=t.d(-30),
        sent_at=_aware(t.d(-30)),
    )
    attachment = Attachment(
        municipality=m,
        initiative=online,
        original_name="Projektsteckbrief-Online-Terminvergabe.txt",
        content_type="text/plain",
        size=0,
        uploaded_by=users["projekt@musterstadt.example"],
    )
    brief = (
        "Projektsteckbrief Online-Terminvergabe\n"
        "Ziel: Termine im Bürgerbüro rund um die Uhr online buchen.\n"
    ).encode()
    attachment.size = len(brief)
    attachment.file.save("projektsteckbrief.txt", ContentFile(brief), save=False)
    attachment.full_clean()
    attachment.save()

    t.make(
        ParticipationOpportunity,
        title="Bürgerwerkstatt: Termine im Bürgerbüro",
        description="Wir zeigen die neue Online-Terminvergabe und hören, was Ihnen noch fehlt.",
        starts_at=dt.datetime.combine(t.d(21), dt.time(16, 0), tzinfo=dt.UTC),
        ends_at=dt.datetime.combine(t.d(21), dt.time(18, 0), tzinfo=dt.UTC),
        location="Rathaus, Sitzungssaal (barrierefrei, Eingang Marktplatz)",
        how_to_take_part="Kommen Sie einfach vorbei. Eine Anmeldung ist nicht nötig.",
        public=True,
        initiative=online,
    )

    t.make(
        Report,
        title=f"Sachstandsbericht an den Hauptausschuss {_quarter(t.d(-30))}",
        plan=plan,
        format=ReportFormat.PDF,
        as_of=t.d(-30),
        created_by=users["strategie@musterstadt.example"],
    )

    # Beispielhausen and Probstadt carry a little data, so the network has something to compare.
    for peer, value in zip(peers, ("48", "63"), strict=True):
        p = _Tenant(peer, today)
        peer_plan = p.make(
            ActionPlan,
            title="Aktionsplan Verwaltungsmodernisierung",
            period_start=plan_start,
            period_end=dt.date(plan_start.year + 3, 12, 31),
            status=PlanStatus.ADOPTED,
            public=True,
        )
        peer_field = p.make(ActionField, plan=peer_plan, code="1", title="Bürgerservice")
        peer_unit = p.make(OrganisationalUnit, name="Bürgerbüro", code="BB")
        p.initiative(
            peer_field,
            {
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
                        "values": [(-30, value)],
                    }
                ],
                "reports": [(-30, Health.ON_TRACK, "Läuft.", "")],
            },
            order=0,
            people={},
            units={"BB": peer_unit},
            goals={},
            statements=[],
        )
    return {"plan": plan}


# --------------------------------------------------------------------------- Amt Musterland

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


def _build_amt(
    amt: Municipality, today: dt.date, users: dict[str, User], members: dict[str, Municipality]
) -> dict[str, Any]:
    t = _Tenant(amt, today)
    units = t.units(
        [
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
    )
    ausschuss = t.make(Body, name="Amtsausschuss", kind=BodyKind.AMTSAUSSCHUSS)
    finanzausschuss = t.make(Body, name="Finanzausschuss des Amtes", kind=BodyKind.AUSSCHUSS)
    t.make(Body, name="Gemeindevertretung Seedorf", kind=BodyKind.RAT)

    _memberships(
        t,
        users,
        "amt-musterland.example",
        strategy_unit=units["LVB"],
        editor_unit=units["FB 4"],
        council=ausschuss,
        council_email="ausschuss@amt-musterland.example",
    )

    _, grundsaetze = t.guideline(
        title="Grundsätze der Zusammenarbeit im Amt Musterland",
        kind=GuidelineKind.GRUNDSAETZE,
        preamble="Das Amt arbeitet für drei Gemeinden. Diese Grundsätze gelten für alle.",
        sections=GRUNDSAETZE_SECTIONS,
        version_label="Beschluss des Amtsausschusses",
        valid_from=t.d(-500),
    )
    goal_field = t.make(GoalField, code="G1", title="Gleichwertige Lebensverhältnisse", order=0)
    second_field = t.make(GoalField, code="G2", title="Schlanke Amtsverwaltung", order=1)
    goals = {
        "G1.1": t.make(
            Goal,
            goal_field=goal_field,
            code="G1.1",
            title="Alle Gemeinden profitieren von gemeinsamen Leistungen",
            statements=[grundsaetze[2], grundsaetze[3]],
            public=True,
        ),
        "G2.1": t.make(
            Goal,
            goal_field=second_field,
            code="G2.1",
            title="Sitzungen digital und gut vorbereitet",
            statements=[grundsaetze[5]],
            public=True,
        ),
    }
    t.make(
        FrameworkConcept,
        title="Rahmenkonzept Amt Musterland 2030",
        valid_from=t.d(-400),
        valid_to=t.d(1400),
        goal_fields=[goal_field, second_field],
    )
    plan_start = dt.date(t.d(-300).year, 1, 1)
    plan = t.make(
        ActionPlan,
        title=f"Aktionsplan Amt Musterland {plan_start.year}–{plan_start.year + 1}",
        period_start=plan_start,
        period_end=dt.date(plan_start.year + 1, 12, 31),
        status=PlanStatus.ADOPTED,
        adopted_on=t.d(-305),
        adopted_by=ausschuss,
        adoption_reference="AA/12/2025",
        reporting_interval_days=120,
        public=True,
        source_name="aktionsplan-amt-musterland.xlsx",
    )
    specs = [
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
    initiatives = {}
    for order, (code, title, items) in enumerate(specs):
        field_row = t.make(ActionField, plan=plan, code=code, title=title, order=order)
        for i, spec in enumerate(items):
            initiatives[spec["number"]] = t.initiative(
                field_row,
                spec,
                order=i,
                people=users,
                units=units,
                goals=goals,
                statements=grundsaetze,
                members=members,
            )
    t.make(
        Resolution,
        plan=plan,
        text="Jede Gemeinde wird vor einer Entscheidung angehört, die sie betrifft.",
    )
    obstacle = t.make(
        Obstacle,
        title="Kleine Gemeinden können Investitionen nicht allein stemmen",
        category="Finanzen",
        impact=4,
        frequency=3,
        initiatives=[initiatives["1.1"], initiatives["2.2"]],
    )
    t.make(
        SolutionConcept,
        obstacle=obstacle,
        title="Gemeinsame Beschaffung mit Ausgleich",
        description="Kosten werden gemeinsam getragen; wer weniger profitiert, zahlt weniger.",
    )
    # Adopted the way the services do it: ballots, the Borda result stored as the list,
    # version 1 and a decision with its reference.
    adopted_order = ["2.2", "1.1", "2.1", "1.2"]
    priority_round = t.make(
        PriorityRound,
        title=f"Prioritäten des Amtsausschusses {plan_start.year}",
        year=plan_start.year,
        description="Amtsausschuss, Finanzausschuss und Bauamt geben ihre Rangfolge ab.",
        ballot_mode=BallotMode.RANK,
        candidates=[initiatives[n] for n in adopted_order],
    )
    ballots = [
        ({"body": ausschuss}, ["2.2", "1.1", "2.1", "1.2"], -320),
        ({"body": finanzausschuss}, ["1.1", "2.2", "2.1", "1.2"], -318),
        ({"unit": units["FB 4"]}, ["2.2", "2.1", "1.1", "1.2"], -316),
    ]
    for who, order, day in ballots:
        participant = t.make(RoundParticipant, round=priority_round, **who)
        ballot = t.make(
            Ballot,
            round=priority_round,
            participant=participant,
            submitted_by=users["strategie@amt-musterland.example"],
            submitted_at=_aware(t.d(day)),
        )
        for rank, number in enumerate(order, 1):
            t.make(BallotEntry, ballot=ballot, initiative=initiatives[number], rank=rank)
    result = round_results(priority_round)[AggregationMethod.BORDA]
    for placed in result.order:
        t.make(
            PriorityItem,
            round=priority_round,
            initiative_id=placed.candidate,
            rank=placed.position,
            shared_rank=placed.rank,
            score=Decimal(placed.score.numerator) / Decimal(placed.score.denominator),
            spread=Decimal(str(placed.disagreement.spread)),
        )
    assert [i.initiative.number for i in priority_round.items.order_by("rank")] == adopted_order
    priority_round.method = AggregationMethod.BORDA
    priority_round.aggregated_at = _aware(t.d(-310))
    priority_round.status = RoundStatus.ADOPTED
    priority_round.adopted_on = t.d(-300)
    priority_round.adopted_by = ausschuss
    priority_round.decision_reference = "AA/14/2025"
    priority_round.save()
    t.make(
        ListVersion,
        round=priority_round,
        number=1,
        entries=[
            {"rank": rank, "initiative": initiatives[n].pk, "title": str(initiatives[n])}
            for rank, n in enumerate(adopted_order, 1)
        ],
        note="Beschluss",
    )
    t.make(
        Decision,
        kind=DecisionKind.PRIORITY,
        title=f"Prioritätenliste „{priority_round.title}“ beschlossen",
        justification="Der Amtsausschuss hat die Prioritätenliste beschlossen, die aus den "
        "Stimmzetteln von 3 Stellen nach der Borda-Zählung zusammengeführt wurde.",
        decided_on=t.d(-300),
        body=ausschuss,
        reference="AA/14/2025",
        priority_round=priority_round,
        public=True,
    )
    # Amt mode. Who pays: the digital sessions by the population key of all three members,
    # the Kita registration by the population of the two members it serves. The Bauhof's key is
    # still being negotiated (see its idea), and the Amt carries Lindenau's broadband share.
    cost_shares = {
        "1.2": (("birkenfelde", "69"), ("seedorf", "31")),
        "2.1": (("seedorf", "28"), ("lindenau", "11"), ("birkenfelde", "61")),
    }
    for number, shares in cost_shares.items():
        for member, percent in shares:
            t.make(
                CostShare,
                initiative=initiatives[number],
                member=members[member],
                share_percent=Decimal(percent),
            )
    # Birkenfelde, the largest member, gains least from the joint Vorhaben: the balance view
    # flags it, the Amt decides a compensation before Birkenfelde's council signs off.
    t.make(BalanceSettings, threshold_points=Decimal("10.0"))
    t.make(
        CompensationMeasure,
        member=members["birkenfelde"],
        title="Amt übernimmt die Planung der neuen Dorfmitte Birkenfelde",
        description="Birkenfelde hat die meisten Einwohner, profitiert aber am wenigsten von den "
        "gemeinsamen Vorhaben: Bauhof und Breitband kommen ihm nicht zugute. Nach Grundsatz 3 "
        "gleicht das Amt das aus.",
        amount_eur=Decimal("60000"),
        decided_on=t.d(-290),
    )
    for member, days_ago, reference, note in (
        ("seedorf", 280, "GV-SD/04/2025", ""),
        ("birkenfelde", 270, "", "Zustimmung mit Blick auf den beschlossenen Ausgleich."),
    ):
        t.make(
            MemberSignOff,
            round=priority_round,
            member=members[member],
            council=f"Gemeindevertretung {members[member].name}",
            signed_on=t.d(-days_ago),
            reference=reference,
            note=note,
        )
    t.make(
        Decision,
        initiative=initiatives["2.2"],
        kind=DecisionKind.START,
        title="Breitband Lindenau-Heide mit Amtsumlage",
        justification="Nach Grundsatz 3 trägt das Amt den Eigenanteil, den Lindenau allein nicht "
        "aufbringen kann.",
        decided_on=t.d(-200),
        body=ausschuss,
        reference="AA/17/2025",
        public=True,
    )
    service = t.make(Service, name="Hund anmelden", leika_key="99999002001000")
    t.make(Location, name="Amtsverwaltung Seedorf")
    t.make(
        Survey,
        title="Wie zufrieden waren Sie mit der Amtsverwaltung?",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.DRAFT,
        service=service,
        opens_on=t.d(14),
        closes_on=t.d(90),
    )
    t.make(
        Suggestion,
        category="Anregung",
        text="Sitzungstermine bitte früher im Amtsblatt veröffentlichen.",
        unit=units["FB 1"],
        due_on=t.d(12),
    )
    t.make(
        Report,
        title=f"Bericht an den Amtsausschuss {_quarter(t.d(-60))}",
        plan=plan,
        format=ReportFormat.DOCX,
        as_of=t.d(-60),
        created_by=users["strategie@amt-musterland.example"],
    )
    # The Amt's plan came in as a spreadsheet; the run row shows how an import is recorded.
    t.make(
        ImportRun,
        kind="plan",
        source_name="aktionsplan-amt-musterland.xlsx",
        source_hash=hashlib.sha256(b"leitwerk-demo-amt-musterland").hexdigest(),
        result={"demo": True, "action_fields": 2, "initiatives": 4},
        created_by=users["strategie@amt-musterland.example"],
    )
    return {"plan": plan}


# --------------------------------------------------------------------------- network


def _network_demo(
    network: Network,
    municipalities: dict[str, Municipality],
    users: dict[str, User],
    today: dt.date,
) -> None:
    """Shared Vorhaben of a dozen further municipalities, benchmark values and one transfer.

    The peers come from the network corpus (leitwerk/network/tests/fixtures), the same texts
    the suggestion ranking is tested on, so the demo shows suggestions that hold up.
    """
    from leitwerk.network import corpus
    from leitwerk.network.models import BenchmarkDefinition
    from leitwerk.network.services import (
        benchmark_value_submit,
        indicator_share,
        initiative_share,
        profile_draft,
        transfer_record,
        transfer_request_create,
    )

    _net, by_key = corpus.load(network=network)
    musterstadt = municipalities["musterstadt"]
    actor = users["strategie@musterstadt.example"]
    own = Initiative.objects.for_municipality(musterstadt).order_by("pk").first()
    if own is not None:
        initiative_share(
            initiative=own, actor=actor, networks=[network], profile=profile_draft(own)
        )
    definition, _created = BenchmarkDefinition.objects.get_or_create(
        slug="wartezeit-buergeramt",
        defaults={"title": "Wartezeit Bürgeramt", "unit": "Minuten", "direction": "lower"},
    )
    period = str(today.year - 1)
    participants = [
        (musterstadt, "21", True),
        (municipalities["beispielhausen"], "34", True),
        (municipalities["probstadt"], "17", False),
        *[
            (by_key[key].municipality, value, False)
            for key, value in (
                ("nordhafen-termine", "12"),
                ("westerfeld-eakte", "28"),
                ("auenfurt-waerme", "19"),
                ("bergstetten-leerstand", "25"),
            )
        ],
    ]
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
    source = by_key["nordhafen-termine"].shared_profile
    request = transfer_request_create(
        municipality=musterstadt,
        actor=actor,
        shared_initiative=source,
        message="Wie haben Sie die SMS-Erinnerung eingeführt, und wie viele Termine fallen noch aus?",
        contact_role="Stabsstelle Strategie",
        initiative=own,
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


# --------------------------------------------------------------------------- entry point


def demo_already_loaded() -> bool:
    return (
        Municipality.objects.filter(slug__in=DEMO_SLUGS).exists()
        or Network.objects.filter(slug=NETWORK_SLUG).exists()
        or User.objects.filter(email__in=[login.email for login in DEMO_LOGINS]).exists()
    )


@transaction.atomic
def demo_load(*, today: dt.date | None = None) -> DemoSummary:
    """Write the whole demo, or nothing: raises DemoAlreadyLoaded if any part exists."""
    today = today or dt.date.today()  # noqa: DTZ011 - demo dates follow the local calendar
    if demo_already_loaded():
        raise DemoAlreadyLoaded
    municipalities = _municipalities()
    users = _users()
    members = {slug: municipalities[slug] for slug in ("seedorf", "lindenau", "birkenfelde")}
    _build_musterstadt(
        municipalities["musterstadt"],
        today,
        users,
        peers=[municipalities["beispielhausen"], municipalities["probstadt"]],
    )
    _build_amt(municipalities["amt-musterland"], today, users, members)

    network = _make(
        Network,
        name="Netzwerk Kommunale Steuerung",
        slug=NETWORK_SLUG,
        description="Kommunen, die wirkungsorientiert steuern, tauschen Erfahrungen aus.",
        public=True,
    )
    network.members.set(
        [
            municipalities[slug]
            for slug in ("musterstadt", "amt-musterland", "beispielhausen", "probstadt")
        ]
    )
    _network_demo(network, municipalities, users, today)
    # One API token (leitwerk/api): its plaintext is not kept; `leitwerk token create` makes
    # a usable one (docs/API.md).
    from leitwerk.api.services import api_token_create

    api_token_create(
        user=users["strategie@musterstadt.example"],
        municipality=municipalities["musterstadt"],
        name="Demo: Fachverfahren Statistik",
    )
    for slug in ("musterstadt", "amt-musterland"):
        audit(
            actor=None,
            action="demo.loaded",
            municipality=municipalities[slug],
            data={"today": today.isoformat()},
        )
    return DemoSummary(
        municipalities=[municipalities[slug].name for slug in ("musterstadt", "amt-musterland")],
        logins=[login.email for login in DEMO_LOGINS],
    )
