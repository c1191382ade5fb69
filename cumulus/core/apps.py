from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "cumulus.core"
    label = "core"
    verbose_name = "Shared kernel"
