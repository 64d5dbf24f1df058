from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "leitwerk.feedback"
    label = "feedback"
    verbose_name = "Rückmeldung"
