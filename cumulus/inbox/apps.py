from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "cumulus.inbox"
    label = "inbox"
    verbose_name = "Inbox"
