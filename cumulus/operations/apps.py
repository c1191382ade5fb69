from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "cumulus.operations"
    label = "operations"
    verbose_name = "Operations: health, metrics, task queue, backups"

    def ready(self) -> None:
        # Register operations' own tasks with the entry-point registry.
        from cumulus.operations import tasks  # noqa: F401
