from django.apps import AppConfig


class ObstaclesConfig(AppConfig):
    name = "leitwerk.obstacles"
    label = "obstacles"
    verbose_name = "Hemmnisse & Ideen"
