"""The `goals` URL namespace: the goals app's editing pages plus the reading pages that roll up
Vorhaben (goal list, goal field, scorecard; `goal_views.py`), which must live above goals."""

from django.urls import path

from leitwerk.goals import urls as goal_pages

from . import goal_views

app_name = "goals"

urlpatterns = [
    path("", goal_views.goal_field_list, name="list"),
    path("zielfeld/<int:pk>/", goal_views.goal_field_detail, name="field_detail"),
    path("ziel/<int:pk>/", goal_views.goal_detail, name="goal_detail"),
    *goal_pages.urlpatterns,
]
