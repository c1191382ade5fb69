"""Learning reads: reviews, recommendations and the recommendation-by-aim matrix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cumulus.learning.models import Recommendation, Review, ReviewKind
from cumulus.learning.policies import can_view_learning
from cumulus.strategy.models import Strategy, StrategyAim

# The extract's review kinds: a rapid review, or a practice review that followed one (a local
# child safeguarding practice review, or a serious case review before 2018). National reviews
# and scrutiny reports are not the partnership's own reviews of a case, so are not counted.
EXTRACT_KINDS: dict[str, str] = {
    ReviewKind.RAPID_REVIEW: "rapid_review",
    ReviewKind.LCSPR: "cspr",
    ReviewKind.SCR: "cspr",
}


def extract_reviews() -> list[dict[str, Any]]:
    """The partnership's reviews of cases, with the extract's kind (operational ids)."""
    return [
        {**r, "kind": EXTRACT_KINDS[r["kind"]]}
        for r in Review.objects.filter(kind__in=list(EXTRACT_KINDS)).values(
            "id", "kind", "published_on", "features_neglect"
        )
    ]


def review_list(*, strategy: Strategy) -> QuerySet[Review]:
    return Review.objects.filter(strategy=strategy).prefetch_related("recommendations")


def review_get(*, viewer: Any, review_id: int) -> Review:
    review = Review.objects.select_related("strategy").filter(pk=review_id).first()
    if review is None or not can_view_learning(viewer):
        raise Http404
    return review


def recommendation_get(*, viewer: Any, recommendation_id: int) -> Recommendation:
    rec = (
        Recommendation.objects.select_related("review__strategy")
        .filter(pk=recommendation_id)
        .first()
    )
    if rec is None or not can_view_learning(viewer):
        raise Http404
    return rec


def recommendation_list(*, strategy: Strategy) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(review__strategy=strategy)
        .select_related("review")
        .prefetch_related("aims", "action_items")
        .order_by("-review__published_on", "review_id", "number")
    )


@dataclass(frozen=True)
class MatrixRow:
    recommendation: Recommendation
    marks: list[bool]  # one per aim, in the strategy's order
    action_items: list[Any]


def recommendation_matrix(*, strategy: Strategy) -> tuple[list[StrategyAim], list[MatrixRow]]:
    """Recommendation x aim, as Norfolk's Appendix 1 cross-references them."""
    aims = list(StrategyAim.objects.filter(strategy=strategy, withdrawn=False))
    rows = []
    for rec in recommendation_list(strategy=strategy):
        linked = {a.pk for a in rec.aims.all()}
        rows.append(
            MatrixRow(
                recommendation=rec,
                marks=[a.pk in linked for a in aims],
                action_items=list(rec.action_items.all()),
            )
        )
    return aims, rows
