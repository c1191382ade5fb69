"""Learning writes: a review, its recommendations, their cross-references and status. Each is
atomic and checks that every aim and action item belongs to the review's strategy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from cumulus.accounts.models import User
from cumulus.actionplan.models import ActionItem
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.learning.models import Recommendation, RecommendationStatus, Review, ReviewKind
from cumulus.learning.policies import can_manage_learning
from cumulus.strategy.models import Strategy, StrategyAim


class LearningNotAllowedError(CumulusError):
    """Only the business unit records reviews and recommendations."""


def _check(actor: User) -> None:
    if not can_manage_learning(actor):
        raise LearningNotAllowedError("Only the business unit records learning from reviews")


@transaction.atomic
def review_create(
    *,
    actor: User,
    strategy: Strategy,
    kind: str,
    title: str,
    published_on: dt.date,
    summary: str = "",
    features_neglect: bool = False,
) -> Review:
    _check(actor)
    errors: dict[str, str] = {}
    if kind not in ReviewKind.values:
        errors["kind"] = "Choose the kind of review"
    if not title.strip():
        errors["title"] = "Give the review's title"
    if published_on > clock.today():
        errors["published_on"] = "The publication date cannot be in the future"
    if errors:
        raise ValidationError(errors)
    return Review.objects.create(
        strategy=strategy,
        kind=kind,
        title=title.strip(),
        published_on=published_on,
        summary=summary.strip(),
        features_neglect=features_neglect,
        created_by=actor,
    )


def _cross_reference_errors(
    review: Review, aims: Iterable[StrategyAim], action_items: Iterable[ActionItem]
) -> dict[str, str]:
    errors = {}
    if any(a.strategy_id != review.strategy_id for a in aims):
        errors["aims"] = "Choose aims of the review's strategy"
    if any(i.strategy_id != review.strategy_id for i in action_items):
        errors["action_items"] = "Choose items of the review's strategy's action plan"
    return errors


@transaction.atomic
def recommendation_add(
    *,
    actor: User,
    review: Review,
    text: str,
    status: str = RecommendationStatus.NOT_STARTED,
    aims: Iterable[StrategyAim] = (),
    action_items: Iterable[ActionItem] = (),
) -> Recommendation:
    """Add the review's next recommendation with its cross-references."""
    _check(actor)
    aims, action_items = list(aims), list(action_items)
    errors = _cross_reference_errors(review, aims, action_items)
    if not text.strip():
        errors["text"] = "Give the recommendation's text"
    if status not in RecommendationStatus.values:
        errors["status"] = "Choose a status"
    if errors:
        raise ValidationError(errors)
    Review.objects.select_for_update().filter(pk=review.pk).first()
    last = review.recommendations.aggregate(n=Max("number"))["n"] or 0
    rec = Recommendation.objects.create(
        review=review, number=last + 1, text=text.strip(), status=status
    )
    rec.aims.set(aims)
    rec.action_items.set(action_items)
    return rec


@transaction.atomic
def recommendation_cross_reference(
    *,
    actor: User,
    recommendation: Recommendation,
    status: str,
    aims: Iterable[StrategyAim],
    action_items: Iterable[ActionItem],
) -> Recommendation:
    """Replace the recommendation's aims and action items, and set its status."""
    _check(actor)
    aims, action_items = list(aims), list(action_items)
    errors = _cross_reference_errors(recommendation.review, aims, action_items)
    if status not in RecommendationStatus.values:
        errors["status"] = "Choose a status"
    if errors:
        raise ValidationError(errors)
    recommendation.status = status
    recommendation.save()
    recommendation.aims.set(aims)
    recommendation.action_items.set(action_items)
    return recommendation
