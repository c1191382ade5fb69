"""Who may see and answer an alert: its recipients, and anyone else who may see the child."""

from __future__ import annotations

from cumulus.accounts.models import User
from cumulus.early_warnings.models import Alert
from cumulus.people.policies import visible_children


def can_view_alert(user: User, alert: Alert) -> bool:
    return visible_children(user=user).filter(pk=alert.child_id).exists()


def can_respond_to_alert(user: User, alert: Alert) -> bool:
    return can_view_alert(user, alert)
