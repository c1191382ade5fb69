from django.apps import AppConfig


def _access_log_chain_verifies() -> None:
    """After a restore, the access log's hash chain must still verify end to end."""
    from cumulus.audit.chain import verify_chain
    from cumulus.operations.backup import BackupError

    report = verify_chain()
    if not report.intact:
        first = report.breaks[0]
        raise BackupError(
            f"The restored access log's hash chain is broken at sequence {first.sequence}: "
            f"{first.problem}"
        )


class OperationsConfig(AppConfig):
    name = "cumulus.operations"
    label = "operations"
    verbose_name = "Operations: health, metrics, task queue, backups"

    def ready(self) -> None:
        # Register operations' own tasks with the entry-point registry.
        from cumulus.operations import tasks  # noqa: F401
        from cumulus.operations.backup import register_restore_check

        register_restore_check("access log hash chain", _access_log_chain_verifies)
