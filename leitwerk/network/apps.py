from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "leitwerk.network"
    label = "network"
    verbose_name = "Netzwerk"
