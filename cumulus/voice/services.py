"""Writing a voice record: the child's words (and how gathered) and the parents' feedback."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.casework.models import Plan, Review
from cumulus.chronology.models import Significance
from cumulus.chronology.services import chronology_event_record
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.people.models import Child
from cumulus.voice.models import GatheredBy, VoiceMoment, VoiceRecord
from cumulus.voice.policies import can_record_voice


class VoiceNotAllowedError(CumulusError):
    """The practitioner may not record the voice of this child."""


@transaction.atomic
def voice_record(
    *,
    actor: User,
    child: Child,
    moment: VoiceMoment | str,
    recorded_on: dt.date,
    childs_words: str = "",
    gathered_by: GatheredBy | str = "",
    language: str = "",
    parents_feedback: str = "",
    plan: Plan | None = None,
    review: Review | None = None,
) -> VoiceRecord:
    """Record what the child and family said at one moment of the journey."""
    if not can_record_voice(actor, child):
        raise VoiceNotAllowedError("You can only record the voice of a child you work with")
    assert actor.agency is not None
    errors: dict[str, str] = {}
    if moment not in VoiceMoment.values:
        errors["moment"] = "Choose when the voice was heard"
    if recorded_on > clock.today():
        errors["recorded_on"] = "The date must be today or in the past"
    words, feedback = childs_words.strip(), parents_feedback.strip()
    if not words and not feedback:
        errors["childs_words"] = "Record the child's words, the parents' feedback, or both"
    if words and gathered_by not in GatheredBy.values:
        errors["gathered_by"] = "Say how the child's words were gathered"
    if not words and gathered_by:
        errors["gathered_by"] = "Record the child's words as well as how they were gathered"
    if gathered_by == GatheredBy.INTERPRETER and not language.strip():
        errors["language"] = "Give the language the interpreter used"
    if review is not None:
        if plan is None:
            plan = review.plan
        elif review.plan_id != plan.pk:
            errors["review"] = "That review belongs to another plan"
    if plan is not None and plan.child_id != child.pk:
        errors["plan"] = "That plan is for another child"
    if errors:
        raise ValidationError(errors)
    record = VoiceRecord(
        child=child,
        plan=plan,
        review=review,
        moment=moment,
        recorded_on=recorded_on,
        recorded_by=actor,
        agency=actor.agency,
        childs_words=words,
        gathered_by=gathered_by if words else "",
        language=language.strip(),
        parents_feedback=feedback,
    )
    record.full_clean()
    record.save()
    heard = " and ".join(
        part for part in ("the child" if words else "", "parents" if feedback else "") if part
    )
    chronology_event_record(
        actor=actor,
        child=child,
        agency=actor.agency,
        event_type="voice.recorded",
        occurred_at=clock.now(),
        summary=f"Voice of {heard} recorded at {record.get_moment_display().lower()}",
        significance=Significance.LOW,
        source_reference=f"voice:{record.pk}",
    )
    return record
