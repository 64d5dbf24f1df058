from django.urls import path

from . import budget_views, obstacle_views, views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("bestaetigen/", views.confirm, name="confirm"),
    path("vorschau/<int:pk>/", views.preview, name="preview"),
    path("laeufe/<int:pk>/", views.run_status, name="run"),
    path("hemmnisse/", obstacle_views.obstacle_upload, name="obstacles"),
    path("hemmnisse/bestaetigen/", obstacle_views.obstacle_confirm, name="obstacles_confirm"),
    path("haushalt/", budget_views.budget_upload, name="budget_upload"),
    path("haushalt/bestaetigen/", budget_views.budget_confirm, name="budget_confirm"),
]
