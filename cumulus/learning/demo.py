"""Synthetic learning for the demo and the report tests: a rapid review, a local child
safeguarding practice review and a serious case review about fictional families, each with
recommendations cross-referenced to the strategy's aims and to action plan items."""

from __future__ import annotations

import datetime as dt
import random

from cumulus.accounts.models import User
from cumulus.actionplan.models import ActionItem
from cumulus.core import clock
from cumulus.learning.models import RecommendationStatus, Review, ReviewKind
from cumulus.learning.services import recommendation_add, review_create
from cumulus.strategy.models import Strategy

REVIEWS = [
    (
        ReviewKind.RAPID_REVIEW,
        "Rapid review: Child R (synthetic)",
        "A toddler's missed health appointments were not linked to the home's condition.",
        [
            "Health services treat repeated missed appointments as a possible sign of neglect.",
            "Share the early help plan with the health visitor at every change.",
        ],
    ),
    (
        ReviewKind.LCSPR,
        "Practice review: the Hill family (synthetic)",
        "Neglect of three siblings over years; each agency saw only part of the picture.",
        [
            "Use the graded care tool at the start and end of every neglect plan.",
            "Record the children's own words about a day in their life in each assessment.",
            "Set up multi-agency supervision for long-running neglect cases.",
        ],
    ),
    (
        ReviewKind.SCR,
        "Serious case review: Young person T (synthetic)",
        "An adolescent's neglect was seen as behaviour; risks outside the home were missed.",
        [
            "Train staff to recognise neglect in adolescents, not only in young children.",
            "The board reviews every agency's ability to deliver the neglect strategy.",
        ],
    ),
]


def load_demo_learning(
    *,
    strategy: Strategy,
    actor: User,
    items: list[ActionItem],
    seed: int = 2026,
    today: dt.date | None = None,
) -> list[Review]:
    rng = random.Random(f"learning:{strategy.slug}:{seed}")  # noqa: S311 - demo data
    today = today or clock.today()
    aims = list(strategy.aims.filter(withdrawn=False))
    statuses = list(RecommendationStatus.values)
    reviews = []
    for n, (kind, title, summary, recommendations) in enumerate(REVIEWS):
        review = review_create(
            actor=actor,
            strategy=strategy,
            kind=kind,
            title=title,
            published_on=today - dt.timedelta(days=30 + 120 * n + rng.randint(0, 20)),
            summary=summary,
            features_neglect=True,  # every demo review is about neglect
        )
        for text in recommendations:
            linked_aims = rng.sample(aims, k=min(len(aims), rng.randint(1, 2)))
            linked_items = rng.sample(items, k=min(len(items), rng.randint(0, 2)))
            recommendation_add(
                actor=actor,
                review=review,
                text=text,
                status=rng.choice(statuses),
                aims=linked_aims,
                action_items=linked_items,
            )
        reviews.append(review)
    return reviews
