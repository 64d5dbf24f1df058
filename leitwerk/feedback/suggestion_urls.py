"""Public suggestion form at /<slug>/anregungen/."""

from django.urls import path

from . import public_views

app_name = "feedback_suggestions"

urlpatterns = [
    path("", public_views.suggestion_form, name="form"),
]
