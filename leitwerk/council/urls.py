from django.urls import path

from . import views

app_name = "council"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("beschluesse/", views.decision_list, name="decisions"),
    path("beschluesse/neu/", views.decision_create, name="decision_create"),
    path("beschluesse/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("beschluesse/<int:pk>/kontrolle/", views.follow_up_start, name="follow_up_start"),
    path("kontrolle/<int:pk>/", views.follow_up_edit, name="follow_up_edit"),
    path("informationsvorlage/", views.quarterly_paper, name="paper"),
    path("ratsinformationssystem/", views.ris, name="ris"),
    path("ratsinformationssystem/abgleichen/", views.ris_sync, name="ris_sync"),
]
