from django.urls import path

from . import reminder_views, views

app_name = "controlling"

# Included at "arbeitsbereich/", so that the search sits at /arbeitsbereich/suche/ beside the
# controlling pages at /arbeitsbereich/controlling/.
urlpatterns = [
    path("controlling/", views.overview, name="overview"),
    path("controlling/meine-aktualisierungen/", views.my_updates, name="my_updates"),
    path("controlling/vorhaben/<int:pk>/rueckmeldungen/", views.comments, name="comments"),
    path("controlling/ausrichtung/", views.alignment, name="alignment"),
    path("controlling/hinweis/<int:pk>/erledigt/", views.notice_done, name="notice_done"),
    path("controlling/ausrichtung/aendern/", views.alignment_change, name="alignment_change"),
    path(
        "controlling/ausrichtung/aussage/<int:pk>/<str:kind>/",
        views.alignment_pick,
        name="alignment_pick",
    ),
    path(
        "controlling/indikator/<int:pk>/messbar-machen/",
        views.make_measurable,
        name="make_measurable",
    ),
    path("controlling/plan/<int:pk>/sammelpflege/", views.bulk_update, name="bulk_update"),
    path("controlling/plan/<int:pk>/sammelpflege.xlsx", views.bulk_download, name="bulk_download"),
    path(
        "controlling/plan/<int:pk>/sammelpflege/uebernehmen/",
        views.bulk_confirm,
        name="bulk_confirm",
    ),
    path("suche/", views.search, name="search"),
    path("erinnerungen/", reminder_views.reminder_settings, name="reminder_settings"),
    path("erinnerungen/verschickt/", reminder_views.reminder_log, name="reminder_log"),
]
