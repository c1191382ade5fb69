from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cumulus.audit"
    label = "audit"
    verbose_name = "Access log"
