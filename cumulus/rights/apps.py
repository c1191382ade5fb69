from django.apps import AppConfig


class RightsConfig(AppConfig):
    """The child's rights over their record: subject access, retention and erasure,
    rectification and restriction."""

    name = "cumulus.rights"
    default_auto_field = "django.db.models.BigAutoField"
