"""The journey's writes, one module per stage; every transition is atomic, locks the row it
changes, records the change in the child's chronology and tells the referrer.

Import from here: ``from cumulus.casework.services import front_door_decide``.
"""

from cumulus.casework.services._common import (
    DatesOutOfOrderError,
    NotAllowedError,
    TransitionRefusedError,
)
from cumulus.casework.services.child_protection import (
    child_protection_plan_start,
    initial_conference_record,
    looked_after_start,
)
from cumulus.casework.services.early_help import (
    early_help_assessment_complete,
    early_help_step_up,
    early_help_take_on,
    team_member_add,
)
from cumulus.casework.services.front_door import (
    FRONT_DOOR_ROLE,
    REFERRAL_SOURCE_BY_AGENCY,
    ContactAlreadyDecidedError,
    concern_dsl_review,
    concern_record,
    front_door_decide,
)
from cumulus.casework.services.plans import (
    plan_measure_link,
    plan_outcome_add,
    plan_outcome_update,
    plan_review_record,
    plan_statement_add,
    plan_step_down,
    referral_close_now,
)
from cumulus.casework.services.statutory import (
    child_and_family_assessment_complete,
    section_47_complete,
    social_worker_allocate,
    strategy_discussion_record,
)

__all__ = [
    "FRONT_DOOR_ROLE",
    "REFERRAL_SOURCE_BY_AGENCY",
    "ContactAlreadyDecidedError",
    "DatesOutOfOrderError",
    "NotAllowedError",
    "TransitionRefusedError",
    "child_and_family_assessment_complete",
    "child_protection_plan_start",
    "concern_dsl_review",
    "concern_record",
    "early_help_assessment_complete",
    "early_help_step_up",
    "early_help_take_on",
    "front_door_decide",
    "initial_conference_record",
    "looked_after_start",
    "plan_measure_link",
    "plan_outcome_add",
    "plan_outcome_update",
    "plan_review_record",
    "plan_statement_add",
    "plan_step_down",
    "referral_close_now",
    "section_47_complete",
    "social_worker_allocate",
    "strategy_discussion_record",
    "team_member_add",
]
