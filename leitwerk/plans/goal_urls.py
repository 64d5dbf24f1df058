"""The `goals` URL namespace: the goals app's editing pages plus the reading pages that roll up
Vorhaben (goal list, goal field, scorecard; `goal_views.py`), which must live above goals."""

from django.urls import path

from leitwerk.goals import urls as goal_pages

from . import framework_views, goal_views

app_name = "goals"

urlpatterns = [
    path("", goal_views.goal_field_list, name="list"),
    path("zielfeld/<int:pk>/", goal_views.goal_field_detail, name="field_detail"),
    path("ziel/<int:pk>/", goal_views.goal_detail, name="goal_detail"),
    *goal_pages.urlpatterns,
    path("rahmenkonzepte/", framework_views.framework_list, name="frameworks"),
    path("rahmenkonzepte/neu/", framework_views.framework_create, name="framework_create"),
    path(
        "rahmenkonzepte/<int:pk>/bearbeiten/",
        framework_views.framework_edit,
        name="framework_edit",
    ),
    path(
        "rahmenkonzepte/<int:pk>/loeschen/",
        framework_views.framework_delete,
        name="framework_delete",
    ),
]
