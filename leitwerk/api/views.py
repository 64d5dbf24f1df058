"""REST API v1: thin viewsets over the apps' selectors and services.

Every queryset is scoped to the municipality of the request (`permissions.municipality_of`)
before anything else happens, so an id of another municipality answers 404, exactly like a
missing one. Reads check the app's view rule on the municipality; writes check the same
object rules as the pages and call the same services (audit, history, optimistic locking).
"""

from __future__ import annotations

import builtins
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from leitwerk.accounts.models import User
from leitwerk.budget.models import (
    InitiativeBudget,
    KeyFigure,
    KeyFigureValue,
    Product,
    ProductInitiative,
)
from leitwerk.core.editing import ConflictError
from leitwerk.core.fragments import FRAGMENT_SECONDS, fragment_key
from leitwerk.feedback import selectors as feedback_selectors
from leitwerk.feedback.models import Survey
from leitwerk.goals.models import Goal, GoalField
from leitwerk.guidelines.models import GuidelineDocument, Statement
from leitwerk.guidelines.selectors import guideline_list_for_user
from leitwerk.obstacles.models import Obstacle
from leitwerk.plans import selectors as plan_selectors
from leitwerk.plans import services as plan_services
from leitwerk.plans.models import (
    ActionField,
    ActionPlan,
    Indicator,
    Initiative,
    Measurement,
    MeasurementSource,
    Milestone,
    StatusReport,
)
from leitwerk.plans.rollup import progress_for_initiatives
from leitwerk.priorities.models import PriorityItem, PriorityRound

from . import filters, serializers
from .permissions import municipality_of, require_perm

MAX_PK = 2**53


# --- errors ----------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Jemand anderes hat dieses Objekt inzwischen geändert."
    default_code = "conflict"


