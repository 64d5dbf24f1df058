from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "leitwerk.plans"
    label = "plans"
    verbose_name = "Aktionsplan"
