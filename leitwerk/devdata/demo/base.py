"""Shared pieces of the demo: logins, the row helpers and the municipalities themselves.

Every row goes through `make()` (full_clean() first), tenant rows through `Tenant`; the story
modules (musterstadt, amt, network) only say what to write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models

from leitwerk.accounts.models import User
from leitwerk.core.periods import period_label
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import (
    GuidelineDocument,
    GuidelineSection,
    GuidelineStatus,
    Statement,
)
from leitwerk.municipalities.models import (
    Body,
    Membership,
    Municipality,
    MunicipalityKind,
    OrganisationalUnit,
    Role,
    UnitKind,
)
from leitwerk.network.models import RegistryMunicipality
from leitwerk.plans.models import (
    ActionField,
    Direction,
    Indicator,
    Initiative,
    Measurement,
    MeasurementSource,
    Milestone,
    StatusReport,
    SubInitiative,
    TransferCity,
)

from ..totp import DEMO_TOTP_SECRET

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


def make(model: type[models.Model], **values: Any) -> Any:
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
        return bool(model._meta.get_field(name).many_to_many)
    except Exception:  # noqa: BLE001 - unknown names are left to the model to reject
        return False


def aware(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def quarter(day: dt.date) -> str:
    return period_label(day, 90)


class Tenant:
    """Writes rows for one municipality; `d(n)` is `today` shifted by n days."""

    def __init__(self, municipality: Municipality, today: dt.date):
        self.m = municipality
        self.today = today

    def d(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)

    def make(self, model: type[models.Model], **values: Any) -> Any:
        return make(model, municipality=self.m, **values)

    def units(self, tree: Sequence[tuple[str, str, str, Sequence[tuple[str, str, int]]]]) -> dict:
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
                    # About 200 working days a head: the team size that bounds survey codes.
                    headcount=round(capacity / 200),
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
        """One Vorhaben from its spec (see musterstadt_data.PLAN) with everything under it."""
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
        self._ideas_and_milestones(initiative, spec)
        author = people.get(spec.get("author", ""))
        for i, ind in enumerate(spec.get("indicators", [])):
            self._indicator(initiative, spec, ind, order=i, author=author)
        self._reports(initiative, spec.get("reports", []), author=author)
        for i, (name, ags) in enumerate(spec.get("transfer", [])):
            self.make(TransferCity, initiative=initiative, name=name, ags=ags, order=i)
        return initiative

    def _ideas_and_milestones(self, initiative: Initiative, spec: dict[str, Any]) -> None:
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

    def _indicator(
        self,
        initiative: Initiative,
        spec: dict[str, Any],
        ind: dict[str, Any],
        *,
        order: int,
        author: User | None,
    ) -> None:
        """An indicator with its measured values; baseline and target dates follow the Vorhaben."""
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
            order=order,
        )
        for day, value in ind.get("values", []):
            self.make(
                Measurement,
                indicator=indicator,
                measured_on=self.d(day),
                period_label=period_label(
                    self.d(day), initiative.action_field.plan.reporting_interval_days
                ),
                value=Decimal(value),
                source=MeasurementSource.MANUAL,
                recorded_by=author,
            )

    def _reports(
        self, initiative: Initiative, reports: list[tuple], *, author: User | None
    ) -> None:
        latest = None
        for day, health, text, note in reports:
            reported_on = self.d(day)
            self.make(
                StatusReport,
                initiative=initiative,
                period_label=period_label(
                    reported_on, initiative.action_field.plan.reporting_interval_days
                ),
                reported_on=reported_on,
                health=health,
                text=text,
                off_track_note=note,
                author=author,
            )
            latest = max(latest or reported_on, reported_on)
        if latest is not None:
            # The controlling reads this denormalised field for staleness; keep it truthful.
            initiative.last_report_at = aware(latest)
            initiative.save(update_fields=["last_report_at"])


# First and last name of every demo login but the superuser.
USER_NAMES = {
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


def create_users() -> dict[str, User]:
    users = {}
    for login in DEMO_LOGINS:
        if login.role == "superuser":
            users[login.email] = User.objects.create_superuser(
                login.email, DEMO_PASSWORD, first_name="Super", last_name="User"
            )
        else:
            first, last = USER_NAMES[login.email]
            users[login.email] = User.objects.create_user(
                login.email, DEMO_PASSWORD, first_name=first, last_name=last
            )
        if login.role in ("superuser", "admin"):
            demo_totp(users[login.email])
    return users


def demo_totp(user: User) -> None:
    from allauth.mfa.models import Authenticator

    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": DEMO_TOTP_SECRET}}
    )


MUNICIPALITIES = [
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


def create_municipalities() -> dict[str, Municipality]:
    result: dict[str, Municipality] = {}
    for slug, name, kind, ags, population, state, parent in MUNICIPALITIES:
        result[slug] = make(
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


def memberships(
    t: Tenant,
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
