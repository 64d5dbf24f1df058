"""Public survey pages at /<slug>/umfragen/: no login, no JavaScript, no third parties."""

from django.urls import path

from . import public_views

app_name = "feedback_public"

urlpatterns = [
    path("", public_views.survey_list, name="list"),
    path("<int:pk>/", public_views.survey_detail, name="detail"),
]
