from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "cumulus.escalation"
    label = "escalation"
    verbose_name = "Escalation of professional disagreement"
