from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("vorhaben/<int:pk>/", views.initiative_detail, name="initiative_detail"),
]
