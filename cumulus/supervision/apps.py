from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "cumulus.supervision"
    label = "supervision"
    verbose_name = "Supervision and management oversight"
