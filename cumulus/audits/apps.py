from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "cumulus.audits"
    label = "audits"
    verbose_name = "Multi-agency audits"
