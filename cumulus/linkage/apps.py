from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "cumulus.linkage"
    verbose_name = "Record linkage"
