"""A complete small data set for one municipality, for page and isolation tests.

`build_world(municipality, tag)` fills every text a page could show with `tag`, so a test can
search a response body for another municipality's tag (the canary) and prove nothing leaked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leitwerk.accounts.tests.factories import UserFactory
from leitwerk.controlling.tests.factories import MeasurementFactory, StatusReportFactory
from leitwerk.core.status import Health
from leitwerk.feedback.models import Location, Service, Suggestion, Survey, SurveyKind
from leitwerk.goals.tests.factories import GoalFactory, GoalFieldFactory
from leitwerk.guidelines.models import StatementKind
from leitwerk.guidelines.tests.factories import (
    GuidelineDocumentFactory,
    GuidelineSectionFactory,
    StatementFactory,
)
from leitwerk.imports.models import ImportRun
from leitwerk.municipalities.models import Municipality
from leitwerk.municipalities.tests.factories import BodyFactory, OrganisationalUnitFactory
from leitwerk.obstacles.tests.factories import ObstacleFactory, SolutionConceptFactory
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
from leitwerk.priorities.tests.factories import (
    DecisionFactory,
    PriorityItemFactory,
    PriorityRoundFactory,
)
from leitwerk.reports.models import Report, ReportFormat


@dataclass
class World:
    municipality: Municipality
    tag: str
    guideline: object
    section: object
    statement: object
    goal_field: object
    goal: object
    plan: object
    action_field: object
    initiative: object
    milestone: object
    indicator: object
    measurement: object
    obstacle: object
    priority_round: object
    decision: object
    survey: object
    suggestion: object
    report: object
    import_run: object
    person: object


def build_world(municipality: Municipality, tag: str) -> World:
    m = municipality

    def t(label: str) -> str:
        return f"{tag}-{label}"

    person = UserFactory(
        email=f"{m.slug}-person@example.org", first_name=t("Vorname"), last_name=t("Nachname")
    )
    unit = OrganisationalUnitFactory(municipality=m, name=t("Fachbereich"), code=t("FB"))
    body = BodyFactory(municipality=m, name=t("Rat"))
    guideline = GuidelineDocumentFactory(
        municipality=m, title=t("Leitbild"), preamble=t("Präambel"), closing=t("Schluss")
    )
    section = GuidelineSectionFactory(
        municipality=m, document=guideline, title=t("Abschnitt"), intro=t("Einleitung")
    )
    statement = StatementFactory(
        municipality=m,
        section=section,
        kind=StatementKind.ICH,
        text=t("Ich mache Ziele messbar"),
        needs_review=True,
        review_note=t("Prüfhinweis"),
    )
    goal_field = GoalFieldFactory(municipality=m, title=t("Zielfeld"), description=t("Zweck"))
    goal = GoalFactory(
        municipality=m, goal_field=goal_field, title=t("Ziel"), description=t("Zielbeschreibung")
    )
    goal.statements.add(statement)
    plan = ActionPlanFactory(
        municipality=m, title=t("Aktionsplan"), description=t("Planbeschreibung"), adopted_by=body
    )
    action_field = ActionFieldFactory(municipality=m, plan=plan, title=t("Aktionsfeld"))
    initiative = InitiativeFactory(
        municipality=m,
        action_field=action_field,
        title=t("Vorhaben"),
        objective=t("Zielsetzung"),
        description=t("Beschreibung"),
        lead_unit=unit,
        responsible_text=[t("Verantwortlich")],
        extra={t("Feld"): t("Wert")},
        last_report_at=None,
    )
    initiative.responsible_people.add(person)
    initiative.goals.add(goal)
    initiative.statements.add(statement)
    SubInitiativeFactory(municipality=m, initiative=initiative, text=t("Umsetzungsidee"))
    milestone = MilestoneFactory(
        municipality=m, initiative=initiative, title=t("Meilenstein"), due_date=dt.date(2026, 1, 31)
    )
    indicator = IndicatorFactory(municipality=m, initiative=initiative, title=t("Indikator"))
    IndicatorFactory(municipality=m, initiative=None, goal=goal, title=t("Zielindikator"))
    measurement = MeasurementFactory(
        municipality=m, indicator=indicator, value=30, note=t("Messnotiz"), period_label=t("Q1")
    )
    TransferCityFactory(municipality=m, initiative=initiative, name=t("Transferstadt"))
    ResolutionFactory(municipality=m, plan=plan, initiative=initiative, text=t("Vorsatz"))
    ResolutionFactory(municipality=m, plan=plan, initiative=None, text=t("Planvorsatz"))
    StatusReportFactory(
        municipality=m,
        initiative=initiative,
        health=Health.AT_RISK,
        text=t("Sachstand"),
        off_track_note=t("Warum"),
    )
    obstacle = ObstacleFactory(municipality=m, title=t("Hemmnis"), description=t("Hemmnistext"))
    obstacle.initiatives.add(initiative)
    SolutionConceptFactory(municipality=m, obstacle=obstacle, title=t("Lösung"))
    priority_round = PriorityRoundFactory(municipality=m, title=t("Prioritätenliste"))
    PriorityItemFactory(municipality=m, round=priority_round, initiative=initiative, rank=1)
    decision = DecisionFactory(
        municipality=m, initiative=initiative, title=t("Entscheidung"), justification=t("Grund")
    )
    service = Service.objects.create(municipality=m, name=t("Leistung"))
    Location.objects.create(municipality=m, name=t("Standort"))
    survey = Survey.objects.create(
        municipality=m, title=t("Umfrage"), kind=SurveyKind.CITIZEN, service=service
    )
    suggestion = Suggestion.objects.create(
        municipality=m, text=t("Anregung"), due_on=dt.date(2026, 5, 1), answer=t("Antwort")
    )
    report = Report.objects.create(
        municipality=m,
        title=t("Bericht"),
        plan=plan,
        format=ReportFormat.PDF,
        as_of=dt.date(2026, 3, 31),
    )
    import_run = ImportRun.objects.create(
        municipality=m, kind="plan", source_name=t("Quelle.txt"), source_hash="0" * 64
    )
    # Comments on public Vorhaben are off by default; the world allows them, so the crawls
    # reach the comment form (portal.PortalSettings).
    from leitwerk.portal.models import PortalSettings

    PortalSettings.objects.create(municipality=m, comments_enabled=True)
    return World(
        municipality=m,
        tag=tag,
        guideline=guideline,
        section=section,
        statement=statement,
        goal_field=goal_field,
        goal=goal,
        plan=plan,
        action_field=action_field,
        initiative=initiative,
        milestone=milestone,
        indicator=indicator,
        measurement=measurement,
        obstacle=obstacle,
        priority_round=priority_round,
        decision=decision,
        survey=survey,
        suggestion=suggestion,
        report=report,
        import_run=import_run,
        person=person,
    )
