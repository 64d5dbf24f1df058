from django.urls import path

from . import budget_views, views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("bestaetigen/", views.confirm, name="confirm"),
    path("laeufe/<int:pk>/", views.run_status, name="run"),
    path("haushalt/", budget_views.budget_upload, name="budget_upload"),
    path("haushalt/bestaetigen/", budget_views.budget_confirm, name="budget_confirm"),
]
