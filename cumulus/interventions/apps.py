from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "cumulus.interventions"
    label = "interventions"
    verbose_name = "Interventions and what works"
