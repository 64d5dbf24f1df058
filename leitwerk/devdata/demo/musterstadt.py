"""Musterstadt, a Stadt of 85,000: the full story from Leitbild to priority list.

The texts and specs are in musterstadt_data.py, the surveys in musterstadt_feedback.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from leitwerk.accounts.models import IdentityProvider, Invitation, User
from leitwerk.controlling.models import Comment, ReminderLog
from leitwerk.feedback.models import Location, Service, Suggestion, SuggestionIndicatorBinding
from leitwerk.goals.models import FrameworkConcept, Goal, GoalField
from leitwerk.guidelines.models import GuidelineDocument, GuidelineKind, Statement
from leitwerk.municipalities.models import (
    Body,
    BodyKind,
    Municipality,
    OrganisationalUnit,
    Role,
    UnitKind,
)
from leitwerk.obstacles.models import Obstacle, ObstacleRating, SolutionConcept
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Attachment,
    Direction,
    Indicator,
    IndicatorKind,
    Initiative,
    PlanStatus,
    Resolution,
)
from leitwerk.portal.models import ParticipationOpportunity
from leitwerk.portal.services import open_data_settings_save
from leitwerk.priorities.models import (
    AggregationMethod,
    Ballot,
    BallotEntry,
    BallotMode,
    Decision,
    DecisionKind,
    ListVersion,
    PriorityChange,
    PriorityItem,
    PriorityRound,
    RoundParticipant,
    RoundStatus,
)
from leitwerk.reports.models import Report, ReportFormat

from . import musterstadt_data as data
from .base import Tenant, aware, memberships, quarter
from .musterstadt_feedback import build_feedback

DOMAIN = "musterstadt.example"


def plan_start(today: dt.date) -> dt.date:
    """1 January of the year the action plan (and the peers' plans) started."""
    return dt.date((today - dt.timedelta(days=300)).year, 1, 1)


def build_musterstadt(m: Municipality, today: dt.date, users: dict[str, User]) -> ActionPlan:
    return _Musterstadt(m, today, users).build()


class _Musterstadt:
    """The steps in the order the rows are written; each step keeps what later ones need."""

    def __init__(self, m: Municipality, today: dt.date, users: dict[str, User]):
        self.t = Tenant(m, today)
        self.users = users
        self.units: dict[str, OrganisationalUnit] = {}
        self.bodies: dict[str, Body] = {}
        self.statements: list[Statement] = []
        self.goals: dict[str, Goal] = {}
        self.initiatives: dict[str, Initiative] = {}

    def user(self, local: str) -> User:
        return self.users[f"{local}@{DOMAIN}"]

    def build(self) -> ActionPlan:
        self.organisation()
        leitlinien_doc, leitlinien = self.guidelines()
        goal_indicator = self.goals_and_framework()
        plan = self.action_plan()
        self.obstacles()
        adopted_round = self.priorities()
        self.decisions(adopted_round)
        services, locations = build_feedback(
            self.t,
            units=self.units,
            leitlinien_doc=leitlinien_doc,
            leitlinien=leitlinien,
            goal_indicator=goal_indicator,
            pulse_indicator=Indicator.objects.get(initiative=self.initiatives["4.1"]),
        )
        self.suggestions(services, locations)
        self.online_booking_extras()
        self.t.make(
            Report,
            title=f"Sachstandsbericht an den Hauptausschuss {quarter(self.t.d(-30))}",
            plan=plan,
            format=ReportFormat.PDF,
            as_of=self.t.d(-30),
            created_by=self.user("strategie"),
        )
        return plan

    def organisation(self) -> None:
        t = self.t
        self.units = t.units(data.UNITS)
        t.make(
            OrganisationalUnit,
            name="Team Bürgeramt Nord",
            code="FB 4.1",
            kind=UnitKind.TEAM,
            headcount=9,
            parent=self.units["FB 4"],
        )
        self.bodies = {
            "rat": t.make(Body, name="Rat der Stadt Musterstadt", kind=BodyKind.RAT),
            "haupt": t.make(Body, name="Hauptausschuss", kind=BodyKind.AUSSCHUSS),
            "vv": t.make(Body, name="Verwaltungsvorstand", kind=BodyKind.VERWALTUNGSVORSTAND),
        }
        memberships(
            t,
            self.users,
            DOMAIN,
            strategy_unit=self.units["STS"],
            editor_unit=self.units["FB 4"],
            council=self.bodies["rat"],
            council_email=f"rat@{DOMAIN}",
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
            email_domains=DOMAIN,
            enabled=False,
        )
        # The project lead joined through "Personen & Rollen": an accepted invitation.
        t.make(
            Invitation,
            user=self.user("projekt"),
            invited_by=self.user("admin"),
            nonce="demo-angenommen",
            expires_at=aware(t.d(-60)) + dt.timedelta(hours=72),
            sent_at=aware(t.d(-60)),
            accepted_at=aware(t.d(-59)),
        )

    def guidelines(self) -> tuple[GuidelineDocument, list[Statement]]:
        t = self.t
        _, leitbild = t.guideline(
            title="Leitbild der Stadtverwaltung Musterstadt",
            kind=GuidelineKind.LEITBILD,
            preamble="Wir sind eine moderne Verwaltung, die für die Menschen in Musterstadt "
            "arbeitet. Dieses Leitbild sagt, woran man uns messen kann.",
            closing="Der Rat hat dieses Leitbild beschlossen. Wir prüfen jedes Jahr, ob wir es "
            "leben.",
            sections=data.LEITBILD_SECTIONS,
            version_label="Fassung 2025",
            valid_from=t.d(-400),
        )
        leitlinien_doc, leitlinien = t.guideline(
            title="Leitlinien unserer Zusammenarbeit",
            kind=GuidelineKind.LEITLINIEN,
            preamble="So wollen wir in der Stadtverwaltung Musterstadt miteinander arbeiten.",
            sections=data.LEITLINIEN_SECTIONS,
            version_label="Fassung 1",
            valid_from=t.d(-300),
        )
        self.statements = leitbild + leitlinien
        return leitlinien_doc, leitlinien

    def goals_and_framework(self) -> Indicator:
        """Goal fields and goals, the goal's survey indicator and the framework concept."""
        t = self.t
        goal_fields = []
        for order, (code, title, goal_specs) in enumerate(data.GOAL_FIELDS):
            goal_field = t.make(GoalField, code=code, title=title, order=order)
            goal_fields.append(goal_field)
            for i, (goal_code, goal_title, statement_idx) in enumerate(goal_specs):
                self.goals[goal_code] = t.make(
                    Goal,
                    goal_field=goal_field,
                    code=goal_code,
                    title=goal_title,
                    target_date=t.d(700),
                    public=True,
                    order=i,
                    statements=[self.statements[k] for k in statement_idx],
                )
        goal_indicator = t.make(
            Indicator,
            goal=self.goals["Z1.1"],
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
        return goal_indicator

    def action_plan(self) -> ActionPlan:
        t = self.t
        start = plan_start(t.today)
        plan = t.make(
            ActionPlan,
            title=f"Aktionsplan {start.year}–{start.year + 2}",
            description="Was wir in den nächsten drei Jahren umsetzen, um unser Leitbild zu leben.",
            period_start=start,
            period_end=dt.date(start.year + 2, 12, 31),
            status=PlanStatus.ADOPTED,
            adopted_on=t.d(-310),
            adopted_by=self.bodies["rat"],
            adoption_reference="RAT/0815/2025",
            reporting_interval_days=90,
            public=True,
        )
        for order, (code, title, specs) in enumerate(data.PLAN):
            field_row = t.make(ActionField, plan=plan, code=code, title=title, order=order)
            for i, spec in enumerate(specs):
                self.initiatives[spec["number"]] = t.initiative(
                    field_row,
                    spec,
                    order=i,
                    people=self.users,
                    units=self.units,
                    goals=self.goals,
                    statements=self.statements,
                )
        for order, (number, text) in enumerate(data.RESOLUTIONS):
            initiative = self.initiatives[number] if number else None
            t.make(Resolution, plan=plan, initiative=initiative, text=text, order=order)
        return plan

    def obstacles(self) -> None:
        t = self.t
        for title, description, category, impact, frequency, linked, solutions in data.OBSTACLES:
            obstacle = t.make(
                Obstacle,
                title=title,
                description=description,
                category=category,
                impact=impact,
                frequency=frequency,
                initiatives=[self.initiatives[n] for n in linked],
            )
            for solution_title, solution_text in solutions:
                t.make(
                    SolutionConcept,
                    obstacle=obstacle,
                    title=solution_title,
                    description=solution_text,
                    initiatives=[self.initiatives[n] for n in linked],
                )
            # Two assessments per obstacle; the obstacle's own rating is roughly their mean.
            second_unit = data.UNITS_BY_OBSTACLE_CATEGORY.get(category, "FB 1")
            for unit_code, delta in (("STS", 0), (second_unit, -1)):
                t.make(
                    ObstacleRating,
                    obstacle=obstacle,
                    rated_by=self.user("strategie"),
                    unit=self.units[unit_code],
                    impact=max(1, impact + delta),
                    frequency=frequency,
                    comment="Einschätzung aus dem Workshop zu Hemmnissen.",
                )

    def priorities(self) -> PriorityRound:
        """An adopted list with one justified change, and next year's round with ballots cast."""
        adopted_round = self.t.make(
            PriorityRound,
            title=f"Prioritätenliste {plan_start(self.t.today).year}",
            year=plan_start(self.t.today).year,
            status=RoundStatus.ADOPTED,
            adopted_on=self.t.d(-250),
            adopted_by=self.bodies["rat"],
            decision_reference="RAT/0842/2025",
        )
        self.adopted_list(adopted_round)
        self.list_change(adopted_round)
        self.open_round()
        return adopted_round

    def adopted_list(self, adopted_round: PriorityRound) -> None:
        order = data.ADOPTED_ORDER
        adopted_round.description = "Gemeinsame Liste von Verwaltungsvorstand und Fachbereichen."
        adopted_round.method = AggregationMethod.BORDA
        adopted_round.aggregated_at = aware(self.t.d(-270))
        adopted_round.save()
        adopted_round.candidates.set([self.initiatives[n] for n in order])
        for rank, number in enumerate(order, 1):
            self.t.make(
                PriorityItem,
                round=adopted_round,
                initiative=self.initiatives[number],
                rank=rank,
                shared_rank=rank,
                score=Decimal(3 * (len(order) - rank)),
                spread=Decimal("1.5") if rank > 2 else Decimal("0.5"),
            )

    def _snapshot(self, order: list[str]) -> list[dict[str, Any]]:
        initiatives = self.initiatives
        return [
            {"rank": r, "initiative": initiatives[n].pk, "number": n, "title": initiatives[n].title}
            for r, n in enumerate(order, 1)
        ]

    def list_change(self, adopted_round: PriorityRound) -> None:
        """Version 1 as adopted, version 2 after moving the Dienstfahrräder up one place."""
        t = self.t
        t.make(
            ListVersion,
            round=adopted_round,
            number=1,
            entries=self._snapshot(data.ADOPTED_ORDER),
            note="Beschluss des Rates",
        )
        second = t.make(
            ListVersion,
            round=adopted_round,
            number=2,
            entries=self._snapshot(data.CHANGED_ORDER),
            note="Dienstfahrräder vorgezogen",
        )
        t.make(
            PriorityChange,
            round=adopted_round,
            initiative=self.initiatives["3.2"],
            old_rank=8,
            new_rank=7,
            justification="Fördermittel des Landes laufen Ende des Jahres aus; die Beschaffung "
            "muss vorher beginnen.",
            changed_on=t.d(-80),
            changed_by=self.user("strategie"),
            list_version=second,
        )

    def open_round(self) -> None:
        t = self.t
        open_round = t.make(
            PriorityRound,
            title=f"Prioritätenliste {t.today.year + 1}",
            year=t.today.year + 1,
            description="Die Fachbereiche und der Hauptausschuss geben ihre Rangfolge ab.",
            ballot_mode=BallotMode.RANK,
            method=AggregationMethod.SCHULZE,
            status=RoundStatus.OPEN,
            candidates=[self.initiatives[n] for n in data.NEXT_CANDIDATES],
        )
        for unit_code in data.NEXT_PARTICIPANTS:
            participant = t.make(RoundParticipant, round=open_round, unit=self.units[unit_code])
            if unit_code not in data.NEXT_BALLOTS:
                continue  # FB 1 has not voted yet: the round shows a missing ballot
            order, email = data.NEXT_BALLOTS[unit_code]
            ballot = t.make(
                Ballot,
                round=open_round,
                participant=participant,
                submitted_by=self.users[email],
                submitted_at=aware(t.d(-3)),
                comment="Abgestimmt in der Fachbereichsrunde.",
            )
            for rank, number in enumerate(order, 1):
                t.make(BallotEntry, ballot=ballot, initiative=self.initiatives[number], rank=rank)
        t.make(RoundParticipant, round=open_round, body=self.bodies["haupt"])

    def decisions(self, adopted_round: PriorityRound) -> None:
        for number, kind, title, justification, day, body, reference, public in data.DECISIONS:
            self.t.make(
                Decision,
                priority_round=adopted_round if kind == DecisionKind.PRIORITY else None,
                initiative=self.initiatives[number] if number else None,
                kind=kind,
                title=title,
                justification=justification,
                decided_on=self.t.d(day),
                body=self.bodies[body],
                reference=reference,
                public=public,
            )

    def suggestions(self, services: list[Service], locations: list[Location]) -> None:
        """Anregungen and Beschwerden, and the indicator the daily job fills from them."""
        t = self.t
        for i, row in enumerate(data.SUGGESTIONS):
            category, text, unit, status, due, answer, answered, public = row
            t.make(
                Suggestion,
                category=category,
                text=text,
                unit=self.units[unit],
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
            initiative=self.initiatives["4.1"],
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

    def online_booking_extras(self) -> None:
        """Comments, a sent reminder, an attachment and a public event on Vorhaben 1.1."""
        t = self.t
        online = self.initiatives["1.1"]
        comment = t.make(
            Comment,
            initiative=online,
            author=self.user("rat"),
            text="Wie fallen die ersten Rückmeldungen der Bürgerinnen und Bürger zur "
            "Online-Buchung aus?",
            feedback_from=[self.user("projekt")],
        )
        t.make(
            Comment,
            initiative=online,
            author=self.user("projekt"),
            text=f"Antwort auf „{comment.text[:40]}…“: Die Umfrage im Bürgerbüro läuft; "
            "bisher überwiegend positiv, Wunsch nach mehr Samstagsterminen.",
        )
        # One reminder already went out, so the log shows how "never twice" is recorded.
        t.make(
            ReminderLog,
            recipient=self.user("projekt"),
            initiative=online,
            due_on=t.d(-27),
            remind_on=t.d(-30),
            sent_at=aware(t.d(-30)),
        )
        self.attachment(online)
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
        open_data_settings_save(
            municipality=t.m,
            actor=self.user("strategie"),
            expected_version=None,
            licence="dl-by-de/2.0",
            attribution="Stadt Musterstadt",
            contact_email=f"opendata@{DOMAIN}",
        )

    def attachment(self, online: Initiative) -> None:
        attachment = Attachment(
            municipality=self.t.m,
            initiative=online,
            original_name="Projektsteckbrief-Online-Terminvergabe.txt",
            content_type="text/plain",
            size=0,
            uploaded_by=self.user("projekt"),
        )
        brief = (
            "Projektsteckbrief Online-Terminvergabe\n"
            "Ziel: Termine im Bürgerbüro rund um die Uhr online buchen.\n"
        ).encode()
        attachment.size = len(brief)
        attachment.file.save("projektsteckbrief.txt", ContentFile(brief), save=False)
        attachment.full_clean()
        attachment.save()
