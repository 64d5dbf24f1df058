from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "leitwerk.accounts"
    label = "accounts"
    verbose_name = "Konten"
