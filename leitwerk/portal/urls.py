"""Public portal. Included last in config/urls.py: the first segment is a municipality slug."""

from django.urls import include, path

from . import budget_open_data, form_views, views

app_name = "portal"

municipality_patterns = [
    path("", views.home, name="home"),
    path("leitbild/", views.guideline, name="guideline"),
    path("vorhaben/", views.initiatives, name="initiatives"),
    path("vorhaben/<int:initiative_id>/", views.initiative, name="initiative"),
    path("entscheidungen/", views.decisions, name="decisions"),
    path("mitmachen/", views.participation, name="participation"),
    path("termine/", views.calendar, name="calendar"),
    path("neuigkeiten/", views.news, name="news"),
    path("daten/", views.open_data, name="open_data"),
    path("barrierefreiheit/", views.accessibility, name="accessibility"),
    path("barrierefreiheit.jsonld", views.accessibility_jsonld, name="accessibility_jsonld"),
    path("barrierefreiheit/barriere-melden/", form_views.barrier_report, name="barrier_report"),
    path("leichte-sprache/", views.easy_language, name="easy_language"),
    path(
        "vorhaben/<int:initiative_id>/neuigkeiten.atom",
        views.initiative_feed,
        name="initiative_feed",
    ),
    path(
        "vorhaben/<int:initiative_id>/folgen/",
        form_views.follow_initiative,
        name="follow_initiative",
    ),
    path("plaene/<int:plan_id>/folgen/", form_views.follow_plan, name="follow_plan"),
    path("folgen/<str:token>/bestaetigen/", form_views.follow_confirm, name="follow_confirm"),
    path("folgen/<str:token>/abmelden/", form_views.follow_cancel, name="follow_cancel"),
    path("vorhaben/<int:initiative_id>/kommentieren/", form_views.comment, name="comment"),
    path("kalender.ics", views.calendar_ics, name="calendar_ics"),
    path("neuigkeiten.atom", views.news_feed, name="news_feed"),
    path("daten/vorhaben.json", views.open_data_json, name="open_data_json"),
    path("daten/vorhaben.csv", views.open_data_csv, name="open_data_csv"),
    path("daten/produkthaushalt.json", budget_open_data.budget_json, name="open_data_budget_json"),
    path("daten/produkthaushalt.csv", budget_open_data.budget_csv, name="open_data_budget_csv"),
    path("daten/vorhaben.schema.json", views.open_data_schema, name="open_data_schema"),
    # DCAT-AP.de 3.0 catalogue for GovData and the state open-data portals.
    path("daten/catalog.ttl", views.open_data_catalog_ttl, name="open_data_catalog_ttl"),
    path("daten/catalog.jsonld", views.open_data_catalog_jsonld, name="open_data_catalog_jsonld"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
]

urlpatterns = [
    # Before the slug patterns, so no municipality can shadow it.
    path("barrierefreiheit/", views.accessibility_global, name="accessibility_global"),
    path("<slug:municipality_slug>/", include(municipality_patterns)),
]
