from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "leitwerk.portal"
    label = "portal"
    verbose_name = "Portal"
