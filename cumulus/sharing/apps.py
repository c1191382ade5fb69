from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "cumulus.sharing"
    label = "sharing"
    verbose_name = "Information sharing"
