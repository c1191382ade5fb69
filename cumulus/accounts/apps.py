from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cumulus.accounts"
    label = "accounts"
    verbose_name = "Agencies and practitioners"
