from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "leitwerk.priorities"
    label = "priorities"
    verbose_name = "Priorisierung"
