from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.goal_field_list, name="list"),
    path("zielfeld/neu/", views.goal_field_create, name="field_create"),
    path("zielfeld/<int:pk>/", views.goal_field_detail, name="field_detail"),
    path("zielfeld/<int:pk>/bearbeiten/", views.goal_field_edit, name="field_edit"),
    path("zielfeld/<int:pk>/loeschen/", views.goal_field_delete, name="field_delete"),
    path("zielfeld/<int:pk>/ziel/neu/", views.goal_create, name="goal_create"),
    path("ziel/<int:pk>/", views.goal_detail, name="goal_detail"),
    path("ziel/<int:pk>/bearbeiten/", views.goal_edit, name="goal_edit"),
    path("ziel/<int:pk>/loeschen/", views.goal_delete, name="goal_delete"),
    path("ziel/<int:pk>/aussagen/", views.goal_statements, name="goal_statements"),
]
