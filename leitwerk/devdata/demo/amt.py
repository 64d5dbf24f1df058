"""Amt Musterland with Seedorf, Lindenau and Birkenfelde: Amt mode, adopted with the members.

The priority list is adopted the way the services do it (ballots, the Borda result stored as
the list, version 1, a decision), then cost shares, a compensation and the members' sign-offs.
The texts and specs are in amt_data.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from leitwerk.accounts.models import User
from leitwerk.feedback.models import Location, Service, Suggestion, Survey, SurveyKind, SurveyStatus
from leitwerk.goals.models import FrameworkConcept, Goal, GoalField
from leitwerk.guidelines.models import GuidelineKind, Statement
from leitwerk.imports.models import ImportRun
from leitwerk.municipalities.models import Body, BodyKind, Municipality, OrganisationalUnit
from leitwerk.obstacles.models import Obstacle, SolutionConcept
from leitwerk.plans.models import ActionField, ActionPlan, Initiative, PlanStatus, Resolution
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
    PriorityItem,
    PriorityRound,
    RoundParticipant,
    RoundStatus,
)
from leitwerk.priorities.services import round_results
from leitwerk.reports.models import Report, ReportFormat

from . import amt_data as data
from .base import Tenant, aware, memberships, quarter

DOMAIN = "amt-musterland.example"


def build_amt(
    amt: Municipality, today: dt.date, users: dict[str, User], members: dict[str, Municipality]
) -> ActionPlan:
    return _Amt(amt, today, users, members).build()


class _Amt:
    """The steps in the order the rows are written; each step keeps what later ones need."""

    def __init__(
        self,
        amt: Municipality,
        today: dt.date,
        users: dict[str, User],
        members: dict[str, Municipality],
    ):
        self.t = Tenant(amt, today)
        self.users = users
        self.members = members
        self.plan_start = dt.date(self.t.d(-300).year, 1, 1)
        self.units: dict[str, OrganisationalUnit] = {}
        self.bodies: dict[str, Body] = {}
        self.initiatives: dict[str, Initiative] = {}

    def user(self, local: str) -> User:
        return self.users[f"{local}@{DOMAIN}"]

    def build(self) -> ActionPlan:
        self.organisation()
        grundsaetze = self.t.guideline(
            title="Grundsätze der Zusammenarbeit im Amt Musterland",
            kind=GuidelineKind.GRUNDSAETZE,
            preamble="Das Amt arbeitet für drei Gemeinden. Diese Grundsätze gelten für alle.",
            sections=data.GRUNDSAETZE_SECTIONS,
            version_label="Beschluss des Amtsausschusses",
            valid_from=self.t.d(-500),
        )[1]
        goals = self.goals_and_framework(grundsaetze)
        plan = self.action_plan(goals, grundsaetze)
        self.obstacle()
        priority_round = self.priority_round()
        self.adopt(priority_round)
        self.amt_mode(priority_round)
        self.feedback_and_reports(plan)
        return plan

    def organisation(self) -> None:
        t = self.t
        self.units = t.units(data.UNITS)
        self.bodies = {
            "ausschuss": t.make(Body, name="Amtsausschuss", kind=BodyKind.AMTSAUSSCHUSS),
            "finanzausschuss": t.make(
                Body, name="Finanzausschuss des Amtes", kind=BodyKind.AUSSCHUSS
            ),
        }
        t.make(Body, name="Gemeindevertretung Seedorf", kind=BodyKind.RAT)
        memberships(
            t,
            self.users,
            DOMAIN,
            strategy_unit=self.units["LVB"],
            editor_unit=self.units["FB 4"],
            council=self.bodies["ausschuss"],
            council_email=f"ausschuss@{DOMAIN}",
        )

    def goals_and_framework(self, grundsaetze: list[Statement]) -> dict[str, Goal]:
        t = self.t
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
        return goals

    def action_plan(self, goals: dict[str, Goal], grundsaetze: list[Statement]) -> ActionPlan:
        t = self.t
        start = self.plan_start
        plan = t.make(
            ActionPlan,
            title=f"Aktionsplan Amt Musterland {start.year}–{start.year + 1}",
            period_start=start,
            period_end=dt.date(start.year + 1, 12, 31),
            status=PlanStatus.ADOPTED,
            adopted_on=t.d(-305),
            adopted_by=self.bodies["ausschuss"],
            adoption_reference="AA/12/2025",
            reporting_interval_days=120,
            public=True,
            source_name="aktionsplan-amt-musterland.xlsx",
        )
        for order, (code, title, items) in enumerate(data.PLAN):
            field_row = t.make(ActionField, plan=plan, code=code, title=title, order=order)
            for i, spec in enumerate(items):
                self.initiatives[spec["number"]] = t.initiative(
                    field_row,
                    spec,
                    order=i,
                    people=self.users,
                    units=self.units,
                    goals=goals,
                    statements=grundsaetze,
                    members=self.members,
                )
        t.make(
            Resolution,
            plan=plan,
            text="Jede Gemeinde wird vor einer Entscheidung angehört, die sie betrifft.",
        )
        return plan

    def obstacle(self) -> None:
        obstacle = self.t.make(
            Obstacle,
            title="Kleine Gemeinden können Investitionen nicht allein stemmen",
            category="Finanzen",
            impact=4,
            frequency=3,
            initiatives=[self.initiatives["1.1"], self.initiatives["2.2"]],
        )
        self.t.make(
            SolutionConcept,
            obstacle=obstacle,
            title="Gemeinsame Beschaffung mit Ausgleich",
            description="Kosten werden gemeinsam getragen; wer weniger profitiert, zahlt weniger.",
        )

    def priority_round(self) -> PriorityRound:
        """The round with the three ballots and its Borda result stored as the list."""
        t = self.t
        priority_round = t.make(
            PriorityRound,
            title=f"Prioritäten des Amtsausschusses {self.plan_start.year}",
            year=self.plan_start.year,
            description="Amtsausschuss, Finanzausschuss und Bauamt geben ihre Rangfolge ab.",
            ballot_mode=BallotMode.RANK,
            candidates=[self.initiatives[n] for n in data.ADOPTED_ORDER],
        )
        for who, order, day in data.BALLOTS:
            where: dict[str, Body | OrganisationalUnit] = (
                {"body": self.bodies[who]} if who in self.bodies else {"unit": self.units[who]}
            )
            participant = t.make(RoundParticipant, round=priority_round, **where)
            ballot = t.make(
                Ballot,
                round=priority_round,
                participant=participant,
                submitted_by=self.user("strategie"),
                submitted_at=aware(t.d(day)),
            )
            for rank, number in enumerate(order, 1):
                t.make(BallotEntry, ballot=ballot, initiative=self.initiatives[number], rank=rank)
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
        ranked = [i.initiative.number for i in priority_round.items.order_by("rank")]
        assert ranked == data.ADOPTED_ORDER
        return priority_round

    def adopt(self, priority_round: PriorityRound) -> None:
        """Adopted by the Amtsausschuss: list version 1 and the decision with its reference."""
        t = self.t
        ausschuss = self.bodies["ausschuss"]
        priority_round.method = AggregationMethod.BORDA
        priority_round.aggregated_at = aware(t.d(-310))
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
                {
                    "rank": rank,
                    "initiative": self.initiatives[n].pk,
                    "title": str(self.initiatives[n]),
                }
                for rank, n in enumerate(data.ADOPTED_ORDER, 1)
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

    def amt_mode(self, priority_round: PriorityRound) -> None:
        """Cost shares, the balance threshold, a compensation and the members' sign-offs."""
        t = self.t
        for number, shares in data.COST_SHARES.items():
            for member, percent in shares:
                t.make(
                    CostShare,
                    initiative=self.initiatives[number],
                    member=self.members[member],
                    share_percent=Decimal(percent),
                )
        # Birkenfelde, the largest member, gains least from the joint Vorhaben: the balance view
        # flags it, the Amt decides a compensation before Birkenfelde's council signs off.
        t.make(BalanceSettings, threshold_points=Decimal("10.0"))
        t.make(
            CompensationMeasure,
            member=self.members["birkenfelde"],
            title="Amt übernimmt die Planung der neuen Dorfmitte Birkenfelde",
            description="Birkenfelde hat die meisten Einwohner, profitiert aber am wenigsten von "
            "den gemeinsamen Vorhaben: Bauhof und Breitband kommen ihm nicht zugute. Nach "
            "Grundsatz 3 gleicht das Amt das aus.",
            amount_eur=Decimal("60000"),
            decided_on=t.d(-290),
        )
        for member, days_ago, reference, note in data.SIGN_OFFS:
            t.make(
                MemberSignOff,
                round=priority_round,
                member=self.members[member],
                council=f"Gemeindevertretung {self.members[member].name}",
                signed_on=t.d(-days_ago),
                reference=reference,
                note=note,
            )
        t.make(
            Decision,
            initiative=self.initiatives["2.2"],
            kind=DecisionKind.START,
            title="Breitband Lindenau-Heide mit Amtsumlage",
            justification="Nach Grundsatz 3 trägt das Amt den Eigenanteil, den Lindenau allein "
            "nicht aufbringen kann.",
            decided_on=t.d(-200),
            body=self.bodies["ausschuss"],
            reference="AA/17/2025",
            public=True,
        )

    def feedback_and_reports(self, plan: ActionPlan) -> None:
        """A draft survey, a suggestion, a report and the record of the plan's import."""
        t = self.t
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
            unit=self.units["FB 1"],
            due_on=t.d(12),
        )
        t.make(
            Report,
            title=f"Bericht an den Amtsausschuss {quarter(t.d(-60))}",
            plan=plan,
            format=ReportFormat.DOCX,
            as_of=t.d(-60),
            created_by=self.user("strategie"),
        )
        # The Amt's plan came in as a spreadsheet; the run row shows how an import is recorded.
        t.make(
            ImportRun,
            kind="plan",
            source_name="aktionsplan-amt-musterland.xlsx",
            source_hash=hashlib.sha256(b"leitwerk-demo-amt-musterland").hexdigest(),
            result={"demo": True, "action_fields": 2, "initiatives": 4},
            created_by=self.user("strategie"),
        )
