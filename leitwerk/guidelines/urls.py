from django.urls import path

from . import views

app_name = "guidelines"

urlpatterns = [
    path("", views.guideline_list, name="list"),
    path("<int:pk>/", views.guideline_detail, name="detail"),
]
