"""Reads of the voice of the child, and counts for audits and indicators.

``voice_counts`` answers "what share of plans and reviews have the child's voice recorded?"
for a period; it returns numbers only, so an analyst may see it partnership-wide::

    counts = voice_counts(viewer=analyst, start=dt.date(2025, 4, 1), end=dt.date(2026, 3, 31))
    counts.plans_with_voice / counts.plans   # share of plans with the child's voice
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from cumulus.accounts.models import Role, User
from cumulus.casework.models import Plan, Review
from cumulus.people.models import Child
from cumulus.people.policies import visible_children
from cumulus.voice.models import GatheredBy, VoiceMoment, VoiceRecord


def voice_for_child(*, child: Child) -> QuerySet[VoiceRecord]:
    return (
        VoiceRecord.objects.filter(child_id=child.pk)
        .select_related("recorded_by", "agency", "plan")
        .order_by("-recorded_on", "-pk")
    )


@dataclass(frozen=True)
class VoiceCounts:
    start: dt.date
    end: dt.date
    plans: int
    plans_with_voice: int
    reviews: int
    reviews_with_voice: int
    records: int
    records_with_parents_feedback: int
    by_moment: dict[str, int] = field(default_factory=dict)
    by_method: dict[str, int] = field(default_factory=dict)

    @property
    def plan_share(self) -> float | None:
        return self.plans_with_voice / self.plans if self.plans else None

    @property
    def review_share(self) -> float | None:
        return self.reviews_with_voice / self.reviews if self.reviews else None


def _scope(viewer: User) -> QuerySet[Child] | None:
    """``None`` (everyone, counts only) for an analyst; otherwise the viewer's children."""
    if viewer.role == Role.PARTNERSHIP_ANALYST:
        return None
    return visible_children(user=viewer)


def voice_counts(*, viewer: User, start: dt.date, end: dt.date) -> VoiceCounts:
    """Plans open at some point in ``start``..``end`` and reviews held in it, with how many
    have the child's own words recorded (on the plan, or on that review); records in the
    period by moment and by how the words were gathered."""
    if end < start:
        raise ValueError("The period must end on or after it starts")
    scope = _scope(viewer)
    plans = Plan.objects.filter(started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    reviews = Review.objects.filter(held_on__gte=start, held_on__lte=end)
    records = VoiceRecord.objects.filter(recorded_on__gte=start, recorded_on__lte=end)
    if scope is not None:
        plans = plans.filter(child__in=scope)
        reviews = reviews.filter(plan__child__in=scope)
        records = records.filter(child__in=scope)
    with_words = VoiceRecord.objects.exclude(childs_words="")
    plan_ids = with_words.filter(plan__isnull=False).values("plan_id")
    review_ids = with_words.filter(review__isnull=False).values("review_id")
    moments = dict(VoiceMoment.choices)
    methods = dict(GatheredBy.choices)
    by_moment = {
        str(moments[row["moment"]]): row["n"]
        for row in records.values("moment").annotate(n=Count("pk")).order_by("moment")
    }
    by_method = {
        str(methods[row["gathered_by"]]): row["n"]
        for row in records.exclude(gathered_by="")
        .values("gathered_by")
        .annotate(n=Count("pk"))
        .order_by("gathered_by")
    }
    return VoiceCounts(
        start=start,
        end=end,
        plans=plans.count(),
        plans_with_voice=plans.filter(pk__in=plan_ids).count(),
        reviews=reviews.count(),
        reviews_with_voice=reviews.filter(pk__in=review_ids).count(),
        records=records.count(),
        records_with_parents_feedback=records.exclude(parents_feedback="").count(),
        by_moment=by_moment,
        by_method=by_method,
    )
