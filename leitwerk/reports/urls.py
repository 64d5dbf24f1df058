from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/herunterladen/", views.report_download, name="download"),
    path("<int:pk>/erneut/", views.report_retry, name="retry"),
    path("<int:pk>/abbrechen/", views.report_cancel, name="cancel"),
    path("zeitplaene/", views.schedule_list, name="schedules"),
    path("zeitplaene/<int:pk>/loeschen/", views.schedule_delete, name="schedule_delete"),
    path("gestaltung/", views.report_look, name="look"),
    path("mappe/", views.briefing_book, name="briefing_book"),
    path("mappe/pdf/", views.briefing_book_pdf, name="briefing_book_pdf"),
    path("mappe/zip/", views.briefing_book_zip, name="briefing_book_zip"),
]
