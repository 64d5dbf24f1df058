from django.apps import AppConfig


class GuidelinesConfig(AppConfig):
    name = "leitwerk.guidelines"
    label = "guidelines"
    verbose_name = "Leitbild"
