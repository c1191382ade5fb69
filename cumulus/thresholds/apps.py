from django.apps import AppConfig


class ThresholdsConfig(AppConfig):
    name = "cumulus.thresholds"
    label = "thresholds"
    verbose_name = "Continuum of Need"
