from django.apps import AppConfig


class BudgetConfig(AppConfig):
    name = "leitwerk.budget"
    label = "budget"
    verbose_name = "Produkthaushalt"
