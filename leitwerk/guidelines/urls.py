from django.urls import path

from . import views

app_name = "guidelines"

urlpatterns = [
    path("", views.guideline_list, name="list"),
    path("neu/", views.document_create, name="create"),
    path("<int:pk>/", views.guideline_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.document_edit, name="edit"),
    path("<int:pk>/loeschen/", views.document_delete, name="delete"),
    path("<int:pk>/abschnitt/neu/", views.section_create, name="section_create"),
    path("abschnitt/<int:pk>/bearbeiten/", views.section_edit, name="section_edit"),
    path("abschnitt/<int:pk>/loeschen/", views.section_delete, name="section_delete"),
    path("abschnitt/<int:pk>/aussage/neu/", views.statement_create, name="statement_create"),
    path("aussage/<int:pk>/bearbeiten/", views.statement_edit, name="statement_edit"),
    path("aussage/<int:pk>/loeschen/", views.statement_delete, name="statement_delete"),
]
