from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "cumulus.casework"
    label = "casework"
    verbose_name = "Casework"
