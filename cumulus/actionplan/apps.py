from django.apps import AppConfig


class ActionPlanConfig(AppConfig):
    name = "cumulus.actionplan"
    label = "actionplan"
    verbose_name = "The strategy's action plan"
