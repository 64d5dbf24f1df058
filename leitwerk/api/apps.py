from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "leitwerk.api"
    label = "api"
    verbose_name = "Schnittstelle (REST-API)"

    def ready(self) -> None:
        from . import schema  # noqa: F401 - registers the token scheme with drf-spectacular
