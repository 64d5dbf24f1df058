from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "leitwerk.portal"
    label = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from leitwerk.plans.services import release_written

        from .receivers import enqueue_follower_mails

        release_written.connect(enqueue_follower_mails, dispatch_uid="portal-follower-mails")
        # The plain-language check is the portal's; forms of every stage show its score
        # beside their public-text fields through the kernel's hook (core/plain_language.py).
        from leitwerk.core import plain_language

        from .readability import TARGET_SCORE, analyse

        def score(text: str) -> plain_language.PlainLanguageScore:
            result = analyse(text)
            return plain_language.PlainLanguageScore(
                score=result.score,
                band=result.band,
                target=TARGET_SCORE,
                hints=tuple(result.hints),
            )

        plain_language.register(analyse=score, check_url_name="portal_workspace:readability")
