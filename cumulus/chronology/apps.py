from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "cumulus.chronology"
    label = "chronology"
    verbose_name = "Chronology"
