from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("bestaetigen/", views.confirm, name="confirm"),
    path("laeufe/<int:pk>/", views.run_status, name="run"),
]
