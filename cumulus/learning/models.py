"""Reviews (rapid reviews, local child safeguarding practice reviews, serious case reviews) and
their recommendations, each cross-referenced to the strategy's aims and the action plan items
it drives (Norfolk's Appendix 1 is the matrix of recommendations by aim).

A review names no child: it is the published learning, not the case record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core.models import TimeStampedModel


class ReviewKind(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    LCSPR = "lcspr", "Local child safeguarding practice review"
    SCR = "scr", "Serious case review"
    NATIONAL = "national", "National review or thematic analysis"
    SCRUTINY = "scrutiny", "Independent scrutiny report"


class RecommendationStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    EVIDENCED = "evidenced", "Implemented and impact evidenced"


class Review(TimeStampedModel):
    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200)
    published_on = models.DateField()
    summary = models.TextField(blank=True)
    # Whether neglect featured in the case: counted by the indicator learning_reviews_neglect.
    features_neglect = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Recommendation(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField()
    text = models.TextField()
    status = models.CharField(
        max_length=20,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.NOT_STARTED,
    )
    aims = models.ManyToManyField("strategy.StrategyAim", blank=True, related_name="+")
    action_items = models.ManyToManyField(
        "actionplan.ActionItem", blank=True, related_name="recommendations"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number")
        ]

    def __str__(self) -> str:
        return f"{self.review.title}, recommendation {self.number}"
