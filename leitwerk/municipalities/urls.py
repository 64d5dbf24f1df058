from django.urls import path

from . import views

app_name = "municipalities"

urlpatterns = [
    path("kommune-wechseln/", views.switch, name="switch"),
]
