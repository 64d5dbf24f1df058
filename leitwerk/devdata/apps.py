from django.apps import AppConfig


class DevdataConfig(AppConfig):
    name = "leitwerk.devdata"
    label = "devdata"
    verbose_name = "Demodaten"
