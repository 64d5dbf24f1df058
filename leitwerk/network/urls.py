from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("", views.network_list, name="list"),
    path("n/<slug:slug>/", views.network_detail, name="detail"),
    path(
        "n/<slug:slug>/kennzahlen/<slug:definition>/",
        views.benchmark_detail,
        name="benchmark_detail",
    ),
    path("vorhaben/<int:pk>/", views.initiative_network, name="initiative"),
    path("vorhaben/<int:pk>/zurueckziehen/", views.initiative_unshare, name="unshare"),
    path("geteilt/<int:pk>/", views.shared_detail, name="shared"),
    path("geteilt/<int:pk>/anfrage/", views.transfer_request, name="transfer_request"),
    path("geteilt/<int:pk>/transfer/", views.transfer_record, name="transfer_record"),
    path("kennzahlen/", views.benchmarks, name="benchmarks"),
    path("anfragen/<int:pk>/", views.request_detail, name="request_detail"),
    path("anfragen/<int:pk>/antworten/", views.request_reply, name="request_reply"),
    path("anfragen/<int:pk>/annehmen/", views.request_accept, name="request_accept"),
    path("anfragen/<int:pk>/ablehnen/", views.request_decline, name="request_decline"),
    path("anfragen/<int:pk>/abschliessen/", views.request_close, name="request_close"),
]
