"""What the API shows of each row, and the input it accepts for the few writes.

Read serializers are plain: ids for links (never rows of another municipality, because every
queryset and prefetch is scoped), labels next to choice values. Write serializers only parse
and validate input; the apps' services do the writing.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from leitwerk.budget.models import KeyFigure, KeyFigureValue, Product
from leitwerk.core.status import REPORTABLE_HEALTH, Health
from leitwerk.feedback.models import Survey
from leitwerk.goals.models import Goal, GoalField
from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.obstacles.models import Obstacle
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    StatusReport,
)
from leitwerk.priorities.models import PriorityItem, PriorityRound

MAX_TEXT = 10_000
# What a person may report (the others are computed): on track, at risk, off track, done.
REPORTED_HEALTH = [(h.value, h.label) for h in REPORTABLE_HEALTH]

BASE_FIELDS = ["id", "version", "created_at", "updated_at"]


class _Base(serializers.ModelSerializer):
    """Read-only by default; `version` is what an update must name (optimistic locking)."""

    version = serializers.IntegerField(read_only=True)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


# The serializer context's entry where a view hands over linked ids it has read already:
# {field name: {row id: [linked ids]}} (api.views, `computed`).
LINKED_IDS = "linked_ids"


class _Kept(list[int]):
    """Ids a view has read already: shown as they are."""


class _IdsField(serializers.ManyRelatedField):
    """The ids of linked rows: read from the row's relation, or the ids the view has read for
    the page and put into the context (one query per relation and page, no model per link)."""

    def get_attribute(self, instance: Any) -> Any:
        kept = self.context.get(LINKED_IDS, {}).get(self.field_name, {}).get(instance.pk)
        if kept is not None:
            return _Kept(kept)
        return super().get_attribute(instance)

    def to_representation(self, iterable: Any) -> list[Any]:
        if isinstance(iterable, _Kept):
            return list(iterable)
        return super().to_representation(iterable)


def _ids(**kwargs: Any) -> serializers.ManyRelatedField:
    return _IdsField(
        child_relation=serializers.PrimaryKeyRelatedField(read_only=True, **kwargs), read_only=True
    )


# --- 1 Leitbild ------------------------------------------------------------------------------


class GuidelineDocumentSerializer(_Base):
    section_count = serializers.IntegerField(read_only=True)
    statement_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GuidelineDocument
        fields = [
            *BASE_FIELDS,
            "title",
            "kind",
            "status",
            "preamble",
            "closing",
            "version_label",
            "valid_from",
            "valid_to",
            "section_count",
            "statement_count",
        ]


class StatementSerializer(_Base):
    document = serializers.IntegerField(source="section.document_id", read_only=True)
    section_title = serializers.CharField(source="section.title", read_only=True)
    goals = _ids()

    class Meta:
        model = Statement
        fields = [
            *BASE_FIELDS,
            "document",
            "section",
            "section_title",
            "kind",
            "text",
            "order",
            "needs_review",
            "goals",
        ]


# --- 2 Ziele ---------------------------------------------------------------------------------


class GoalFieldSerializer(_Base):
    class Meta:
        model = GoalField
        fields = [*BASE_FIELDS, "code", "title", "description", "order"]


class GoalProgressSerializer(serializers.Serializer):
    progress = serializers.FloatField(
        allow_null=True,
        help_text="Fortschritt 0–1 wie im Bericht: Vorhaben und eigene Kennzahlen je zur "
        "Hälfte; leer, solange nichts messbar ist.",
    )
    expected = serializers.FloatField(
        allow_null=True,
        help_text="Erwarteter Fortschritt der Vorhaben heute laut Zeitplan (0–1).",
    )
    health = serializers.ChoiceField(
        choices=Health.choices,
        help_text="Angezeigte Ampel: die schlechtere aus berechneter Ampel und Einschätzung "
        "der verantwortlichen Person.",
    )
    calculated_health = serializers.ChoiceField(
        choices=Health.choices, help_text="Berechnete Ampel (docs/ROLLUP.md, Abschnitt 4)."
    )
    owner_health = serializers.ChoiceField(
        choices=Health.choices,
        allow_null=True,
        help_text="Letzte Einschätzung der verantwortlichen Person; leer, wenn es keine gibt.",
    )
    owner_reported_on = serializers.DateField(
        allow_null=True, help_text="Datum dieser Einschätzung; leer, wenn es keine gibt."
    )
    stale = serializers.BooleanField(
        help_text="Mindestens ein Vorhaben des Ziels ohne aktuelle Sachstandsmeldung."
    )
    reason = serializers.CharField(help_text="Warum diese Ampel, in einem Satz.")


class GoalSerializer(_Base):
    statements = _ids()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            *BASE_FIELDS,
            "goal_field",
            "code",
            "title",
            "description",
            "target_date",
            "weight",
            "public",
            "order",
            "kgst_level",
            "statements",
            "progress",
        ]

    @extend_schema_field(GoalProgressSerializer(allow_null=True))
    def get_progress(self, obj: Goal) -> dict[str, Any] | None:
        status = self.context.get("goal_statuses", {}).get(obj.pk)
        if status is None:
            return None
        part = status.progress.initiatives
        return {
            "progress": status.progress.progress,
            "expected": part.expected,
            "health": status.health,
            "calculated_health": status.calculated_health,
            "owner_health": status.owner_health,
            "owner_reported_on": status.owner_reported_on,
            "stale": part.stale > 0,
            "reason": status.reason,
        }


# --- 3 Hemmnisse -----------------------------------------------------------------------------


class ObstacleSerializer(_Base):
    severity = serializers.IntegerField(read_only=True)
    initiatives = _ids()

    class Meta:
        model = Obstacle
        fields = [
            *BASE_FIELDS,
            "title",
            "description",
            "category",
            "impact",
            "frequency",
            "severity",
            "initiatives",
        ]


# --- 4 Priorisierung -------------------------------------------------------------------------


class PriorityRoundSerializer(_Base):
    candidates = _ids()

    class Meta:
        model = PriorityRound
        fields = [
            *BASE_FIELDS,
            "title",
            "year",
            "description",
            "ballot_mode",
            "method",
            "status",
            "aggregated_at",
            "adopted_on",
            "adopted_by",
            "decision_reference",
            "candidates",
        ]


class PriorityItemSerializer(_Base):
    class Meta:
        model = PriorityItem
        fields = [*BASE_FIELDS, "round", "initiative", "rank", "shared_rank", "score", "spread"]


# --- 5 Aktionsplan ---------------------------------------------------------------------------


class ActionPlanSerializer(_Base):
    class Meta:
        model = ActionPlan
        fields = [
            *BASE_FIELDS,
            "title",
            "description",
            "period_start",
            "period_end",
            "status",
            "adopted_on",
            "adopted_by",
            "adoption_reference",
            "reporting_interval_days",
            "public",
        ]


class ActionFieldSerializer(_Base):
    class Meta:
        model = ActionField
        fields = [*BASE_FIELDS, "plan", "code", "label", "title", "description", "order"]


class ProgressSerializer(serializers.Serializer):
    progress = serializers.FloatField(
        allow_null=True, help_text="Fortschritt 0–1; leer, solange nichts messbar ist."
    )
    expected = serializers.FloatField(
        allow_null=True, help_text="Erwarteter Fortschritt heute laut Zeitplan (0–1)."
    )
    health = serializers.ChoiceField(
        choices=Health.choices,
        help_text="Angezeigte Ampel: die schlechtere aus berechneter Einschätzung und "
        "Einschätzung der verantwortlichen Person.",
    )
    calculated_health = serializers.ChoiceField(
        choices=Health.choices,
        help_text="Berechnete Einschätzung (Zeitplan, überfällige Meilensteine).",
    )
    owner_health = serializers.ChoiceField(
        choices=Health.choices,
        allow_null=True,
        help_text="Letzte Einschätzung der verantwortlichen Person (Sachstandsmeldung); "
        "leer, solange keine vorliegt.",
    )
    owner_reported_on = serializers.DateField(
        allow_null=True, help_text="Datum dieser letzten Einschätzung."
    )
    stale = serializers.BooleanField(help_text="Keine aktuelle Sachstandsmeldung.")


class InitiativeSerializer(_Base):
    plan = serializers.IntegerField(source="action_field.plan_id", read_only=True)
    responsible_people = _ids()
    statements = _ids()
    goals = _ids()
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            *BASE_FIELDS,
            "plan",
            "action_field",
            "number",
            "title",
            "objective",
            "description",
            "status",
            "lead_unit",
            "responsible_people",
            "start_date",
            "end_date",
            "period_text",
            "effort_person_days",
            "budget_eur",
            "weight",
            "public",
            "statements",
            "goals",
            "last_report_at",
            "order",
            "progress",
        ]

    @extend_schema_field(ProgressSerializer(allow_null=True))
    def get_progress(self, obj: Initiative) -> dict[str, Any] | None:
        info = self.context.get("progress", {}).get(obj.pk)
        if info is None:
            return None
        return {
            "progress": info.progress,
            "expected": info.expected,
            "health": info.health,
            "calculated_health": info.calculated,
            "owner_health": info.owner_health,
            "owner_reported_on": (
                info.owner_reported_on.isoformat() if info.owner_reported_on else None
            ),
            "stale": info.stale,
        }


class MilestoneSerializer(_Base):
    class Meta:
        model = Milestone
        fields = [
            *BASE_FIELDS,
            "initiative",
            "title",
            "due_date",
            "done_on",
            "is_success_factor",
            "weight",
            "order",
        ]


class IndicatorSerializer(_Base):
    class Meta:
        model = Indicator
        fields = [
            *BASE_FIELDS,
            "initiative",
            "goal",
            "title",
            "kind",
            "unit",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "direction",
            "weight",
            "public",
            "order",
        ]


# --- 6 Controlling ---------------------------------------------------------------------------


class MeasurementSerializer(_Base):
    class Meta:
        model = Measurement
        fields = [
            *BASE_FIELDS,
            "indicator",
            "measured_on",
            "period_label",
            "value",
            "note",
            "source",
            "recorded_by",
        ]


class StatusReportSerializer(_Base):
    class Meta:
        model = StatusReport
        fields = [
            *BASE_FIELDS,
            "initiative",
            "period_label",
            "reported_on",
            "health",
            "text",
            "off_track_note",
            "author",
        ]


# --- 7 Rückmeldung ---------------------------------------------------------------------------


class SurveySerializer(_Base):
    class Meta:
        model = Survey
        fields = [
            *BASE_FIELDS,
            "title",
            "kind",
            "status",
            "intro",
            "service",
            "guideline",
            "opens_on",
            "closes_on",
            "min_group_size",
            "requires_code",
        ]


class SurveyResultGroupSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Standort oder Organisationseinheit.")
    n = serializers.IntegerField(
        allow_null=True, help_text="Antworten der Gruppe auf die Frage; null, wenn verdeckt."
    )
    mean = serializers.FloatField(allow_null=True, help_text="Mittelwert; null, wenn verdeckt.")
    suppressed = serializers.BooleanField(
        help_text="true: weniger als die Mindestgruppengröße (oder zu deren Schutz verdeckt)."
    )


class SurveyResultQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.CharField()
    n = serializers.IntegerField(allow_null=True, help_text="Antworten aller Gruppen zusammen.")
    mean = serializers.FloatField(
        allow_null=True, help_text="Σ Wert × Anzahl / n der Verteilung (nur Skalenfragen)."
    )
    distribution = serializers.DictField(
        child=serializers.IntegerField(),
        allow_null=True,
        help_text="Anzahl je Antwortwert (Schlüssel: der Wert); null bei Freitext oder verdeckt.",
    )
    suppressed = serializers.BooleanField()
    groups = SurveyResultGroupSerializer(many=True)


class SurveyWaveSummarySerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="1 für die erste Welle, 2 für die zweite …")
    closed = serializers.BooleanField()
    responses = serializers.IntegerField(
        allow_null=True,
        help_text=(
            "Antwortbögen; bei einer laufenden Bürgerumfrage abgerundet auf Zehnerschritte, "
            "beim Leitlinien-Puls und unter der Mindestgruppengröße null."
        ),
    )


class SurveyResultsSerializer(serializers.Serializer):
    survey = serializers.IntegerField()
    wave = serializers.IntegerField(allow_null=True)
    waves = SurveyWaveSummarySerializer(many=True)
    responses = serializers.IntegerField(allow_null=True)
    min_group_size = serializers.IntegerField()
    questions = SurveyResultQuestionSerializer(many=True)


# --- input -----------------------------------------------------------------------------------


class MeasurementCreateSerializer(serializers.Serializer):
    measured_on = serializers.DateField(help_text="Stichtag des Werts (JJJJ-MM-TT).")
    value = serializers.DecimalField(
        max_digits=16, decimal_places=4, help_text="Der Wert, höchstens 12 Stellen vor dem Komma."
    )
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True, default="")


class VersionedInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        help_text="Die Version, von der Ihre Änderung ausgeht (aus dem zuletzt gelesenen "
        "Objekt). Hat jemand anderes inzwischen gespeichert, antwortet die API mit 409.",
    )


class MilestoneUpdateSerializer(VersionedInputSerializer):
    title = serializers.CharField(max_length=MAX_TEXT, required=False)
    due_date = serializers.DateField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)
    is_success_factor = serializers.BooleanField(required=False)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False)
    order = serializers.IntegerField(min_value=0, max_value=2**31 - 1, required=False)


class MilestoneCompleteSerializer(VersionedInputSerializer):
    done_on = serializers.DateField(
        required=False, allow_null=True, help_text="Erreicht am; ohne Angabe: heute."
    )


class InitiativeUpdateSerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=InitiativeStatus.choices, required=False)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    period_text = serializers.CharField(max_length=300, required=False, allow_blank=True)


class StatusReportCreateSerializer(serializers.Serializer):
    health = serializers.ChoiceField(choices=REPORTED_HEALTH)
    text = serializers.CharField(max_length=5000, help_text="Sachstand in wenigen Sätzen.")
    off_track_note = serializers.CharField(
        max_length=5000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Pflicht bei „kritisch“ (off_track): Warum, und was passiert jetzt?",
    )
    reported_on = serializers.DateField(required=False, allow_null=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    version = serializers.IntegerField(help_text="Die Version, die jetzt gespeichert ist.")
    changed_fields = serializers.ListField(child=serializers.CharField())
    current = serializers.DictField(help_text="Das Objekt, wie es jetzt gespeichert ist.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


@extend_schema_field(OpenApiTypes.OBJECT)
class FieldErrorsField(serializers.DictField):
    pass


# --- Produkthaushalt -------------------------------------------------------------------------


class ProductBudgetSerializer(serializers.Serializer):
    """Planned and spent money of one Vorhaben for this product in one budget year (Euro)."""

    initiative = serializers.IntegerField()
    year = serializers.IntegerField()
    planned_eur = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    spent_eur = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


class ProductSerializer(_Base):
    budget_area_code = serializers.CharField(source="budget_area.code", default=None)
    budget_area_title = serializers.CharField(source="budget_area.title", default=None)
    goals = _ids()
    indicators = _ids()
    initiative_budgets = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            *BASE_FIELDS,
            "level",
            "parent",
            "code",
            "title",
            "description",
            "responsible",
            "budget_area_code",
            "budget_area_title",
            "goals",
            "indicators",
            "initiative_budgets",
        ]

    @extend_schema_field(ProductBudgetSerializer(many=True))
    def get_initiative_budgets(self, obj: Product) -> list[dict[str, Any]]:
        return [
            {
                "initiative": link.initiative_id,
                "year": budget.year,
                # Strings like every other decimal of the API (no float rounding).
                "planned_eur": _money(budget.planned_eur),
                "spent_eur": _money(budget.spent_eur),
            }
            for link in obj.initiative_links.all()
            for budget in link.budgets.all()
        ]


class KeyFigureValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyFigureValue
        fields = ["year", "kind", "value"]
        read_only_fields = fields


class KeyFigureSerializer(_Base):
    product_code = serializers.CharField(source="product.code")
    values = KeyFigureValueSerializer(many=True, read_only=True)

    class Meta:
        model = KeyFigure
        fields = [
            *BASE_FIELDS,
            "product",
            "product_code",
            "code",
            "name",
            "unit",
            "direction",
            "values",
        ]
