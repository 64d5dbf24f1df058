from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("neu/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.plan_edit, name="edit"),
    path("<int:pk>/loeschen/", views.plan_delete, name="delete"),
    path("<int:pk>/stand/", views.plan_as_of, name="as_of"),
    path("<int:pk>/aenderungen/", views.plan_changes, name="changes"),
    path("ziel/<int:pk>/stand/", views.goal_as_of, name="goal_as_of"),
    path("<int:pk>/freigeben/", views.plan_release, name="release"),
    path("<int:pk>/aktionsfeld/neu/", views.action_field_create, name="action_field_create"),
    path("aktionsfeld/<int:pk>/bearbeiten/", views.action_field_edit, name="action_field_edit"),
    path("aktionsfeld/<int:pk>/loeschen/", views.action_field_delete, name="action_field_delete"),
    path("aktionsfeld/<int:pk>/vorhaben/neu/", views.initiative_create, name="initiative_create"),
    path("vorhaben/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("vorhaben/<int:pk>/bearbeiten/", views.initiative_edit, name="initiative_edit"),
    path("vorhaben/<int:pk>/loeschen/", views.initiative_delete, name="initiative_delete"),
    path("vorhaben/<int:pk>/verlauf/", views.initiative_history, name="initiative_history"),
    path("vorhaben/<int:pk>/stand/", views.initiative_as_of, name="initiative_as_of"),
    path("vorhaben/<int:pk>/freigeben/", views.initiative_release, name="initiative_release"),
    path(
        "vorhaben/<int:pk>/teilvorhaben/neu/",
        views.sub_initiative_create,
        name="sub_initiative_create",
    ),
    path(
        "teilvorhaben/<int:pk>/bearbeiten/", views.sub_initiative_edit, name="sub_initiative_edit"
    ),
    path(
        "teilvorhaben/<int:pk>/loeschen/", views.sub_initiative_delete, name="sub_initiative_delete"
    ),
    path("vorhaben/<int:pk>/meilenstein/neu/", views.milestone_create, name="milestone_create"),
    path("meilenstein/<int:pk>/bearbeiten/", views.milestone_edit, name="milestone_edit"),
    path("meilenstein/<int:pk>/loeschen/", views.milestone_delete, name="milestone_delete"),
    path("meilenstein/<int:pk>/erreicht/", views.milestone_complete, name="milestone_complete"),
    path("vorhaben/<int:pk>/indikator/neu/", views.indicator_create, name="indicator_create"),
    path("ziel/<int:pk>/kennzahl/neu/", views.goal_indicator_create, name="goal_indicator_create"),
    path("indikator/<int:pk>/bearbeiten/", views.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/loeschen/", views.indicator_delete, name="indicator_delete"),
    path("indikator/<int:pk>/messwert/neu/", views.measurement_create, name="measurement_create"),
    path("messwert/<int:pk>/bearbeiten/", views.measurement_edit, name="measurement_edit"),
    path("messwert/<int:pk>/loeschen/", views.measurement_delete, name="measurement_delete"),
    path(
        "vorhaben/<int:pk>/sachstand/neu/",
        views.status_report_create,
        name="status_report_create",
    ),
    path(
        "vorhaben/<int:pk>/transferkommune/neu/",
        views.transfer_city_create,
        name="transfer_city_create",
    ),
    path(
        "transferkommune/<int:pk>/bearbeiten/",
        views.transfer_city_edit,
        name="transfer_city_edit",
    ),
    path(
        "transferkommune/<int:pk>/loeschen/",
        views.transfer_city_delete,
        name="transfer_city_delete",
    ),
    path("vorhaben/<int:pk>/anhang/neu/", views.attachment_create, name="attachment_create"),
    path("anhang/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("anhang/<int:pk>/loeschen/", views.attachment_delete, name="attachment_delete"),
]
