from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("teilhaushalt/<int:pk>/", views.area, name="area"),
    path("teilhaushalt/<int:pk>/ziele-und-kennzahlen.docx", views.area_docx, name="area_docx"),
    path("teilhaushalt/<int:pk>/ziele-und-kennzahlen.xlsx", views.area_xlsx, name="area_xlsx"),
    path("produkt/<int:pk>/", views.product, name="product"),
    path("produkt/<int:pk>/ziele/", views.product_goals, name="product_goals"),
    path("produkt/<int:pk>/indikatoren/", views.product_indicators, name="product_indicators"),
    path("produkt/<int:pk>/vorhaben/", views.product_initiatives, name="product_initiatives"),
    path("produkt/<int:pk>/kennzahl/neu/", views.key_figure_create, name="key_figure_create"),
    path("kennzahl/<int:pk>/bearbeiten/", views.key_figure_edit, name="key_figure_edit"),
    path("kennzahl/<int:pk>/werte/", views.key_figure_values, name="key_figure_values"),
]
