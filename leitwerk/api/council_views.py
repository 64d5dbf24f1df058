"""REST API v1 of the council stage: decisions and their follow-up (Beschlusskontrolle).

Read: every decision of the municipality with its follow-up. Write: the follow-up's state
(`PATCH /council-decisions/{id}/follow-up/`), through the same service and rule as the page
(`council.change_followup`: strategy office, admin, editors of the responsible unit).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from leitwerk.core.editing import ConflictError
from leitwerk.council import services
from leitwerk.council.models import CouncilDecision, DecisionFollowUp, FollowUpStatus

from .permissions import require_perm
from .serializers import BASE_FIELDS, ConflictSerializer, VersionedInputSerializer
from .views import TenantViewSet


class FollowUpSerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()
    status_label = serializers.CharField(source="get_status_display")
    light = serializers.SerializerMethodField(help_text="Ampel: red, amber, green oder done.")
    initiatives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = DecisionFollowUp
        fields = [
            *BASE_FIELDS,
            "unit",
            "deadline",
            "status",
            "status_label",
            "light",
            "delay_reason",
            "done_note",
            "done_on",
            "initiatives",
        ]
        read_only_fields = fields

    def get_light(self, obj: DecisionFollowUp) -> str:
        return str(obj.light(timezone.localdate()))


class CouncilDecisionSerializer(serializers.ModelSerializer):
    body = serializers.StringRelatedField()
    follow_up = serializers.SerializerMethodField()

    class Meta:
        model = CouncilDecision
        fields = [
            *BASE_FIELDS,
            "source",
            "title",
            "decided_on",
            "body",
            "reference",
            "result",
            "resolution_text",
            "oparl_id",
            "paper_oparl_id",
            "follow_up",
        ]
        read_only_fields = fields

    @extend_schema_field(FollowUpSerializer(allow_null=True))
    def get_follow_up(self, obj: CouncilDecision) -> dict[str, Any] | None:
        follow_up = getattr(obj, "follow_up", None)
        return FollowUpSerializer(follow_up).data if follow_up else None


class FollowUpUpdateSerializer(VersionedInputSerializer):
    status = serializers.ChoiceField(choices=FollowUpStatus.choices, required=False)
    deadline = serializers.DateField(required=False)
    delay_reason = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    done_note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


@extend_schema_view(
    list=extend_schema(summary="Beschlüsse der Kommune", tags=["Beschlüsse"]),
    retrieve=extend_schema(summary="Beschluss lesen", tags=["Beschlüsse"]),
)
class CouncilDecisionViewSet(TenantViewSet):
    model = CouncilDecision
    serializer_class = CouncilDecisionSerializer
    view_perm = "council.view_decision"
    http_method_names = ["get", "head", "options", "patch"]

    def base_queryset(self) -> QuerySet[Any]:
        return (
            self.scoped(CouncilDecision)
            .select_related("body", "follow_up__unit")
            .prefetch_related("follow_up__initiatives")
            .order_by("-decided_on", "-pk")
        )

    @extend_schema(
        summary="Stand der Beschlusskontrolle ändern",
        tags=["Beschlüsse"],
        request=FollowUpUpdateSerializer,
        responses={
            200: FollowUpSerializer,
            409: OpenApiResponse(ConflictSerializer, "Versionskonflikt"),
        },
    )
    @action(detail=True, methods=["patch"], url_path="follow-up", url_name="follow-up")
    def follow_up(self, request: Request, pk: str | None = None) -> Response:
        decision = self.get_object()
        follow_up = getattr(decision, "follow_up", None)
        if follow_up is None:
            raise exceptions.NotFound("Dieser Beschluss steht nicht in der Beschlusskontrolle.")
        require_perm(
            request,
            "council.change_followup",
            follow_up,
            "Sie dürfen den Stand dieses Beschlusses nicht ändern.",
        )
        serializer = FollowUpUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if "deadline" in data and not request.user.has_perm(
            "council.add_decision", self.municipality
        ):
            # As on the page: the responsible unit reports the state, the office sets deadlines.
            raise exceptions.PermissionDenied("Die Frist ändert die Stabsstelle.")
        try:
            follow_up = services.follow_up_update(
                follow_up=follow_up, actor=request.user, expected_version=version, changes=data
            )
        except ConflictError as error:
            current: Any = error.current
            return Response(
                {
                    "detail": (
                        "Jemand anderes hat den Stand inzwischen geändert (jetzt Version "
                        f"{current.version}). Bitte laden Sie ihn neu."
                    ),
                    "version": current.version,
                    "changed_fields": error.changed_fields,
                    "current": FollowUpSerializer(current).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        return Response(FollowUpSerializer(follow_up).data)
