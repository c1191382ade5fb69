"""What the partnership adds around computed indicators: commentary and neighbours' figures.

Indicator values themselves are not stored here: they are computed from the analytical extract
(``cumulus.analytics``) whenever they are shown, so they always match their definition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core.models import TimeStampedModel


class Commentary(TimeStampedModel):
    """The business unit's commentary on one indicator for one month of the booklet."""

    indicator = models.CharField(max_length=80)
    month = models.DateField(help_text="The first day of the month.")
    text = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "month"], name="indicators_commentary_one")
        ]


class CommentaryRevision(TimeStampedModel):
    """One saved text of a commentary, kept so the business unit can see who wrote what when."""

    commentary = models.ForeignKey(Commentary, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]


class NeighbourFigure(TimeStampedModel):
    """A statistical neighbour's published figure that the partnership added itself."""

    indicator = models.CharField(max_length=80)
    authority = models.CharField(max_length=120)
    year = models.CharField(max_length=20, help_text="e.g. 2024-25")
    value = models.FloatField()
    source = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "authority", "year"], name="indicators_neighbour_one"
            )
        ]
