"""Query filters of the list endpoints (django-filter).

Links are filtered by id with bounded integers: an id of another municipality simply finds
nothing (every queryset is scoped first), and an id too large for the database answers 400
instead of a database error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from leitwerk.budget.models import KeyFigure, Product, ProductLevel
from leitwerk.core.status import Health
from leitwerk.feedback.models import Survey, SurveyKind, SurveyStatus
from leitwerk.goals.models import Goal
from leitwerk.guidelines.models import GuidelineDocument, GuidelineStatus, Statement, StatementKind
from leitwerk.obstacles.models import Obstacle
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    IndicatorKind,
    Initiative,
    InitiativeStatus,
    Measurement,
    MeasurementSource,
    Milestone,
    PlanStatus,
    StatusReport,
)
from leitwerk.priorities.models import PriorityItem, PriorityRound, RoundStatus

MAX_ID = 2**53


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2999})
class YearFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1900, max_value=2999, **kwargs)


@extend_schema_field({"type": "boolean"})  # in the query as `true` or `false`
class YesNoFilter(filters.TypedChoiceFilter):
    """`true` or `false`, nothing else (anything else answers 400 naming the filter)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("choices", [("true", "ja"), ("false", "nein")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        super().__init__(*args, **kwargs)


def _date_range(field: str, label: str) -> tuple[filters.DateFilter, filters.DateFilter]:
    """`<field>_from` and `<field>_to`, both inclusive."""
    return (
        filters.DateFilter(field_name=field, lookup_expr="gte", label=f"{label} ab"),
        filters.DateFilter(field_name=field, lookup_expr="lte", label=f"{label} bis"),
    )


class StrictFilterSet(filters.FilterSet):
    """A filter given with an empty value (`?status=`) answers 400 instead of being ignored.

    django-filter skips empty values, so a client that sends `?status=` by mistake would get
    the whole list and believe it was filtered. Leaving a filter out is the way to not filter.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name not in self.data:
                continue
            given = self.data.getlist(name) if hasattr(self.data, "getlist") else [self.data[name]]
            if all(value == "" for value in given):
                self.form.add_error(
                    name, "Leerer Wert: den Filter weglassen oder einen Wert angeben."
                )
                valid = False
        return valid


class GuidelineDocumentFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=GuidelineStatus.choices)

    class Meta:
        model = GuidelineDocument
        fields: list[str] = []


class StatementFilter(StrictFilterSet):
    document = IdFilter(field_name="section__document", label="Leitbild-Dokument (id)")
    section = IdFilter(field_name="section", label="Abschnitt (id)")
    kind = filters.ChoiceFilter(choices=StatementKind.choices)

    class Meta:
        model = Statement
        fields: list[str] = []


class GoalFilter(StrictFilterSet):
    goal_field = IdFilter(field_name="goal_field", label="Zielfeld (id)")
    public = YesNoFilter(label="öffentlich")

    class Meta:
        model = Goal
        fields: list[str] = []


class ProductFilter(StrictFilterSet):
    level = filters.ChoiceFilter(choices=ProductLevel.choices, label="Ebene")
    code = filters.CharFilter(max_length=40, label="Produktnummer")
    budget_area = filters.CharFilter(
        field_name="budget_area__code", max_length=30, label="Teilhaushalt (Nummer)"
    )

    class Meta:
        model = Product
        fields: list[str] = []


class KeyFigureFilter(StrictFilterSet):
    product = IdFilter(field_name="product", label="Produkt (id)")
    product_code = filters.CharFilter(
        field_name="product__code", max_length=40, label="Produktnummer"
    )

    class Meta:
        model = KeyFigure
        fields: list[str] = []


class ObstacleFilter(StrictFilterSet):
    category = filters.CharFilter(max_length=100)
    initiative = IdFilter(field_name="initiatives", label="Vorhaben (id)")

    class Meta:
        model = Obstacle
        fields: list[str] = []


class PriorityRoundFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=RoundStatus.choices)
    year = YearFilter(field_name="year")

    class Meta:
        model = PriorityRound
        fields: list[str] = []


class PriorityItemFilter(StrictFilterSet):
    round = IdFilter(field_name="round", label="Priorisierungsrunde (id)")
    initiative = IdFilter(field_name="initiative", label="Vorhaben (id)")

    class Meta:
        model = PriorityItem
        fields: list[str] = []


class ActionPlanFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=PlanStatus.choices)
    public = YesNoFilter(label="öffentlich")

    class Meta:
        model = ActionPlan
        fields: list[str] = []


class ActionFieldFilter(StrictFilterSet):
    plan = IdFilter(field_name="plan", label="Aktionsplan (id)")

    class Meta:
        model = ActionField
        fields: list[str] = []


class InitiativeFilter(StrictFilterSet):
    plan = IdFilter(field_name="action_field__plan", label="Aktionsplan (id)")
    action_field = IdFilter(field_name="action_field", label="Aktionsfeld (id)")
    lead_unit = IdFilter(field_name="lead_unit", label="federführende Einheit (id)")
    status = filters.ChoiceFilter(choices=InitiativeStatus.choices)
    public = YesNoFilter(label="öffentlich")

    class Meta:
        model = Initiative
        fields: list[str] = []


class MilestoneFilter(StrictFilterSet):
    initiative = IdFilter(field_name="initiative", label="Vorhaben (id)")
    done = YesNoFilter(field_name="done_on", lookup_expr="isnull", exclude=True, label="erreicht")
    due_date_from, due_date_to = _date_range("due_date", "fällig")

    class Meta:
        model = Milestone
        fields: list[str] = []


class IndicatorFilter(StrictFilterSet):
    initiative = IdFilter(field_name="initiative", label="Vorhaben (id)")
    goal = IdFilter(field_name="goal", label="Ziel (id)")
    kind = filters.ChoiceFilter(choices=IndicatorKind.choices)

    class Meta:
        model = Indicator
        fields: list[str] = []


class MeasurementFilter(StrictFilterSet):
    indicator = IdFilter(field_name="indicator", label="Indikator (id)")
    initiative = IdFilter(field_name="indicator__initiative", label="Vorhaben (id)")
    source = filters.ChoiceFilter(choices=MeasurementSource.choices)
    measured_on_from, measured_on_to = _date_range("measured_on", "Stichtag")

    class Meta:
        model = Measurement
        fields: list[str] = []


class StatusReportFilter(StrictFilterSet):
    initiative = IdFilter(field_name="initiative", label="Vorhaben (id)")
    health = filters.ChoiceFilter(choices=Health.choices)
    reported_on_from, reported_on_to = _date_range("reported_on", "gemeldet")

    class Meta:
        model = StatusReport
        fields: list[str] = []


class SurveyFilter(StrictFilterSet):
    status = filters.ChoiceFilter(choices=SurveyStatus.choices)
    kind = filters.ChoiceFilter(choices=SurveyKind.choices)

    class Meta:
        model = Survey
        fields: list[str] = []
