from django.apps import AppConfig


class EarlyWarningsConfig(AppConfig):
    name = "cumulus.early_warnings"
    label = "early_warnings"
    verbose_name = "Early warnings"
