"""Learning from reviews in the governance report: the reviews, their recommendations'
status, and the recommendation-by-aim cross-reference (Norfolk's Appendix 1)."""

from __future__ import annotations

from cumulus.governance.sections import BarChart, GovernanceSection, ReportPeriod, Table
from cumulus.learning.models import Recommendation, RecommendationStatus, Review
from cumulus.learning.selectors import recommendation_matrix
from cumulus.strategy.selectors import strategy_get


def governance_section(period: ReportPeriod, strategy_slug: str) -> GovernanceSection:
    strategy = strategy_get(slug=strategy_slug)
    reviews = list(Review.objects.filter(strategy=strategy, published_on__lte=period.end))
    new = [r for r in reviews if r.published_on >= period.start]
    recs = list(Recommendation.objects.filter(review__in=reviews).select_related("review"))
    aims, rows = recommendation_matrix(strategy=strategy)
    rows = [row for row in rows if row.recommendation.review in reviews]
    status_counts = [sum(1 for r in recs if r.status == s) for s in RecommendationStatus.values]
    unlinked = sum(1 for row in rows if not any(row.marks))
    return GovernanceSection(
        key="learning",
        title="Learning from reviews",
        summary=[
            f"{len(reviews)} review{'s' if len(reviews) != 1 else ''} with {len(recs)} "
            f"recommendation{'s' if len(recs) != 1 else ''}; "
            f"{len(new)} published in {period.label}.",
            f"{unlinked} recommendation{'s are' if unlinked != 1 else ' is'} not yet "
            "cross-referenced to a strategic aim.",
        ],
        tables=[
            Table(
                title="Reviews",
                headers=["Review", "Kind", "Published", "Recommendations"],
                rows=[
                    [
                        r.title,
                        r.get_kind_display(),
                        r.published_on.isoformat(),
                        sum(1 for x in recs if x.review_id == r.pk),
                    ]
                    for r in reviews
                ],
            ),
            Table(
                title="Recommendations cross-referenced with strategic aims",
                headers=[
                    "Review",
                    "No.",
                    "Recommendation",
                    *[a.code for a in aims],
                    "Action plan items",
                    "Status",
                ],
                rows=[
                    [
                        row.recommendation.review.title,
                        row.recommendation.number,
                        row.recommendation.text,
                        *("X" if m else "" for m in row.marks),
                        len(row.action_items),
                        row.recommendation.get_status_display(),
                    ]
                    for row in rows
                ],
            ),
        ],
        charts=[
            BarChart(
                title="Recommendations by status",
                categories=[s.label for s in RecommendationStatus],
                values=[float(v) for v in status_counts],
                unit="recommendations",
            )
        ],
    )
