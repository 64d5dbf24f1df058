"""The goals app's editing pages. The reading pages (list, goal field, scorecard) roll up the
Vorhaben serving a goal, so they live above goals, in plans/goal_views.py; plans/goal_urls.py
puts both into the `goals` namespace (config/urls.py includes that one)."""

from django.urls import path

from . import views

urlpatterns = [
    path("zielfeld/neu/", views.goal_field_create, name="field_create"),
    path("zielfeld/<int:pk>/bearbeiten/", views.goal_field_edit, name="field_edit"),
    path("zielfeld/<int:pk>/loeschen/", views.goal_field_delete, name="field_delete"),
    path("zielfeld/<int:pk>/ziel/neu/", views.goal_create, name="goal_create"),
    path("ziel/<int:pk>/bearbeiten/", views.goal_edit, name="goal_edit"),
    path("ziel/<int:pk>/loeschen/", views.goal_delete, name="goal_delete"),
    path("ziel/<int:pk>/aussagen/", views.goal_statements, name="goal_statements"),
]
