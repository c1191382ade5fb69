from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "cumulus.instruments"
    label = "instruments"
    verbose_name = "Instruments"
