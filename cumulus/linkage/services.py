"""Writes for linkage: save models, link records to children, the review queue, undo.

Every link and unlink goes through :func:`record_link` / :func:`record_unlink`, which append a
``LinkDecision`` in the same transaction as the change. Nothing is ever deleted: an undo is a
new decision that reverses an old one, so a record's and a child's histories stay whole.

The seam for agency feed imports is :func:`resolve_child`: give it one record as a mapping,
get back the child it belongs to (or ``None`` while a person reviews it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from cumulus.accounts.models import Agency, User
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.linkage import policies, selectors
from cumulus.linkage.models import (
    Action,
    LinkageModel,
    LinkDecision,
    Method,
    ReviewItem,
    ReviewStatus,
    SourceRecord,
)
from cumulus.people.models import Child
from cumulus.people.services import child_create

if TYPE_CHECKING:
    from cumulus.linkage.engine import Thresholds

# The engine (DuckDB, pyarrow, Splink) is imported by the functions that link, so the web app
# does not load it on start.


class LinkageError(CumulusError):
    """A linkage action cannot be done; the message says why."""


class RecordAlreadyLinkedError(LinkageError):
    pass


class LinkagePermissionError(LinkageError):
    pass


class NoActiveModelError(LinkageError):
    pass


RECORD_FIELDS = (
    "forename",
    "surname",
    "date_of_birth",
    "sex",
    "postcode",
    "address",
    "nhs_number",
    "upn",
)
# Names agency feeds use for the same fields.
ALIASES = {"given_name": "forename", "family_name": "surname"}


# --- models -----------------------------------------------------------------------------------


@transaction.atomic
def linkage_model_save(
    *,
    actor: User | None,
    model_json: dict[str, Any],
    thresholds: Thresholds | None = None,
    summary: dict[str, Any] | None = None,
    activate: bool = True,
    notes: str = "",
) -> LinkageModel:
    """Save a trained model as the next version; make it the active one unless told not to."""
    from cumulus.linkage import engine

    thresholds = thresholds or engine.Thresholds()
    fields = engine.model_fields(model_json)
    latest = LinkageModel.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
    if activate:
        LinkageModel.objects.filter(is_active=True).update(is_active=False)
    model = LinkageModel(
        version=latest + 1,
        model_json=model_json,
        fields=fields,
        upper_threshold=thresholds.upper,
        lower_threshold=thresholds.lower,
        is_active=activate,
        trained_by=actor,
        training_summary=summary or {},
        notes=notes,
    )
    model.full_clean()
    model.save()
    return model


def linkage_model_train(
    *,
    actor: User | None,
    records: Sequence[SourceRecord] | None = None,
    thresholds: Thresholds | None = None,
    seed: int = 1,
) -> LinkageModel:
    """Train a model on the children against ``records`` (default: every agency record)."""
    from cumulus.linkage import engine

    chosen = list(records) if records is not None else list(SourceRecord.objects.all())
    if not chosen:
        raise LinkageError("There are no agency records to train a linkage model on")
    register = selectors.register_table()
    result = engine.link_to_register(
        register=register, records=selectors.records_table(chosen), seed=seed
    )
    outcomes = result.decisions.column("outcome").to_pylist()
    summary = {
        "children": register.num_rows,
        "records": len(chosen),
        "outcomes": {name: outcomes.count(name) for name in engine.OUTCOMES},
        "timings_s": {k: round(v, 3) for k, v in result.timings.items()},
    }
    return linkage_model_save(
        actor=actor, model_json=result.model, thresholds=thresholds, summary=summary
    )


# --- link and unlink --------------------------------------------------------------------------


@transaction.atomic
def record_link(
    *,
    actor: User | None,
    record: SourceRecord,
    child: Child,
    method: Method,
    reason: str,
    match_probability: float | None = None,
    model: LinkageModel | None = None,
    review_item: ReviewItem | None = None,
    reverses: LinkDecision | None = None,
) -> LinkDecision:
    """Link ``record`` to ``child`` and record why. A record is linked to one child at a time."""
    record = SourceRecord.objects.select_for_update().get(pk=record.pk)
    if record.child_id is not None:
        if record.child_id == child.pk:
            raise RecordAlreadyLinkedError(f"{record} is already linked to this child")
        raise RecordAlreadyLinkedError(
            f"{record} is linked to another child; unlink it first (the history keeps both)"
        )
    if not reason.strip():
        raise LinkageError("Give a reason for the link")
    decision = LinkDecision(
        record=record,
        child=child,
        action=Action.LINK,
        method=method,
        match_probability=match_probability,
        model=model,
        decided_by=actor,
        decided_at=clock.now(),
        reason=reason,
        review_item=review_item,
        reverses=reverses,
    )
    decision.full_clean()
    decision.save()
    record.child = child
    record.save(update_fields=["child"])
    return decision


@transaction.atomic
def record_unlink(
    *,
    actor: User | None,
    record: SourceRecord,
    reason: str,
    method: Method = Method.MANUAL,
    reverses: LinkDecision | None = None,
    review_item: ReviewItem | None = None,
) -> LinkDecision:
    """Unlink ``record`` from its child; the record and the child keep their histories."""
    record = SourceRecord.objects.select_for_update().get(pk=record.pk)
    if record.child_id is None:
        raise LinkageError(f"{record} is not linked to any child")
    if not reason.strip():
        raise LinkageError("Give a reason for the unlink")
    decision = LinkDecision(
        record=record,
        child_id=record.child_id,
        action=Action.UNLINK,
        method=method,
        decided_by=actor,
        decided_at=clock.now(),
        reason=reason,
        reverses=reverses,
        review_item=review_item,
    )
    decision.full_clean()
    decision.save()
    record.child = None
    record.save(update_fields=["child"])
    return decision


@transaction.atomic
def decision_undo(*, actor: User, decision: LinkDecision, reason: str) -> LinkDecision:
    """Reverse ``decision`` by appending its opposite; the original stays in the history.

    Only the latest decision on a record can be undone (undoing an older one would not put
    the record back as it was), and only once. Undoing a reviewer's match that moved the record
    from one child to another also moves it back, so both children are as they were.
    """
    if not policies.can_manage_linkage(actor):
        raise LinkagePermissionError("You may not undo linkage decisions")
    decision = LinkDecision.objects.select_for_update().get(pk=decision.pk)
    if LinkDecision.objects.filter(reverses=decision).exists():
        raise LinkageError("This decision has already been undone")
    latest = decision.record.decisions.order_by("-decided_at", "-pk").first()
    if latest is None or latest.pk != decision.pk:
        raise LinkageError(
            "Only the latest decision on a record can be undone; undo the later ones first"
        )
    text = f"Undo of decision {decision.pk}: {reason}"
    if decision.action == Action.LINK:
        undone = record_unlink(
            actor=actor, record=decision.record, reason=text, method=Method.UNDO, reverses=decision
        )
        # A reviewer's match that first moved the record off another child: put it back there.
        previous = (
            decision.record.decisions.filter(pk__lt=decision.pk).order_by("-decided_at", "-pk")
        ).first()
        if (
            previous is not None
            and previous.action == Action.UNLINK
            and decision.review_item_id is not None
            and previous.review_item_id == decision.review_item_id
        ):
            return record_link(
                actor=actor,
                record=decision.record,
                child=previous.child,
                method=Method.UNDO,
                reason=f"Undo of decision {previous.pk}: {reason}",
                model=previous.model,
                reverses=previous,
            )
        return undone
    return record_link(
        actor=actor,
        record=decision.record,
        child=decision.child,
        method=Method.UNDO,
        reason=text,
        model=decision.model,
        reverses=decision,
    )


# --- the review queue -------------------------------------------------------------------------


@transaction.atomic
def review_decide(
    *, actor: User, item: ReviewItem, outcome: ReviewStatus, reason: str = ""
) -> ReviewItem:
    """A person's decision on a pair: match (link), not a match, or unsure (stays queued).

    When the record has no candidates left open and was not matched, it becomes a new child.
    """
    if not policies.can_review_pairs(actor):
        raise LinkagePermissionError("You may not decide pairs in the linkage review queue")
    if outcome not in (ReviewStatus.MATCH, ReviewStatus.NOT_MATCH, ReviewStatus.UNSURE):
        raise LinkageError(f"Unknown review outcome {outcome!r}")
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    if item.status not in (ReviewStatus.OPEN, ReviewStatus.UNSURE):
        raise LinkageError(
            f"This pair was already decided ({item.get_status_display()}) "
            f"by {item.decided_by} on {item.decided_at:%d %B %Y at %H:%M}"
        )
    item.status = outcome
    item.decided_by = actor
    item.decided_at = clock.now()
    item.reason = reason
    item.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    if outcome == ReviewStatus.MATCH:
        record = item.record
        record.refresh_from_db()
        if record.child_id is not None:
            record_unlink(
                actor=actor,
                record=record,
                reason=f"Reviewed as the same child as {item.candidate_id}",
                method=Method.CLERICAL,
                review_item=item,
            )
        record_link(
            actor=actor,
            record=record,
            child=item.candidate,
            method=Method.CLERICAL,
            reason=reason or "Clerical review: match",
            match_probability=item.match_probability,
            model=item.model,
            review_item=item,
        )
        ReviewItem.objects.filter(record=record, status=ReviewStatus.OPEN).exclude(
            pk=item.pk
        ).update(
            status=ReviewStatus.NOT_MATCH,
            decided_by=actor,
            decided_at=item.decided_at,
            reason=f"Record matched to another child in review {item.pk}",
        )
    elif outcome == ReviewStatus.NOT_MATCH:
        record = item.record
        record.refresh_from_db()
        still_open = ReviewItem.objects.filter(
            record=record, status__in=[ReviewStatus.OPEN, ReviewStatus.UNSURE]
        ).exists()
        if record.child_id is None and not still_open:
            _link_new_child(actor=actor, record=record, model=item.model, review_item=item)
    return item


# --- matching records -------------------------------------------------------------------------


@dataclass
class BatchResult:
    """What :func:`records_link` did with each record."""

    model: LinkageModel
    outcomes: dict[str, int] = field(default_factory=dict)
    review_items: list[ReviewItem] = field(default_factory=list)
    new_children: list[Child] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def records_link(
    *, actor: User | None, records: Sequence[SourceRecord], model: LinkageModel | None = None
) -> BatchResult:
    """Match new agency records against the existing children (incremental: no retraining).

    Deterministic and automatic matches are linked, pairs between the thresholds go to the
    review queue, and records with no candidate become new children. The model run happens
    outside the transaction; the writes are one transaction.
    """
    from cumulus.linkage import engine

    model = model or selectors.active_model()
    if model is None:
        raise NoActiveModelError(
            "No linkage model is active yet: train one (cumulus link_train) before linking"
        )
    pending = [r for r in records if r.child_id is None]
    result = BatchResult(model=model, outcomes=dict.fromkeys(engine.OUTCOMES, 0))
    if not pending:
        return result
    thresholds = engine.Thresholds(upper=model.upper_threshold, lower=model.lower_threshold)
    linked = engine.link_to_register(
        register=selectors.register_table(),
        records=selectors.records_table(pending),
        model=model.model_json,
        thresholds=thresholds,
    )
    result.timings = linked.timings
    pairs_by_record: dict[str, list[dict[str, Any]]] = {}
    for pair in linked.pairs.to_pylist():
        pairs_by_record.setdefault(pair["record_id"], []).append(pair)
    by_id = {str(r.pk): r for r in pending}
    with transaction.atomic():
        for decision in linked.decisions.to_pylist():
            record = by_id[decision["record_id"]]
            outcome = decision["outcome"]
            result.outcomes[outcome] += 1
            if outcome == engine.DETERMINISTIC:
                method = Method.NHS_NUMBER if "nhs_number" in decision["method"] else Method.UPN
                record_link(
                    actor=actor,
                    record=record,
                    child=Child.objects.get(pk=int(decision["child_id"])),
                    method=method,
                    reason=f"Deterministic rule: {method.label}",
                    match_probability=1.0,
                    model=model,
                )
            elif outcome == engine.AUTOMATIC:
                record_link(
                    actor=actor,
                    record=record,
                    child=Child.objects.get(pk=int(decision["child_id"])),
                    method=Method.AUTOMATIC,
                    reason=(
                        f"Match probability {decision['match_probability']:.6f} at or above "
                        f"{thresholds.upper}"
                    ),
                    match_probability=decision["match_probability"],
                    model=model,
                )
            elif outcome == engine.REVIEW:
                for pair in pairs_by_record.get(decision["record_id"], []):
                    if pair["method"] != "probabilistic":
                        continue
                    item = ReviewItem.objects.create(
                        record=record,
                        candidate_id=int(pair["child_id"]),
                        model=model,
                        match_probability=pair["match_probability"],
                        match_weight=pair["match_weight"],
                        evidence=engine.evidence(model.model_json, pair),
                    )
                    result.review_items.append(item)
            else:
                child = _link_new_child(actor=actor, record=record, model=model)
                if child is not None:
                    result.new_children.append(child)
    return result


def _link_new_child(
    *,
    actor: User | None,
    record: SourceRecord,
    model: LinkageModel | None,
    review_item: ReviewItem | None = None,
) -> Child | None:
    """Record ``record`` as a new child and link it. Identifiers already held by another
    child, or invalid, are left off the new child (the record keeps them)."""
    fields: dict[str, Any] = {
        "given_name": record.forename,
        "family_name": record.surname or "Unknown",
        "date_of_birth": record.date_of_birth,
        "sex": record.sex if record.sex in ("M", "F") else "U",
    }
    for name in ("nhs_number", "upn"):
        value = getattr(record, name)
        if value and not Child.objects.filter(**{name: value}).exists():
            fields[name] = value
    try:
        child = child_create(actor=actor, **fields)
    except ValidationError:
        fields.pop("nhs_number", None)
        fields.pop("upn", None)
        try:
            child = child_create(actor=actor, **fields)
        except ValidationError:
            return None  # e.g. no date of birth: stays unlinked, visible in the record list
    record_link(
        actor=actor,
        record=record,
        child=child,
        method=Method.NEW_CHILD,
        reason="No existing child matched: recorded as a new child",
        model=model,
        review_item=review_item,
    )
    return child


@transaction.atomic
def source_record_receive(
    *,
    source_system: str,
    source_record_id: str,
    agency: Agency | None = None,
    **values: Any,
) -> SourceRecord:
    """Store (or refresh, while unlinked) one agency record as received."""
    unknown = set(values) - set(RECORD_FIELDS) - set(ALIASES)
    if unknown:
        raise LinkageError(f"Unknown record fields: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        name = ALIASES.get(key, key)
        if name == "date_of_birth":
            if isinstance(value, str) and value:
                try:
                    value = dt.date.fromisoformat(value)
                except ValueError as exc:
                    raise LinkageError(
                        f"date_of_birth must be a date (YYYY-MM-DD); got {value!r}"
                    ) from exc
            cleaned[name] = value or None
        else:
            cleaned[name] = "" if value is None else str(value).strip()
    record, _ = SourceRecord.objects.update_or_create(
        source_system=source_system,
        source_record_id=source_record_id,
        defaults={"agency": agency, **cleaned},
    )
    return record


def resolve_child(
    record: Mapping[str, Any], *, actor: User | None = None, agency: Agency | None = None
) -> Child | None:
    """The seam for feed imports: which child is this agency record about?

    ``record`` needs ``source_system`` and ``source_record_id`` and any of the person fields
    (``forename``/``given_name``, ``surname``/``family_name``, ``date_of_birth``, ``sex``,
    ``postcode``, ``address``, ``nhs_number``, ``upn``). Returns the linked child (existing,
    or new when nothing matched), or ``None`` while the record waits in the review queue.
    """
    values = dict(record)
    try:
        source_system = str(values.pop("source_system"))
        source_record_id = str(values.pop("source_record_id"))
    except KeyError as exc:
        raise LinkageError(f"record needs {exc.args[0]}") from exc
    stored = source_record_receive(
        source_system=source_system, source_record_id=source_record_id, agency=agency, **values
    )
    if stored.child_id is None:
        records_link(actor=actor, records=[stored])
        stored.refresh_from_db()
    return stored.child
