from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "cumulus.indicators"
    label = "indicators"
    verbose_name = "Indicators"
