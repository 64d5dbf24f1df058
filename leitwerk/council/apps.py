from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "leitwerk.council"
    label = "council"
    verbose_name = "Rat und Beschlusskontrolle"
