"""The service menu: which of its links a signed-in person gets, from the same policies that
guard the pages (a context processor, so templates test named flags, never role strings)::

    {% if menu.imports %}<li>...Imports...</li>{% endif %}
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest

from cumulus.accounts.models import Role, User
from cumulus.accounts.policies import can_end_sessions
from cumulus.actionplan.policies import can_view_action_plan
from cumulus.governance.policies import can_produce_governance_report
from cumulus.interchange.policies import can_view_import_reports
from cumulus.learning.policies import can_view_learning
from cumulus.rights.policies import can_handle_rights_requests
from cumulus.supervision.policies import can_see_oversight_list


@dataclass(frozen=True)
class Menu:
    imports: bool
    front_door: bool
    oversight: bool
    rights: bool
    sign_someone_out: bool
    action_plan: bool
    learning: bool
    governance: bool


def menu_for(user: User) -> Menu:
    return Menu(
        imports=can_view_import_reports(user),
        front_door=user.role == Role.FRONT_DOOR_DECISION_MAKER,
        oversight=can_see_oversight_list(user),
        rights=can_handle_rights_requests(user),
        sign_someone_out=can_end_sessions(user),
        action_plan=can_view_action_plan(user),
        learning=can_view_learning(user),
        governance=can_produce_governance_report(user),
    )


def navigation(request: HttpRequest) -> dict[str, Menu]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"menu": menu_for(user)}
