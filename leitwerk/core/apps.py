from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "leitwerk.core"
    label = "core"
    verbose_name = "Grundlagen"

    def ready(self) -> None:
        from .logs import connect_receivers

        connect_receivers()
