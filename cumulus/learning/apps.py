from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cumulus.learning"
    label = "learning"
    verbose_name = "Learning from reviews"
