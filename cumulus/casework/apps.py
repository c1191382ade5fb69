from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "cumulus.casework"
    label = "casework"
    verbose_name = "Casework"

    def ready(self) -> None:
        from cumulus.casework import checks  # noqa: F401 - registers the timescales check
