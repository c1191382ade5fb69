from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "cumulus.synth"
    label = "synth"
    verbose_name = "Synthetic partnership"
