"""Workspace side of the portal app, included at `arbeitsbereich/`."""

from django.urls import path

from . import workspace_views

app_name = "portal_workspace"

urlpatterns = [
    path("lesbarkeit/", workspace_views.readability, name="readability"),
    path("offene-daten/", workspace_views.open_data_settings, name="open_data_settings"),
    path("buergerportal/", workspace_views.portal_settings, name="portal_settings"),
    path("buergerportal/kommentare/", workspace_views.comments, name="comments"),
    path(
        "buergerportal/kommentare/<int:pk>/",
        workspace_views.comment_moderate,
        name="comment_moderate",
    ),
    path("beteiligung/", workspace_views.participation, name="participation"),
    path("beteiligung/neu/", workspace_views.participation_create, name="participation_create"),
    path(
        "beteiligung/<int:pk>/bearbeiten/",
        workspace_views.participation_edit,
        name="participation_edit",
    ),
    path(
        "beteiligung/<int:pk>/loeschen/",
        workspace_views.participation_delete,
        name="participation_delete",
    ),
]
