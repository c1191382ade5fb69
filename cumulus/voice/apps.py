from django.apps import AppConfig


class VoiceConfig(AppConfig):
    name = "cumulus.voice"
    label = "voice"
    verbose_name = "Voice of the child and family"
