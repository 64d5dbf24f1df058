"""Workspace side of the portal app, included at `arbeitsbereich/lesbarkeit/`."""

from django.urls import path

from . import workspace_views

app_name = "portal_workspace"

urlpatterns = [
    path("", workspace_views.readability, name="readability"),
]
