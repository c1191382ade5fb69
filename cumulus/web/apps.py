from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "cumulus.web"
    label = "web"
    verbose_name = "Web interface"
