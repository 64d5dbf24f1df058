"""„Personen & Rollen“ at /arbeitsbereich/personen/ (the municipality's admin)."""

from django.urls import path

from . import people_views

app_name = "people"

urlpatterns = [
    path("", people_views.people_list, name="list"),
    path("einladen/", people_views.person_invite, name="invite"),
    path("<int:pk>/", people_views.person_edit, name="edit"),
    path(
        "<int:pk>/einladung-senden/",
        people_views.person_invitation_resend,
        name="invitation_resend",
    ),
    path("<int:pk>/deaktivieren/", people_views.person_deactivate, name="deactivate"),
]
