from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.goal_field_list, name="list"),
    path("zielfeld/<int:pk>/", views.goal_field_detail, name="field_detail"),
    path("ziel/<int:pk>/", views.goal_detail, name="goal_detail"),
]
