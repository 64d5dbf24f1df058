from django.contrib import admin
from django.urls import include, path

from leitwerk.plans.views import home

admin.site.site_header = "Leitwerk – Verwaltung"
admin.site.site_title = "Leitwerk"
admin.site.index_title = "Stammdaten und Inhalte"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("konto/api-zugaenge/", include("leitwerk.api.token_urls")),
    path("konto/", include("leitwerk.accounts.urls")),
    # The names django-allauth reverses (sign-in, code step, confirmation), same /konto/ paths.
    path("konto/", include("leitwerk.accounts.allauth_urls")),
    # Single sign-on: only allauth's OpenID Connect login/callback routes.
    path("konto/oidc/", include("leitwerk.accounts.oidc_urls")),
    path("arbeitsbereich/leitbild/", include("leitwerk.guidelines.urls")),
    # The goals app's pages plus the scorecards, which roll up Vorhaben (plans/goal_urls.py).
    path("arbeitsbereich/ziele/", include("leitwerk.plans.goal_urls")),
    path("arbeitsbereich/plaene/", include("leitwerk.plans.urls")),
    path("arbeitsbereich/personen/", include("leitwerk.accounts.people_urls")),
    path("arbeitsbereich/einrichten/", include("leitwerk.administration.urls")),
    path("arbeitsbereich/import/", include("leitwerk.imports.urls")),
    path("arbeitsbereich/hemmnisse/", include("leitwerk.obstacles.urls")),
    path("arbeitsbereich/prioritaeten/", include("leitwerk.priorities.urls")),
    path("arbeitsbereich/haushalt/", include("leitwerk.budget.urls")),
    # The workspace start page shows the action plans; it is no stage's own URL.
    path("", home, name="home"),
    path("", include("leitwerk.core.urls")),
    path("", include("leitwerk.municipalities.urls")),
    path("arbeitsbereich/rueckmeldung/", include("leitwerk.feedback.urls")),
    path("<slug:municipality_slug>/umfragen/", include("leitwerk.feedback.public_urls")),
    path("<slug:municipality_slug>/anregungen/", include("leitwerk.feedback.suggestion_urls")),
    path("arbeitsbereich/berichte/", include("leitwerk.reports.urls")),
    path("arbeitsbereich/beschluesse/", include("leitwerk.council.urls")),
    path("arbeitsbereich/netzwerk/", include("leitwerk.network.urls")),
    path("netzwerk/", include("leitwerk.network.public_urls")),
    path("arbeitsbereich/", include("leitwerk.portal.workspace_urls")),
    path("arbeitsbereich/", include("leitwerk.controlling.urls")),
    # REST API v1 (leitwerk/api, docs/API.md): before the portal's catch-all slug.
    path("api/v1/", include("leitwerk.api.urls")),
    # Public portal per municipality, last: its first segment is a municipality slug.
    path("", include("leitwerk.portal.urls")),
]

# Generic German 500 page with an incident ID, logged (catalogue C9).
handler500 = "leitwerk.core.errors.server_error"
