from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "leitwerk.municipalities"
    label = "municipalities"
    verbose_name = "Kommunen"
