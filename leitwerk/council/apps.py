from django.apps import AppConfig


class CouncilConfig(AppConfig):
    name = "leitwerk.council"
    label = "council"
    verbose_name = "Rat und Beschlusskontrolle"

    def ready(self) -> None:
        from leitwerk.core import slots

        from .slots import initiative_decisions, round_decisions

        # The Vorhaben and the priority list show their real decision (layers: plans and
        # priorities may not import this app, so they offer a slot).
        slots.register("initiative_detail", initiative_decisions)
        slots.register("priority_round_detail", round_decisions)
