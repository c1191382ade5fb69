from django.apps import AppConfig


class CodelistsConfig(AppConfig):
    name = "cumulus.codelists"
    label = "codelists"
    verbose_name = "Code lists"
