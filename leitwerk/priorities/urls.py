from django.urls import path

from . import views

app_name = "priorities"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("neu/", views.round_create, name="create"),
    path("<int:pk>/", views.round_detail, name="detail"),
    path("<int:pk>/stimmzettel/", views.ballot, name="ballot"),
    path("<int:pk>/ergebnis/", views.results, name="results"),
    path("<int:pk>/beschluss/", views.adopt, name="adopt"),
    path("<int:pk>/aenderung/", views.change, name="change"),
    path("entscheidungen/", views.decisions, name="decisions"),
    path("ressourcen/", views.resources, name="resources"),
    path("ressourcen/aufwand-nutzen/", views.effort_benefit, name="effort_benefit"),
    path("ausgleich/", views.balance, name="balance"),
    path("ausgleich/schwelle/", views.balance_threshold, name="balance_threshold"),
    path("ausgleich/massnahme/", views.balance_compensation, name="balance_compensation"),
    path("ausgleich/kostenanteile/", views.balance_costs, name="balance_costs"),
    path("ausgleich/nutzen/", views.balance_beneficiaries, name="balance_beneficiaries"),
]
