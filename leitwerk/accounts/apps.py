from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leitwerk.accounts"
    label = "accounts"
    verbose_name = "Konten"

    def ready(self) -> None:
        from . import (
            signals,  # noqa: F401 - audit entries for sign-in events
            signin_cache,
        )

        signin_cache.connect()
