from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "cumulus.strategy"
    label = "strategy"
    verbose_name = "The partnership's strategy"
