"""Public, machine-readable network pages: `/netzwerk/<slug>/vorhaben.json` and its schema."""

from django.urls import path

from . import views

app_name = "network_public"

urlpatterns = [
    path("vorhaben.schema.json", views.feed_schema, name="schema"),
    path("<slug:network_slug>/vorhaben.json", views.feed, name="feed"),
]
