from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "cumulus.training"
    label = "training"
    verbose_name = "Training and 7-minute briefings"
