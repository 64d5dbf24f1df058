"""„Kommune einrichten“ at /arbeitsbereich/einrichten/ (the municipality's admin)."""

from django.urls import path

from . import views

app_name = "administration"

urlpatterns = [
    path("", views.checklist, name="checklist"),
    path("einheiten/", views.units, name="units"),
    path("einheiten/neu/", views.unit_create, name="unit_create"),
    path("einheiten/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("einheiten/<int:pk>/zusammenfuehren/", views.unit_merge, name="unit_merge"),
    path("gremien/", views.bodies, name="bodies"),
    path("gremien/neu/", views.body_create, name="body_create"),
    path("gremien/<int:pk>/", views.body_edit, name="body_edit"),
    path("anmeldung/", views.sso, name="sso"),
    path("anmeldung/pruefen/", views.sso_check, name="sso_check"),
    # The operator (superuser): a new municipality from the Gemeindeverzeichnis.
    path("kommunen/", views.onboard, name="onboard"),
    path("kommunen/verzeichnis-laden/", views.registry_load, name="registry_load"),
]
