"""Reads for instruments, filtered by what the viewer may see.

``instrument_comparison`` and ``instrument_comparisons`` are the ones other apps call (plans
and reviews show them)::

    from cumulus.instruments.selectors import instrument_comparison, instrument_comparisons
    view = instrument_comparison(viewer=user, child=child, instrument_id="neglect-screening")
    if view: view.summary, view.svg, view.rows
    # Every instrument the child has been assessed with, as the evidence stood on a date:
    views = instrument_comparisons(viewer=user, child=child, up_to=review.held_on)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from cumulus.accounts.models import User
from cumulus.instruments import policies
from cumulus.instruments.catalogue import registry
from cumulus.instruments.engine.compare import Comparison, Snapshot, chart_svg, compare
from cumulus.instruments.engine.registry import Instrument
from cumulus.instruments.models import AssessmentStatus, InstrumentAssessment, TrainedTool
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child

SIGNED = (AssessmentStatus.AWAITING_COUNTERSIGN, AssessmentStatus.COMPLETE)


def instrument_list(*, viewer: User) -> list[tuple[Instrument, bool]]:
    """Every instrument with whether the viewer may use it (training), by title."""
    instruments = sorted(registry().instruments.values(), key=lambda i: i.title)
    return [(i, policies.can_use_instrument(viewer, i.definition)) for i in instruments]


def current_assessments(
    *, child: Child, instrument_id: str | None = None, up_to: dt.date | None = None
) -> QuerySet[InstrumentAssessment]:
    """Signed-off assessments that no signed correction has replaced, newest first (only those
    assessed on or before ``up_to`` if given)."""
    rows = InstrumentAssessment.objects.filter(child_id=child.pk, status__in=SIGNED).exclude(
        corrected_by__status__in=SIGNED
    )
    if instrument_id:
        rows = rows.filter(instrument_id=instrument_id)
    if up_to is not None:
        rows = rows.filter(assessed_on__lte=up_to)
    return rows.select_related("author", "countersigned_by").order_by("-assessed_on", "-id")


def assessments_for_child(*, viewer: User, child: Child) -> dict[str, list[InstrumentAssessment]]:
    """The child's current assessments and the viewer's own drafts, for a child the viewer
    may see (``child`` comes through ``people.selectors.child_get``)."""
    drafts = InstrumentAssessment.objects.filter(
        child_id=child.pk, status=AssessmentStatus.DRAFT, author_id=viewer.pk
    ).order_by("-updated_at")
    return {"current": list(current_assessments(child=child)), "drafts": list(drafts)}


def assessment_get(*, viewer: User, assessment_id: int) -> InstrumentAssessment:
    """The assessment if the viewer may see it, else ``Http404`` as if it did not exist."""
    try:
        assessment = InstrumentAssessment.objects.select_related(
            "child__person", "author", "countersigned_by", "corrects"
        ).get(pk=assessment_id)
    except InstrumentAssessment.DoesNotExist:
        raise Http404("No assessment found") from None
    if not policies.can_view_assessment(viewer, assessment):
        raise Http404("No assessment found")
    return assessment


def assessment_history(*, assessment: InstrumentAssessment) -> list[InstrumentAssessment]:
    """Every signed version in the assessment's lineage, oldest first."""
    return list(
        InstrumentAssessment.objects.filter(lineage=assessment.lineage, status__in=SIGNED)
        .select_related("author")
        .order_by("version")
    )


@dataclass(frozen=True)
class ComparisonView:
    instrument_title: str
    comparison: Comparison
    svg: str
    summary: tuple[str, ...]
    assessments: list[InstrumentAssessment]

    @property
    def svg_html(self) -> SafeString:
        """The chart for a template: every text in it was escaped by the engine."""
        return mark_safe(self.svg)  # noqa: S308 - escaped in engine.compare.chart_svg

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """(domain label, value per assessment) for the accessible table."""
        return [
            (d.label, ["" if v is None else f"{v:g}" for v in d.values])
            for d in self.comparison.domains
        ]


def instrument_comparison(
    *, viewer: User, child: Child, instrument_id: str, up_to: dt.date | None = None
) -> ComparisonView | None:
    """Change across the child's repeat assessments with one instrument (``None`` if none);
    with ``up_to``, as the evidence stood on that date (a review shows what it was based on)."""
    if not can_view_child(viewer, child):
        raise Http404("No child found")
    assessments = list(current_assessments(child=child, instrument_id=instrument_id, up_to=up_to))[
        ::-1
    ]
    if not assessments:
        return None
    latest = assessments[-1]
    comparison = compare(
        latest.definition, [Snapshot(on=a.assessed_on, scores=a.scores) for a in assessments]
    )
    return ComparisonView(
        instrument_title=latest.instrument_title,
        comparison=comparison,
        svg=chart_svg(
            comparison,
            title=f"{latest.instrument_title}: scores over time",
            id_prefix=f"chart-{instrument_id}",
        ),
        summary=comparison.summary,
        assessments=assessments,
    )


def instrument_comparisons(
    *, viewer: User, child: Child, up_to: dt.date | None = None
) -> list[ComparisonView]:
    """One comparison per instrument the child has a signed-off assessment with, the most
    recently used instrument first: what a plan or review shows as evidence of change."""
    if not can_view_child(viewer, child):
        raise Http404("No child found")
    used: list[str] = []
    for instrument_id in current_assessments(child=child, up_to=up_to).values_list(
        "instrument_id", flat=True
    ):
        if instrument_id not in used:
            used.append(instrument_id)
    views = [
        instrument_comparison(viewer=viewer, child=child, instrument_id=i, up_to=up_to)
        for i in used
    ]
    return [v for v in views if v is not None]


def trained_tool_list() -> QuerySet[TrainedTool]:
    """Who is recorded as trained in which licensed tool."""
    return TrainedTool.objects.select_related("user", "recorded_by").order_by(
        "tool", "user__username"
    )


def extract_completed_assessments(*, since: dt.datetime | None) -> list[dict[str, Any]]:
    """Completed tool uses for the analytical extract (operational ids: it pseudonymises them).

    One row per lineage with a complete version, taken from its earliest complete version: a
    correction is the same use of the tool, not another. Only lineages with a version changed
    after ``since`` (every lineage if ``None``), so an incremental run reads what changed.
    """
    assessments = InstrumentAssessment.objects.filter(status=AssessmentStatus.COMPLETE)
    if since is not None:
        changed = InstrumentAssessment.objects.filter(updated_at__gt=since).values("lineage")
        assessments = assessments.filter(lineage__in=changed)
    first: dict[Any, dict[str, Any]] = {}
    for row in assessments.order_by("lineage", "version").values(
        "lineage", "child_id", "instrument_id", "assessed_on", "author_agency__agency_type"
    ):
        first.setdefault(row["lineage"], dict(row))
    return list(first.values())
