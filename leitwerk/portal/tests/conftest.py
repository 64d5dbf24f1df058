"""A published world for Musterstadt, with internal canaries planted next to every public row.

Public rows carry "ÖFFENTLICH-…" markers the pages must show; every non-public row and every
internal field of a public row carries "KANARIE-intern-…", which must never reach a visitor.
Fremdstadt publishes everything with "KANARIE-fremd-…": public there, foreign here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.feedback.models import SurveyKind, SurveyStatus
from leitwerk.feedback.tests.factories import SuggestionFactory, SurveyFactory
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.guidelines.models import GuidelineStatus
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.municipalities.tests.factories import OrganisationalUnitFactory
from leitwerk.plans.models import PlanStatus
from leitwerk.plans.tests.factories import (
    ActionFieldFactory,
    ActionPlanFactory,
    IndicatorFactory,
    InitiativeFactory,
    MilestoneFactory,
    ResolutionFactory,
    SubInitiativeFactory,
    TransferCityFactory,
)
from leitwerk.portal.tests.factories import ParticipationOpportunityFactory
from leitwerk.priorities.tests.factories import DecisionFactory
from leitwerk.reports.models import ReportStatus
from leitwerk.reports.tests.factories import ReportFactory
from leitwerk.testing.portal import release_plans

TODAY = dt.date(2026, 5, 4)
CANARY = "kanarie-intern"
FOREIGN_CANARY = "kanarie-fremd"


@pytest.fixture
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@dataclass
class World:
    municipality: Any
    public_initiative: Any
    hidden_initiative: Any
    draft_plan_initiative: Any
    foreign_initiative: Any
    public_decision: Any
    internal_report: Any
    public_opportunity: Any


def _publish_world(municipality, *, marker: str, hidden: str | None) -> dict[str, Any]:
    """Public rows marked with `marker`; when `hidden` is given, internal rows marked with it."""
    unit = OrganisationalUnitFactory(municipality=municipality, name=f"Fachbereich {marker}-Bau")
    doc = GuidelineDocumentFactory(
        municipality=municipality,
        title=f"{marker}-Leitbild",
        preamble=f"{marker}-Präambel: Wir arbeiten für die Menschen.",
        status=GuidelineStatus.ADOPTED,
        valid_from=dt.date(2025, 1, 1),
        unrecognised=[f"{hidden}-unrecognised"] if hidden else [],
        source_name=f"{hidden}-quelle.pdf" if hidden else "",
    )
    section = GuidelineSectionFactory(document=doc, title=f"{marker}-Abschnitt")
    StatementFactory(
        section=section,
        text=f"{marker}-Aussage: Wir sind bürgernah.",
        review_note=f"{hidden}-review-note" if hidden else "",
    )
    field = GoalFieldFactory(municipality=municipality, title=f"{marker}-Zielfeld")
    goal = GoalFactory(goal_field=field, title=f"{marker}-Ziel", public=True)

    plan = ActionPlanFactory(municipality=municipality, title=f"{marker}-Aktionsplan", public=True)
    action_field = ActionFieldFactory(plan=plan, title=f"{marker}-Aktionsfeld")
    initiative = InitiativeFactory(
        action_field=action_field,
        title=f"{marker}-Vorhaben",
        objective=f"{marker}-Zielsetzung",
        public=True,
        lead_unit=unit,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 6, 30),
        responsible_text=[f"{hidden}-person"] if hidden else [],
        extra={"notiz": f"{hidden}-extra"} if hidden else {},
        needs_review=[f"{hidden}-needs-review"] if hidden else [],
    )
    initiative.goals.add(goal)
    MilestoneFactory(
        initiative=initiative,
        title=f"{marker}-Meilenstein-erreicht",
        due_date=dt.date(2026, 3, 31),
        done_on=dt.date(2026, 3, 20),
    )
    MilestoneFactory(
        initiative=initiative, title=f"{marker}-Meilenstein-offen", due_date=dt.date(2026, 9, 30)
    )
    indicator = IndicatorFactory(initiative=initiative, title=f"{marker}-Indikator", public=True)
    MeasurementFactory(
        indicator=indicator,
        value=30,
        measured_on=dt.date(2026, 3, 31),
        note=f"{hidden}-messnotiz" if hidden else "",
    )
    decision = DecisionFactory(
        initiative=initiative,
        title=f"{marker}-Entscheidung",
        justification=f"{marker}-Begründung",
        public=True,
    )
    SurveyFactory(
        municipality=municipality,
        title=f"{marker}-Umfrage",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.OPEN,
        opens_on=dt.date(2026, 5, 10),
        closes_on=dt.date(2026, 6, 30),
    )
    opportunity = ParticipationOpportunityFactory(
        municipality=municipality,
        initiative=initiative,
        title=f"{marker}-Bürgerwerkstatt",
        description=f"{marker}-Worum-es-geht",
        location=f"{marker}-Ort",
        how_to_take_part=f"{marker}-So-geht-es",
        public=True,
    )
    return {
        "initiative": initiative,
        "decision": decision,
        "plan": plan,
        "goal": goal,
        "opportunity": opportunity,
    }


def _plant_internal(municipality, public: dict[str, Any]) -> dict[str, Any]:
    c = CANARY
    initiative = public["initiative"]
    # Internal parts of a public Vorhaben.
    IndicatorFactory(initiative=initiative, title=f"{c}-indikator-nicht-oeffentlich", public=False)
    SubInitiativeFactory(initiative=initiative, text=f"{c}-umsetzungsidee")
    TransferCityFactory(initiative=initiative, name="Partnerstadt Nord")
    ResolutionFactory(plan=public["plan"], initiative=initiative, text=f"{c}-vorsatz")
    StatusReportFactory(initiative=initiative, text=f"{c}-sachstand", off_track_note=f"{c}-warum")
    person = UserFactory(email=f"{c}-person@musterstadt.test", first_name="Kanarie")
    initiative.responsible_people.add(person)
    initiative.budget_eur = Decimal("987654.32")
    initiative.save()

    # Drafts and archived versions of the Leitbild.
    for status in (GuidelineStatus.DRAFT, GuidelineStatus.ARCHIVED):
        doc = GuidelineDocumentFactory(
            municipality=municipality,
            title=f"{c}-leitbild-{status}",
            preamble=f"{c}-praeambel-{status}",
            status=status,
            valid_from=dt.date(2026, 4, 1),
        )
        section = GuidelineSectionFactory(document=doc, title=f"{c}-abschnitt-{status}")
        StatementFactory(section=section, text=f"{c}-aussage-{status}")

    # A goal that is not public, in its own field.
    hidden_field = GoalFieldFactory(municipality=municipality, title=f"{c}-zielfeld")
    hidden_goal = GoalFactory(
        goal_field=hidden_field, title=f"{c}-ziel", description=f"{c}-zielbeschreibung"
    )
    initiative.goals.add(hidden_goal)

    # A non-public Vorhaben inside the public plan, with everything a Vorhaben can have.
    hidden = InitiativeFactory(
        action_field=initiative.action_field,
        title=f"{c}-vorhaben",
        objective=f"{c}-zielsetzung",
        description=f"{c}-beschreibung",
        public=False,
        start_date=dt.date(2026, 7, 1),
        end_date=dt.date(2026, 12, 31),
    )
    MilestoneFactory(
        initiative=hidden, title=f"{c}-meilenstein-offen", due_date=dt.date(2026, 8, 1)
    )
    MilestoneFactory(
        initiative=hidden,
        title=f"{c}-meilenstein-erreicht",
        due_date=dt.date(2026, 3, 1),
        done_on=dt.date(2026, 3, 1),
    )
    IndicatorFactory(initiative=hidden, title=f"{c}-indikator-verstecktes-vorhaben", public=True)
    DecisionFactory(
        initiative=hidden,
        title=f"{c}-entscheidung-zum-versteckten-vorhaben",
        justification=f"{c}-begruendung-versteckt",
        public=False,
    )

    # A non-public decision on the public Vorhaben, and one without any Vorhaben.
    DecisionFactory(
        initiative=initiative,
        title=f"{c}-entscheidung",
        justification=f"{c}-begruendung",
        public=False,
    )
    DecisionFactory(
        municipality=municipality,
        initiative=None,
        title=f"{c}-entscheidung-allgemein",
        justification=f"{c}-begruendung-allgemein",
        public=False,
    )

    # A public Vorhaben in a draft plan (the plan is flagged public by mistake) and in a
    # non-public adopted plan: neither may appear.
    draft_plan = ActionPlanFactory(
        municipality=municipality, title=f"{c}-entwurfsplan", public=True, status=PlanStatus.DRAFT
    )
    draft_initiative = InitiativeFactory(
        action_field=ActionFieldFactory(plan=draft_plan, title=f"{c}-aktionsfeld-entwurf"),
        title=f"{c}-vorhaben-im-entwurf",
        public=True,
    )
    MilestoneFactory(initiative=draft_initiative, title=f"{c}-meilenstein-entwurf")
    internal_plan = ActionPlanFactory(
        municipality=municipality, title=f"{c}-interner-plan", public=False
    )
    InitiativeFactory(
        action_field=ActionFieldFactory(plan=internal_plan, title=f"{c}-aktionsfeld-intern"),
        title=f"{c}-vorhaben-im-internen-plan",
        public=True,
    )

    # Surveys that are not participation opportunities, and a suggestion.
    SurveyFactory(
        municipality=municipality,
        title=f"{c}-mitarbeiterpuls",
        kind=SurveyKind.STAFF_PULSE,
        status=SurveyStatus.OPEN,
    )
    SurveyFactory(
        municipality=municipality,
        title=f"{c}-umfrage-entwurf",
        kind=SurveyKind.CITIZEN,
        status=SurveyStatus.DRAFT,
        opens_on=dt.date(2026, 6, 1),
    )
    SuggestionFactory(municipality=municipality, text=f"{c}-anregung", answer=f"{c}-antwort")

    # A participation opportunity not (yet) public; and a public one on a hidden Vorhaben,
    # which may appear, but without naming that Vorhaben.
    ParticipationOpportunityFactory(
        municipality=municipality,
        title=f"{c}-beteiligung",
        description=f"{c}-beteiligung-beschreibung",
        location=f"{c}-beteiligung-ort",
        how_to_take_part=f"{c}-beteiligung-wie",
        url=f"https://example.org/{c}-beteiligung",
        public=False,
    )
    ParticipationOpportunityFactory(
        municipality=municipality,
        initiative=hidden,
        title="ÖFFENTLICH-Ortsbegehung",
        description="Wir gehen gemeinsam durch das Viertel.",
        public=True,
    )

    # A finished committee report on the public plan: reports are internal papers, never public.
    report = ReportFactory(
        plan=public["plan"],
        title=f"{c}-sachstandsbericht",
        status=ReportStatus.DONE,
        decisions_requested=f"{c}-beschlussvorschlag",
        climate_relevance=f"{c}-klimarelevanz",
        snapshot={"subject": f"{c}-bericht-betreff", "summary": [f"{c}-bericht-zusammenfassung"]},
    )
    return {"hidden": hidden, "draft_initiative": draft_initiative, "report": report}


@pytest.fixture
def world(musterstadt, other_town, frozen_today) -> World:
    public = _publish_world(musterstadt, marker="ÖFFENTLICH", hidden=CANARY)
    internal = _plant_internal(musterstadt, public)
    foreign = _publish_world(other_town, marker=FOREIGN_CANARY, hidden=None)
    release_plans(musterstadt, other_town)
    return World(
        municipality=musterstadt,
        public_initiative=public["initiative"],
        hidden_initiative=internal["hidden"],
        draft_plan_initiative=internal["draft_initiative"],
        foreign_initiative=foreign["initiative"],
        public_decision=public["decision"],
        internal_report=internal["report"],
        public_opportunity=public["opportunity"],
    )
