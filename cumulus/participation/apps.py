from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "cumulus.participation"
    label = "participation"
    verbose_name = "Participation of 16-17 year olds in education, employment or training"
