from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "leitwerk.imports"
    label = "imports"
    verbose_name = "Import"
