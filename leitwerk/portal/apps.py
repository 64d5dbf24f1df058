from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "leitwerk.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from leitwerk.plans.services import release_written

        from .receivers import enqueue_follower_mails

        release_written.connect(enqueue_follower_mails, dispatch_uid="portal-follower-mails")
