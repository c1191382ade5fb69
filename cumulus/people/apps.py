from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "cumulus.people"
    label = "people"
    verbose_name = "Children and families"
