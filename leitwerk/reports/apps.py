from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "leitwerk.reports"
    label = "reports"
    verbose_name = "Berichte"
