from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("umfragen/neu/", views.survey_create, name="survey_create"),
    path("umfragen/<int:pk>/", views.survey_detail, name="survey_detail"),
    # The forms of the survey page, each posting to its own URL (POST only).
    path("umfragen/<int:pk>/fragen/", views.survey_question_add, name="survey_question_add"),
    path("umfragen/<int:pk>/wellen/", views.survey_wave_open, name="survey_wave_open"),
    path(
        "umfragen/<int:pk>/wellen/abschliessen/",
        views.survey_wave_close,
        name="survey_wave_close",
    ),
    path("umfragen/<int:pk>/laufzeit/", views.survey_schedule, name="survey_schedule"),
    path("umfragen/<int:pk>/indikatoren/", views.survey_binding_add, name="survey_binding_add"),
    path("umfragen/<int:pk>/ergebnisse/", views.survey_results, name="survey_results"),
    path("umfragen/<int:pk>/ergebnisse.csv", views.survey_results_csv, name="survey_results_csv"),
    path(
        "umfragen/<int:pk>/auswertungsregel/",
        views.survey_disclosure,
        name="survey_disclosure",
    ),
    path("umfragen/<int:pk>/qr.svg", views.survey_qr_svg, name="survey_qr_svg"),
    path("umfragen/<int:pk>/qr.png", views.survey_qr_png, name="survey_qr_png"),
    path("umfragen/<int:pk>/codes/", views.survey_codes, name="survey_codes"),
    path("gespraechsthemen/", views.discussion_items, name="discussion_items"),
    path("anregungen/", views.suggestion_inbox, name="suggestion_inbox"),
    path("anregungen/indikator/", views.suggestion_indicator, name="suggestion_indicator"),
    path("anregungen/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
]
