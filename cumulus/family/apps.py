from django.apps import AppConfig


class FamilyConfig(AppConfig):
    name = "cumulus.family"
    label = "family"
    verbose_name = "The family's view"
