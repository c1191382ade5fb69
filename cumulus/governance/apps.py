from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "cumulus.governance"
    label = "governance"
    verbose_name = "Governance report"
