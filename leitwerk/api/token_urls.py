"""„API-Zugänge“ at /konto/api-zugaenge/ (not in the `api` namespace: these are web pages)."""

from django.urls import path

from . import token_views

app_name = "api_tokens"

urlpatterns = [
    path("", token_views.token_list, name="list"),
    path("<int:pk>/widerrufen/", token_views.token_revoke, name="revoke"),
]
