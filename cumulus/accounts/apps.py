from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cumulus.accounts"
    label = "accounts"
    verbose_name = "Agencies and practitioners"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from cumulus.accounts.middleware import session_clock_start

        user_logged_in.connect(session_clock_start, dispatch_uid="cumulus-session-clock")
