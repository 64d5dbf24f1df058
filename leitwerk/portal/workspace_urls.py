"""Workspace side of the portal app, included at `arbeitsbereich/`."""

from django.urls import path

from . import workspace_views

app_name = "portal_workspace"

urlpatterns = [
    path("lesbarkeit/", workspace_views.readability, name="readability"),
    path("offene-daten/", workspace_views.open_data_settings, name="open_data_settings"),
]
