from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "cumulus.interchange"
    verbose_name = "Interchange: DfE returns, Annex A and agency feeds"
