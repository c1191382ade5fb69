"""Writes for the Continuum of Need: the practitioner's decision, stored with the suggestion."""

from __future__ import annotations

from django.db import transaction

from cumulus.accounts.models import User
from cumulus.core.errors import CumulusError
from cumulus.people.models import Child
from cumulus.thresholds.models import ThresholdDecision
from cumulus.thresholds.policies import can_record_threshold_decision
from cumulus.thresholds.selectors import Continuum, continuum_get, suggestion_for_child


class ThresholdDecisionError(CumulusError):
    pass


@transaction.atomic
def threshold_decision_record(
    *,
    actor: User,
    child: Child,
    decided_level: int,
    reason: str,
    continuum: Continuum | None = None,
) -> ThresholdDecision:
    """Compute the suggestion now and store it beside the practitioner's level and reason."""
    if not can_record_threshold_decision(actor, child):
        raise ThresholdDecisionError("You cannot record a decision for this child")
    config = continuum or continuum_get()
    levels = {lv["level"] for lv in config.levels}
    if decided_level not in levels:
        raise ThresholdDecisionError(f"Choose one of the levels {sorted(levels)}")
    reason = reason.strip()
    if not reason:
        raise ThresholdDecisionError("Say why you decided this level")
    suggestion, facts = suggestion_for_child(child=child, continuum=config)
    if decided_level != suggestion.level and len(reason) < 20:
        raise ThresholdDecisionError(
            "Your level differs from the suggestion: explain why in a sentence or more"
        )
    decision = ThresholdDecision(
        child=child,
        continuum_id=config.data["id"],
        continuum_version=config.data["version"],
        continuum_sha256=config.sha256,
        suggested_level=suggestion.level,
        suggested_indicators=[m.as_json() for m in suggestion.matches],
        facts=facts.as_json(),
        decided_level=decided_level,
        reason=reason,
        decided_by=actor,
    )
    decision.full_clean()
    decision.save()
    return decision
