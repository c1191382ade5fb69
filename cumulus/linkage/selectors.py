"""Reads for linkage: the register of children as a table, the review queue, histories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from cumulus.accounts.models import User
from cumulus.linkage import policies
from cumulus.linkage.models import (
    LinkageModel,
    LinkDecision,
    ReviewItem,
    ReviewStatus,
    SourceRecord,
)
from cumulus.people.models import Child, HouseholdMembership

if TYPE_CHECKING:
    import pyarrow as pa

# pyarrow (and the engine) are imported where a table is built, not when the web app starts.


def active_model() -> LinkageModel | None:
    return LinkageModel.objects.filter(is_active=True).first()


def register_table(*, child_ids: list[int] | None = None) -> pa.Table:
    """Every child (not archived) as a linkage input, with their current household's postcode.

    This is the register new agency records are matched against. Two queries, no per-child
    work, so a few hundred thousand children load in seconds.
    """
    import pyarrow as pa

    children = Child.objects.filter(person__is_archived=False)
    if child_ids is not None:
        children = children.filter(pk__in=child_ids)
    rows = list(
        children.values_list(
            "pk",
            "person__given_name",
            "person__family_name",
            "person__date_of_birth",
            "person__sex",
            "nhs_number",
            "upn",
        )
    )
    postcodes: dict[int, str] = {}
    memberships = HouseholdMembership.objects.filter(ended_on__isnull=True).order_by("started_on")
    if child_ids is not None:
        memberships = memberships.filter(person_id__in=child_ids)
    for person_id, postcode in memberships.values_list("person_id", "household__postcode"):
        postcodes[person_id] = postcode
    columns: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in range(7)]
    return pa.table(
        {
            "unique_id": pa.array([str(pk) for pk in columns[0]], pa.string()),
            "forename": pa.array(columns[1], pa.string()),
            "surname": pa.array(columns[2], pa.string()),
            "date_of_birth": pa.array(columns[3], pa.date32()),
            "sex": pa.array(columns[4], pa.string()),
            "postcode": pa.array([postcodes.get(pk) for pk in columns[0]], pa.string()),
            "nhs_number": pa.array(columns[5], pa.string()),
            "upn": pa.array(columns[6], pa.string()),
        }
    )


def child_postcode(child_id: int) -> str:
    """The postcode of the child's current household ('' if none), for the review page.

    A confidential address's postcode is not shown to the reviewer (who is matching another
    agency's record): the page says it is confidential instead.
    """
    from cumulus.people.policies import CONFIDENTIAL_ADDRESS

    household = (
        HouseholdMembership.objects.filter(person_id=child_id, ended_on__isnull=True)
        .order_by("-started_on")
        .values_list("household__postcode", "household__is_confidential")
        .first()
    )
    if household is None:
        return ""
    postcode, confidential = household
    return CONFIDENTIAL_ADDRESS if confidential else postcode or ""


def records_table(records: list[SourceRecord]) -> pa.Table:
    """Agency records as a linkage input, keyed by their database id."""
    import pyarrow as pa

    def text(values: list[str]) -> pa.Array:
        return pa.array([value or None for value in values], pa.string())

    return pa.table(
        {
            "unique_id": pa.array([str(r.pk) for r in records], pa.string()),
            "forename": text([r.forename for r in records]),
            "surname": text([r.surname for r in records]),
            "date_of_birth": pa.array([r.date_of_birth for r in records], pa.date32()),
            "sex": text([r.sex for r in records]),
            "postcode": text([r.postcode for r in records]),
            "address": text([r.address for r in records]),
            "nhs_number": text([r.nhs_number for r in records]),
            "upn": text([r.upn for r in records]),
        }
    )


def review_queue(*, viewer: User) -> QuerySet[ReviewItem]:
    """Pairs waiting for a decision (open, then unsure), strongest first; empty for viewers
    who may not review. ``candidate_restricted``: the candidate's record is restricted from the
    viewer, so the queue names no one (the pair's page says whom to ask)."""
    from django.db.models import Exists, OuterRef

    from cumulus.people.policies import restrictions_hiding_from

    if not policies.can_review_pairs(viewer):
        return ReviewItem.objects.none()
    hidden = restrictions_hiding_from(user=viewer).filter(child_id=OuterRef("candidate_id"))
    return (
        ReviewItem.objects.filter(status__in=[ReviewStatus.OPEN, ReviewStatus.UNSURE])
        .annotate(candidate_restricted=Exists(hidden))
        .select_related("record", "candidate__person", "model")
        .order_by("status", "-match_probability", "pk")
    )


def review_item_get(*, viewer: User, pk: int) -> ReviewItem:
    """One review item, or ``ReviewItem.DoesNotExist`` for viewers who may not review."""
    if not policies.can_review_pairs(viewer):
        raise ReviewItem.DoesNotExist
    return ReviewItem.objects.select_related("record", "candidate__person", "model").get(pk=pk)


def record_history(record: SourceRecord) -> list[LinkDecision]:
    """Every link and unlink of one record, oldest first."""
    return list(record.decisions.select_related("decided_by", "model", "reverses").all())


def child_linked_records(child: Child) -> list[dict[str, Any]]:
    """The agency records linked to ``child`` now, as plain values (what the child's record
    draws on), ordered so two snapshots compare equal exactly when nothing changed."""
    rows = (
        SourceRecord.objects.filter(child=child)
        .order_by("source_system", "source_record_id")
        .values(
            "pk",
            "source_system",
            "source_record_id",
            "forename",
            "surname",
            "date_of_birth",
            "sex",
            "postcode",
            "nhs_number",
            "upn",
            "child_id",
        )
    )
    return [dict(row) for row in rows]


def child_link_history(child: Child) -> list[LinkDecision]:
    """Every link and unlink touching ``child``, oldest first."""
    return list(
        LinkDecision.objects.filter(child=child).select_related("record", "decided_by", "model")
    )


@dataclass(frozen=True)
class ModelSummary:
    model: LinkageModel
    comparisons: list[dict[str, Any]]


def model_summary(model: LinkageModel) -> ModelSummary:
    """The model's comparisons with each level's m, u and match weight, for the chart."""
    import math

    comparisons = []
    for comparison in model.model_json.get("comparisons", []):
        levels = []
        for level in comparison.get("comparison_levels", []):
            if level.get("is_null_level"):
                continue
            m = level.get("m_probability")
            u = level.get("u_probability")
            weight = math.log2(m / u) if m and u else None
            levels.append(
                {
                    "label": level.get("label_for_charts") or level.get("sql_condition"),
                    "m": m,
                    "u": u,
                    "match_weight": weight,
                }
            )
        comparisons.append(
            {
                "name": comparison.get("output_column_name"),
                "description": comparison.get("comparison_description"),
                "levels": levels,
            }
        )
    return ModelSummary(model=model, comparisons=comparisons)
