from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "leitwerk.administration"
    label = "administration"
    verbose_name = "Kommune einrichten"
