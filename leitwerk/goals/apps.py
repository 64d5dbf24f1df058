from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "leitwerk.goals"
    label = "goals"
    verbose_name = "Ziele"
