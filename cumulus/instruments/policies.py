"""Who may do what with instruments. Seeing a child is decided only by
``cumulus.people.policies``; these rules add the instrument's own conditions."""

from __future__ import annotations

from typing import Any

from cumulus.accounts.models import Role, User
from cumulus.instruments.models import AssessmentStatus, InstrumentAssessment, TrainedTool
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child

COUNTERSIGN_ROLES = frozenset({Role.TEAM_MANAGER, Role.DESIGNATED_SAFEGUARDING_LEAD})
GENOGRAM_EDITOR_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.EARLY_HELP_PRACTITIONER}
)
TRAINING_RECORDER_ROLES = frozenset(
    {Role.TEAM_MANAGER, Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
)


def is_trained_in(user: User, tool: str) -> bool:
    return TrainedTool.objects.filter(user_id=user.pk, tool=tool).exists()


def can_use_instrument(user: User, definition: dict[str, Any]) -> bool:
    """Anyone may use an instrument unless it needs training the user has not recorded."""
    tool = definition.get("requires_training")
    return tool is None or is_trained_in(user, str(tool))


def can_view_assessment(user: User, assessment: InstrumentAssessment) -> bool:
    """Drafts are their author's alone; completed assessments follow the child."""
    if assessment.status == AssessmentStatus.DRAFT and assessment.author_id != user.pk:
        return False
    return can_view_child(user, assessment.child)


def can_edit_assessment(user: User, assessment: InstrumentAssessment) -> bool:
    return (
        assessment.status == AssessmentStatus.DRAFT
        and assessment.author_id == user.pk
        and can_view_child(user, assessment.child)
    )


def can_countersign_assessment(user: User, assessment: InstrumentAssessment) -> bool:
    """A manager (not the author) who may see the child countersigns."""
    return (
        assessment.status == AssessmentStatus.AWAITING_COUNTERSIGN
        and user.role in COUNTERSIGN_ROLES
        and assessment.author_id != user.pk
        and can_view_child(user, assessment.child)
    )


def can_correct_assessment(user: User, assessment: InstrumentAssessment) -> bool:
    """Anyone who may use the instrument and see the child may correct a signed assessment."""
    return (
        assessment.status != AssessmentStatus.DRAFT
        and can_view_child(user, assessment.child)
        and can_use_instrument(user, assessment.definition)
    )


def can_record_training(user: User) -> bool:
    return user.is_authenticated and user.role in TRAINING_RECORDER_ROLES


def can_edit_relationships(user: User, child: Child) -> bool:
    """Social workers, early help lead practitioners and managers who may see the child correct
    the relationships the genogram is drawn from; everyone else sees it read-only."""
    return user.role in GENOGRAM_EDITOR_ROLES and can_view_child(user, child)
