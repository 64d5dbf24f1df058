from django.apps import AppConfig


class ControllingConfig(AppConfig):
    name = "leitwerk.controlling"
    label = "controlling"
    verbose_name = "Umsetzung & Controlling"