def _django_validation_detail(error: DjangoValidationError) -> Any:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: model/service validation → 400 naming the field, conflicts → 409."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, ConflictError):
        view = context.get("view")
        current = exc.current
        serializer_class = getattr(view, "serializer_class", None)
        body = {
            "detail": (
                "Jemand anderes hat dieses Objekt inzwischen geändert (jetzt Version "
                f"{current.version}). Bitte laden Sie es neu und übernehmen Sie Ihre Änderung."
            ),
            "version": current.version,
            "changed_fields": exc.changed_fields,
            "current": serializer_class(current).data if serializer_class else {},
        }
        return Response(body, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == status.HTTP_400_BAD_REQUEST:
        response.data = flat_field_errors(response.data)
    return response


def flat_field_errors(detail: Any, path: str = "") -> dict[str, list[str]]:
    """Every 400 body as {field path: [messages]}, as the schema documents it (FieldErrors).

    DRF nests the errors of list and object fields (`{"values": {"2": {"value": [...]}}}`)
    and words a malformed body as `{"detail": "..."}`; clients get one shape instead, with
    the place named by a dotted path such as `values.2.value`.
    """
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(flat_field_errors(value, f"{path}.{key}" if path else str(key)))
        return flat
    if isinstance(detail, list) and not all(isinstance(item, str) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            if item:  # DRF puts an empty entry for each list item without errors
                flat.update(flat_field_errors(item, f"{path}.{index}" if path else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {path or "non_field_errors": [str(message) for message in messages]}


@csrf_exempt  # answers 404 to every method; DRF views are exempt the same way
def not_found(request: Any, *args: Any, **kwargs: Any) -> JsonResponse:
    """JSON 404 for paths below /api/v1/ that name no endpoint (e.g. a malformed id)."""
    return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)


# --- base ------------------------------------------------------------------------------------


class TenantViewSet(viewsets.GenericViewSet):
    """Scoped reads for one model: list (paginated, filtered) and retrieve by id."""

    model: Any = None
    view_perm = ""
    http_method_names = ["get", "head", "options"]

    @property
    def municipality(self) -> Any:
        return municipality_of(self.request)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # The same rule the pages check; every member may read, so this rarely says no.
        if self.view_perm and not request.user.has_perm(self.view_perm, self.municipality):
            raise exceptions.PermissionDenied("Sie dürfen diese Daten nicht lesen.")

    def scoped(self, model: Any) -> QuerySet[Any]:
        return model.objects.for_municipality(self.municipality)

    def base_queryset(self) -> QuerySet[Any]:
        return self.scoped(self.model)

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.base_queryset()

    def lookup_pk(self) -> int:
        """The id from the path; anything that is not a plausible id is simply not found."""
        raw = str(self.kwargs.get("pk", ""))
        if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_PK:
            raise exceptions.NotFound()
        return int(raw)

    def get_object(self) -> Any:
        obj = self.get_queryset().filter(pk=self.lookup_pk()).first()
        if obj is None:
            raise exceptions.NotFound()
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        serializer = self.get_serializer(rows, many=True, context=self._context_for(rows))
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        return Response(self.get_serializer(obj, context=self._context_for([obj])).data)

    def _context_for(self, rows: builtins.list[Any]) -> dict[str, Any]:
        return {**self.get_serializer_context(), **self.computed(rows)}

    def computed(self, rows: builtins.list[Any]) -> dict[str, Any]:
        """Values computed for the rows of one page (progress by id …), in constant queries;
        the serializer reads them from its context."""
        return {}


def _read(name: str, plural: str) -> dict[str, Any]:
    return {
        "list": extend_schema(summary=f"{plural} der Kommune", tags=[plural]),
        "retrieve": extend_schema(summary=f"{name} lesen", tags=[plural]),
    }


# --- 1 Leitbild ------------------------------------------------------------------------------


@extend_schema_view(**_read("Leitbild-Dokument", "Leitbild-Dokumente"))
class GuidelineDocumentViewSet(TenantViewSet):
    model = GuidelineDocument
    serializer_class = serializers.GuidelineDocumentSerializer
    filterset_class = filters.GuidelineDocumentFilter
    view_perm = "guidelines.view_guideline"

    def base_queryset(self) -> QuerySet[Any]:
        return guideline_list_for_user(user=self.request.user, municipality=self.municipality)


@extend_schema_view(**_read("Leitbild-Aussage", "Leitbild-Aussagen"))
class StatementViewSet(TenantViewSet):
    model = Statement
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilter
    view_perm = "guidelines.view_guideline"

    def base_queryset(self) -> QuerySet[Any]:
        return (
            self.scoped(Statement)
            .select_related("section")
            .prefetch_related(Prefetch("goals", queryset=self.scoped(Goal).only("id")))
            .order_by("section__document", "section__order", "order", "id")
        )


# --- 2 Ziele ---------------------------------------------------------------------------------


@extend_schema_view(**_read("Zielfeld", "Zielfelder"))
class GoalFieldViewSet(TenantViewSet):
    model = GoalField
    serializer_class = serializers.GoalFieldSerializer
    view_perm = "goals.view_goal"


@extend_schema_view(**_read("Ziel", "Ziele"))
class GoalViewSet(TenantViewSet):
    model = Goal
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter
    view_perm = "goals.view_goal"

    def base_queryset(self) -> QuerySet[Any]:
        return self.scoped(Goal).prefetch_related(
            Prefetch("statements", queryset=self.scoped(Statement).only("id"))
        )

    def computed(self, rows: list[Any]) -> dict[str, Any]:
        # The report's numbers (plans.rollup.progress_for_goals), with the displayed Ampel.
        return {
            "goal_statuses": plan_selectors.goal_statuses(goals=rows, today=timezone.localdate())
        }


# --- 3 Hemmnisse -----------------------------------------------------------------------------


@extend_schema_view(**_read("Hemmnis", "Hemmnisse"))
class ObstacleViewSet(TenantViewSet):
    model = Obstacle
    serializer_class = serializers.ObstacleSerializer
    filterset_class = filters.ObstacleFilter
    view_perm = "obstacles.view_obstacle"

    def base_queryset(self) -> QuerySet[Any]:
        return (
            self.scoped(Obstacle)
            .prefetch_related(Prefetch("initiatives", queryset=self.scoped(Initiative).only("id")))
            .distinct()
        )


# --- 4 Priorisierung -------------------------------------------------------------------------


@extend_schema_view(**_read("Priorisierungsrunde", "Priorisierungsrunden"))
class PriorityRoundViewSet(TenantViewSet):
    model = PriorityRound
    serializer_class = serializers.PriorityRoundSerializer
    filterset_class = filters.PriorityRoundFilter
    view_perm = "priorities.view_round"

    def base_queryset(self) -> QuerySet[Any]:
        return self.scoped(PriorityRound).prefetch_related(
            Prefetch("candidates", queryset=self.scoped(Initiative).only("id"))
        )


@extend_schema_view(**_read("Listenplatz", "Prioritätenlisten"))
class PriorityItemViewSet(TenantViewSet):
    model = PriorityItem
    serializer_class = serializers.PriorityItemSerializer
    filterset_class = filters.PriorityItemFilter
    view_perm = "priorities.view_round"


# --- 5 Aktionsplan ---------------------------------------------------------------------------


@extend_schema_view(**_read("Aktionsplan", "Aktionspläne"))
class ActionPlanViewSet(TenantViewSet):
    model = ActionPlan
    serializer_class = serializers.ActionPlanSerializer
    filterset_class = filters.ActionPlanFilter
    view_perm = "plans.view_plan"


@extend_schema_view(**_read("Aktionsfeld", "Aktionsfelder"))
class ActionFieldViewSet(TenantViewSet):
    model = ActionField
    serializer_class = serializers.ActionFieldSerializer
    filterset_class = filters.ActionFieldFilter
    view_perm = "plans.view_plan"


@extend_schema_view(
    **_read("Vorhaben", "Vorhaben"),
    partial_update=extend_schema(
        summary="Status und Zeitplan eines Vorhabens fortschreiben",
        tags=["Vorhaben"],
        request=serializers.InitiativeUpdateSerializer,
        responses={
            200: serializers.InitiativeSerializer,
            409: OpenApiResponse(serializers.ConflictSerializer, "Versionskonflikt"),
        },
    ),
)
class InitiativeViewSet(TenantViewSet):
    model = Initiative
    serializer_class = serializers.InitiativeSerializer
    filterset_class = filters.InitiativeFilter
    view_perm = "plans.view_initiative"
    http_method_names = ["get", "head", "options", "patch", "post"]

    def base_queryset(self) -> QuerySet[Any]:
        # The linked ids (people, statements, goals) are read for the rows of one page by
        # `computed`: a prefetch would build a model per link (people with every column).
        return self.scoped(Initiative).select_related("action_field")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The page of Vorhaben, kept in the cache until the municipality's next audited write
        or the next day (core.fragments' key: the list is the same for every member)."""
        if not getattr(settings, "LEITWERK_FRAGMENT_CACHE", True):
            return super().list(request, *args, **kwargs)
        municipality = self.municipality
        key = fragment_key(
            request,
            name=f"api-initiatives-{municipality.pk}",
            municipality_ids=[municipality.pk],
            # The page's links name scheme, host and path; the page size may be configured.
            variant=(request.build_absolute_uri(), settings.REST_FRAMEWORK.get("PAGE_SIZE")),
        )
        data = cache.get(key)
        if data is None:
            response = super().list(request, *args, **kwargs)
            cache.set(key, response.data, FRAGMENT_SECONDS)
            return response
        return Response(data)

    def computed(self, rows: builtins.list[Any]) -> dict[str, Any]:
        ids = [row.pk for row in rows]
        municipality = self.municipality
        links = {
            # (field, linked model, filter of the linked rows): the linked rows' own order, as
            # `.all()` would give them; statements and goals of this municipality only.
            "responsible_people": ("user", User, {}),
            "statements": ("statement", Statement, {"statement__municipality": municipality}),
            "goals": ("goal", Goal, {"goal__municipality": municipality}),
        }
        linked: dict[str, dict[int, builtins.list[int]]] = {}
        for name, (column, model, scope) in links.items():
            through = getattr(Initiative, name).through
            kept: dict[int, builtins.list[int]] = {pk: [] for pk in ids}
            pairs = (
                through.objects.filter(initiative_id__in=ids, **scope)
                .order_by(*[f"{column}__{field}" for field in model._meta.ordering or []])
                .values_list("initiative_id", f"{column}_id")
            )
            for initiative_id, linked_id in pairs:
                kept[initiative_id].append(linked_id)
            linked[name] = kept
        return {
            "progress": progress_for_initiatives(initiatives=rows, today=timezone.localdate()),
            serializers.LINKED_IDS: linked,
        }

    def _for_write(self) -> Initiative:
        # The access helper loads the plan too: the rules close archived plans.
        return plan_selectors.access_initiative(
            user=self.request.user, municipality=self.municipality, pk=self.lookup_pk()
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = plan_selectors.initiative_get_for_user(
            user=request.user, municipality=self.municipality, pk=self.lookup_pk()
        )
        context = {**self.get_serializer_context(), "progress": {page.initiative.pk: page.progress}}
        return Response(self.get_serializer(page.initiative, context=context).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        initiative = self._for_write()
        require_perm(
            request,
            "plans.change_initiative",
            initiative,
            "Sie dürfen dieses Vorhaben nicht ändern.",
        )
        data = _valid(serializers.InitiativeUpdateSerializer, request)
        version = data.pop("version")
        plan_services.initiative_update(
            initiative=initiative, actor=request.user, expected_version=version, changes=data
        )
        return self.retrieve(request)

    @extend_schema(
        summary="Sachstandsmeldung zu einem Vorhaben abgeben",
        tags=["Sachstandsmeldungen"],
        request=serializers.StatusReportCreateSerializer,
        responses={201: serializers.StatusReportSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status-reports", url_name="status-reports")
    def status_reports(self, request: Request, pk: str | None = None) -> Response:
        initiative = self._for_write()
        require_perm(
            request,
            "plans.record_progress",
            initiative,
            "Sie dürfen für dieses Vorhaben keine Sachstandsmeldung abgeben.",
        )
        data = _valid(serializers.StatusReportCreateSerializer, request)
        report = plan_services.status_report_submit(
            initiative=initiative, actor=request.user, **data
        )
        return Response(
            serializers.StatusReportSerializer(report).data, status=status.HTTP_201_CREATED
        )


def _valid(serializer_class: type[Any], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    **_read("Meilenstein", "Meilensteine"),
    partial_update=extend_schema(
        summary="Meilenstein ändern",
        tags=["Meilensteine"],
        request=serializers.MilestoneUpdateSerializer,
        responses={
            200: serializers.MilestoneSerializer,
            409: OpenApiResponse(serializers.ConflictSerializer, "Versionskonflikt"),
        },
    ),
)
class MilestoneViewSet(TenantViewSet):
    model = Milestone
    serializer_class = serializers.MilestoneSerializer
    filterset_class = filters.MilestoneFilter
    view_perm = "plans.view_initiative"
    http_method_names = ["get", "head", "options", "patch", "post"]

    def _for_write(self) -> Milestone:
        milestone = self.get_object()
        initiative = plan_selectors.access_initiative(
            user=self.request.user, municipality=self.municipality, pk=milestone.initiative_id
        )
        require_perm(
            self.request,
            "plans.change_initiative",
            initiative,
            "Sie dürfen die Meilensteine dieses Vorhabens nicht ändern.",
        )
        return milestone

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        milestone = self._for_write()
        data = _valid(serializers.MilestoneUpdateSerializer, request)
        version = data.pop("version")
        milestone = plan_services.milestone_update(
            milestone=milestone, actor=request.user, expected_version=version, changes=data
        )
        return Response(self.get_serializer(milestone).data)

    @extend_schema(
        summary="Meilenstein als erreicht melden",
        tags=["Meilensteine"],
        request=serializers.MilestoneCompleteSerializer,
        responses={
            200: serializers.MilestoneSerializer,
            409: OpenApiResponse(serializers.ConflictSerializer, "Versionskonflikt"),
        },
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        milestone = self._for_write()
        data = _valid(serializers.MilestoneCompleteSerializer, request)
        milestone = plan_services.milestone_complete(
            milestone=milestone,
            actor=request.user,
            expected_version=data["version"],
            done_on=data.get("done_on") or timezone.localdate(),
        )
        return Response(self.get_serializer(milestone).data)


@extend_schema_view(**_read("Indikator", "Indikatoren"))
class IndicatorViewSet(TenantViewSet):
    model = Indicator
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    view_perm = "plans.view_initiative"
    http_method_names = ["get", "head", "options", "post"]

    @extend_schema(
        summary="Messwert zu einem Indikator melden",
        description=(
            "Legt einen Messwert an, wie das Formular „Messwert erfassen“: gleiche Prüfung, "
            "gleiche Rechte (Projektleitung und Redaktion des Vorhabens, Stabsstelle), "
            "Protokolleintrag, Quelle „über Schnittstelle“. Für Indikatoren eines Ziels "
            "braucht es das Recht, Ziele zu bearbeiten."
        ),
        tags=["Messwerte"],
        request=serializers.MeasurementCreateSerializer,
        responses={201: serializers.MeasurementSerializer},
    )
    @action(detail=True, methods=["post"])
    def measurements(self, request: Request, pk: str | None = None) -> Response:
        indicator = plan_selectors.access_indicator(
            user=request.user, municipality=self.municipality, pk=self.lookup_pk()
        )
        if indicator.initiative is not None:
            initiative = plan_selectors.access_initiative(
                user=request.user, municipality=self.municipality, pk=indicator.initiative_id
            )
            require_perm(
                request,
                "plans.record_progress",
                initiative,
                "Sie dürfen für dieses Vorhaben keine Messwerte erfassen.",
            )
        else:
            require_perm(
                request,
                "goals.change_goal",
                indicator.goal,
                "Sie dürfen für dieses Ziel keine Messwerte erfassen.",
            )
        data = _valid(serializers.MeasurementCreateSerializer, request)
        measurement = plan_services.measurement_record(
            indicator=indicator, actor=request.user, source=MeasurementSource.API, **data
        )
        return Response(
            serializers.MeasurementSerializer(measurement).data, status=status.HTTP_201_CREATED
        )


# --- 6 Controlling ---------------------------------------------------------------------------


@extend_schema_view(**_read("Messwert", "Messwerte"))
class MeasurementViewSet(TenantViewSet):
    model = Measurement
    serializer_class = serializers.MeasurementSerializer
    filterset_class = filters.MeasurementFilter
    view_perm = "plans.view_initiative"

    def base_queryset(self) -> QuerySet[Any]:
        return self.scoped(Measurement).order_by("indicator", "measured_on", "id")


@extend_schema_view(**_read("Sachstandsmeldung", "Sachstandsmeldungen"))
class StatusReportViewSet(TenantViewSet):
    model = StatusReport
    serializer_class = serializers.StatusReportSerializer
    filterset_class = filters.StatusReportFilter
    view_perm = "plans.view_initiative"


# --- 7 Rückmeldung ---------------------------------------------------------------------------


@extend_schema_view(**_read("Umfrage", "Umfragen"))
class SurveyViewSet(TenantViewSet):
    model = Survey
    serializer_class = serializers.SurveySerializer
    filterset_class = filters.SurveyFilter
    view_perm = "feedback.view_surveys"

    @extend_schema(
        summary="Ergebnisse einer Welle",
        description=(
            "Die Ergebnisse einer Welle nach derselben Regel wie Ergebnisseite und CSV: eine "
            "Gruppe ab der Mindestgruppengröße vollständig, eine kleinere nur als "
            "„suppressed“; eine laufende Welle ohne Ergebnisse je Gruppe und ohne Verteilung. "
            "`wave` ist die Nummer der Welle (1, 2, …); ohne Angabe die laufende, sonst die "
            "letzte."
        ),
        tags=["Umfragen"],
        parameters=[
            OpenApiParameter(
                "wave", int, description="Nummer der Welle (1 = erste)", required=False
            )
        ],
        responses={200: serializers.SurveyResultsSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        survey = self.get_object()
        raw = request.query_params.get("wave", "")
        number: int | None = None
        if raw:
            if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
                raise exceptions.ValidationError(
                    {"wave": ["Bitte die Nummer einer Welle angeben (1, 2, …)."]}
                )
            number = int(raw)
        payload = feedback_selectors.survey_results_payload_for_user(
            user=request.user, municipality=self.municipality, pk=survey.pk, wave_number=number
        )
        return Response(serializers.SurveyResultsSerializer(payload).data)


# --- Produkthaushalt -------------------------------------------------------------------------


@extend_schema_view(**_read("Produkt", "Produkte"))
class ProductViewSet(TenantViewSet):
    """The product tree (Produktbereich, -gruppe, Produkt) with goals, indicators and the
    budget of the Vorhaben serving each product."""

    model = Product
    serializer_class = serializers.ProductSerializer
    filterset_class = filters.ProductFilter
    view_perm = "budget.view_budget"

    def base_queryset(self) -> QuerySet[Any]:
        links = self.scoped(ProductInitiative).prefetch_related(
            Prefetch("budgets", queryset=self.scoped(InitiativeBudget))
        )
        return (
            self.scoped(Product)
            .select_related("budget_area")
            .prefetch_related(Prefetch("goals", queryset=self.scoped(Goal).only("id")))
            .prefetch_related(Prefetch("indicators", queryset=self.scoped(Indicator).only("id")))
            .prefetch_related(Prefetch("initiative_links", queryset=links))
            .order_by("code")
        )


@extend_schema_view(**_read("Kennzahl", "Kennzahlen"))
class KeyFigureViewSet(TenantViewSet):
    """Key figures of the products with their actual, plan and target values per year."""

    model = KeyFigure
    serializer_class = serializers.KeyFigureSerializer
    filterset_class = filters.KeyFigureFilter
    view_perm = "budget.view_budget"

    def base_queryset(self) -> QuerySet[Any]:
        return (
            self.scoped(KeyFigure)
            .select_related("product")
            .prefetch_related(Prefetch("values", queryset=self.scoped(KeyFigureValue)))
            .order_by("product__code", "order", "code")
        )
