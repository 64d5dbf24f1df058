from django.urls import path

from . import views

app_name = "obstacles"

urlpatterns = [
    path("", views.obstacle_list, name="list"),
    path("<int:pk>/", views.obstacle_detail, name="detail"),
]
