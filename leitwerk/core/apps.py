from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leitwerk.core"
    label = "core"
    verbose_name = "Grundlagen"
