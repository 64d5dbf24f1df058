"""`/api/v1/`: the router's root lists every resource; schema and documentation beside it."""

from __future__ import annotations

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from . import council_views, docs, views

app_name = "api"


class Router(DefaultRouter):
    # The root view answers like every other endpoint (sign-in required, JSON or browsable).
    include_format_suffixes = False


router = Router()
router.root_view_name = "root"
router.register(
    "guideline-documents", views.GuidelineDocumentViewSet, basename="guideline-document"
)
router.register("statements", views.StatementViewSet, basename="statement")
router.register("goal-fields", views.GoalFieldViewSet, basename="goal-field")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("obstacles", views.ObstacleViewSet, basename="obstacle")
router.register("priority-rounds", views.PriorityRoundViewSet, basename="priority-round")
router.register("priority-items", views.PriorityItemViewSet, basename="priority-item")
router.register("action-plans", views.ActionPlanViewSet, basename="action-plan")
router.register("action-fields", views.ActionFieldViewSet, basename="action-field")
router.register("initiatives", views.InitiativeViewSet, basename="initiative")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("status-reports", views.StatusReportViewSet, basename="status-report")
router.register("surveys", views.SurveyViewSet, basename="survey")
router.register(
    "council-decisions", council_views.CouncilDecisionViewSet, basename="council-decision"
)
router.register("products", views.ProductViewSet, basename="product")
router.register("key-figures", views.KeyFigureViewSet, basename="key-figure")

urlpatterns = [
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include(router.urls)),
    # Anything else below /api/v1/ answers like the API (JSON), not with the HTML 404 page.
    re_path(r"^.*$", views.not_found, name="not_found"),
]
