"""Writes for instrument assessments. Each is atomic and takes the acting user."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.chronology.services import chronology_event_record
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.instruments import policies
from cumulus.instruments.catalogue import instrument_get
from cumulus.instruments.engine.definition import age_band_for, applicable_sections
from cumulus.instruments.engine.scoring import clean_responses, missing_required, score
from cumulus.instruments.models import (
    AssessmentPhoto,
    AssessmentStatus,
    InstrumentAssessment,
    TrainedTool,
)
from cumulus.instruments.photos import reencode_photo
from cumulus.people.models import Child
from cumulus.people.policies import can_view_child


class InstrumentNotAllowedError(CumulusError):
    """The user may not do this with this instrument or assessment."""


class UnknownInstrumentError(CumulusError):
    pass


class AssessmentIncompleteError(CumulusError):
    """Sign-off refused: some answers are wrong or missing. ``errors`` maps item ids to text."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("There is a problem with some answers")
        self.errors = errors


class AssessmentLockedError(CumulusError):
    """A signed-off assessment is read-only: correct it with a new version instead."""


def photo_dir() -> Path:
    folder = Path(settings.VAR_DIR) / "instrument-photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def applicable_item_ids(assessment: InstrumentAssessment) -> set[str]:
    sections = applicable_sections(assessment.definition, age_band=assessment.age_band or None)
    return {item["id"] for section in sections for item in section["items"]}


@transaction.atomic
def assessment_start(
    *, actor: User, child: Child, instrument_id: str, age_band: str = ""
) -> InstrumentAssessment:
    """A new draft, holding a copy of the instrument exactly as it is now."""
    instrument = instrument_get(instrument_id)
    if instrument is None:
        raise UnknownInstrumentError(f"There is no instrument {instrument_id!r}")
    if not can_view_child(actor, child):
        raise InstrumentNotAllowedError("You cannot assess this child")
    if not policies.can_use_instrument(actor, instrument.definition):
        raise InstrumentNotAllowedError(
            f"{instrument.title} may only be used by practitioners recorded as trained in it"
        )
    bands = {b["id"] for b in instrument.definition.get("age_bands", [])}
    if bands:
        age_band = age_band or (age_band_for(instrument.definition, child.age_on()) or "")
        if age_band not in bands:
            raise InstrumentNotAllowedError("Choose the age band this assessment is for")
    else:
        age_band = ""
    assessment = InstrumentAssessment(
        child=child,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        instrument_title=instrument.title[:200],
        definition=instrument.definition,
        definition_sha256=instrument.sha256,
        licence_tier=instrument.tier,
        pack_sha256=instrument.pack_sha256,
        pack_licensee=instrument.pack_licensee[:200],
        pack_version=instrument.pack_version[:40],
        age_band=age_band,
        assessed_on=clock.today(),
        author=actor,
        author_agency=actor.agency,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


def _check_editable(actor: User, assessment: InstrumentAssessment) -> None:
    if assessment.status != AssessmentStatus.DRAFT:
        raise AssessmentLockedError(
            "This assessment has been signed off and cannot be changed; correct it instead"
        )
    if not policies.can_edit_assessment(actor, assessment):
        raise InstrumentNotAllowedError("Only the author can change a draft")


@transaction.atomic
def assessment_save_draft(
    *, actor: User, assessment_id: int, raw: dict[str, Any], autosave: bool = False
) -> dict[str, str]:
    """Keep every valid answer; return the problems with the rest (a draft may be partial)."""
    assessment = InstrumentAssessment.objects.select_for_update().get(pk=assessment_id)
    _check_editable(actor, assessment)
    responses, errors = clean_responses(
        assessment.definition, raw, item_ids=applicable_item_ids(assessment)
    )
    assessment.responses = responses
    assessment.scores = {k: v.as_json() for k, v in score(assessment.definition, responses).items()}
    if autosave:
        assessment.autosaved_at = clock.now()
    assessment.save()
    return errors


@transaction.atomic
def assessment_sign_off(
    *, actor: User, assessment_id: int, raw: dict[str, Any]
) -> InstrumentAssessment:
    """Score and sign off: read-only from now on. Needs every required answer, all valid."""
    assessment = InstrumentAssessment.objects.select_for_update().get(pk=assessment_id)
    _check_editable(actor, assessment)
    item_ids = applicable_item_ids(assessment)
    responses, errors = clean_responses(assessment.definition, raw, item_ids=item_ids)
    for item_id in missing_required(assessment.definition, responses, item_ids):
        errors.setdefault(item_id, "Answer this before signing off")
    if errors:
        raise AssessmentIncompleteError(errors)
    results = score(assessment.definition, responses)
    assessment.responses = responses
    assessment.scores = {k: v.as_json() for k, v in results.items()}
    assessment.signed_off_at = clock.now()
    if assessment.corrects_id is None:
        assessment.assessed_on = clock.today()  # a correction keeps the date it corrects
    assessment.status = (
        AssessmentStatus.AWAITING_COUNTERSIGN
        if assessment.needs_countersign
        else AssessmentStatus.COMPLETE
    )
    assessment.save()
    if actor.agency is not None:
        banded = [f"{r.label}: {r.band}" for r in results.values() if r.band]
        summary = f"{assessment.instrument_title} signed off"
        if assessment.corrects_id:
            summary += f" (correction, version {assessment.version})"
        if banded:
            summary += ". " + "; ".join(banded)
        chronology_event_record(
            actor=actor,
            child=assessment.child,
            agency=actor.agency,
            event_type="casework.assessment_complete",
            occurred_at=assessment.signed_off_at,
            summary=summary[:2000],
            source_reference=f"instrument-assessment:{assessment.pk}",
        )
    return assessment


@transaction.atomic
def assessment_countersign(*, actor: User, assessment_id: int) -> InstrumentAssessment:
    assessment = InstrumentAssessment.objects.select_for_update().get(pk=assessment_id)
    if not policies.can_countersign_assessment(actor, assessment):
        raise InstrumentNotAllowedError(
            "Only a manager other than the author can countersign, once it is signed off"
        )
    assessment.countersigned_by = actor
    assessment.countersigned_at = clock.now()
    assessment.status = AssessmentStatus.COMPLETE
    assessment.save()
    return assessment


@transaction.atomic
def assessment_correct(*, actor: User, assessment_id: int, reason: str) -> InstrumentAssessment:
    """A new draft version of a signed-off assessment, with the same instrument version."""
    original = InstrumentAssessment.objects.select_for_update().get(pk=assessment_id)
    if not policies.can_correct_assessment(actor, original):
        raise InstrumentNotAllowedError("You cannot correct this assessment")
    if InstrumentAssessment.objects.filter(corrects=original).exists():
        raise InstrumentNotAllowedError(
            "This version has already been corrected; correct the latest version"
        )
    reason = reason.strip()
    if not reason:
        raise InstrumentNotAllowedError("Say why the assessment needs correcting")
    correction = InstrumentAssessment(
        child=original.child,
        instrument_id=original.instrument_id,
        instrument_version=original.instrument_version,
        instrument_title=original.instrument_title,
        definition=original.definition,
        definition_sha256=original.definition_sha256,
        licence_tier=original.licence_tier,
        pack_sha256=original.pack_sha256,
        pack_licensee=original.pack_licensee,
        pack_version=original.pack_version,
        age_band=original.age_band,
        assessed_on=original.assessed_on,
        responses=original.responses,
        scores=original.scores,
        author=actor,
        author_agency=actor.agency,
        lineage=original.lineage,
        version=original.version + 1,
        corrects=original,
        correction_reason=reason,
    )
    correction.full_clean()
    correction.save()
    for photo in original.photos.all():
        AssessmentPhoto.objects.create(
            assessment=correction,
            item_id=photo.item_id,
            stored_name=f"{uuid.uuid4().hex}.jpg",
            width=photo.width,
            height=photo.height,
            size_bytes=photo.size_bytes,
            sha256=photo.sha256,
            caption=photo.caption,
            uploaded_by=photo.uploaded_by,
            uploaded_at=photo.uploaded_at,
        )
    for old, new in zip(original.photos.all(), correction.photos.all(), strict=True):
        (photo_dir() / new.stored_name).write_bytes((photo_dir() / old.stored_name).read_bytes())
    return correction


@transaction.atomic
def photo_add(
    *, actor: User, assessment_id: int, item_id: str, data: bytes, caption: str = ""
) -> AssessmentPhoto:
    """Re-encode (EXIF and location gone) and keep a photograph for a photo item of a draft."""
    assessment = InstrumentAssessment.objects.select_for_update().get(pk=assessment_id)
    _check_editable(actor, assessment)
    items = {
        item["id"]: item
        for section in applicable_sections(assessment.definition, age_band=assessment.age_band)
        for item in section["items"]
    }
    if items.get(item_id, {}).get("type") != "photo":
        raise InstrumentNotAllowedError("Photographs can only be added to a photograph question")
    clean = reencode_photo(data, max_bytes=settings.CUMULUS_PHOTO_MAX_BYTES)
    stored_name = f"{uuid.uuid4().hex}.jpg"
    photo = AssessmentPhoto(
        assessment=assessment,
        item_id=item_id,
        stored_name=stored_name,
        width=clean.width,
        height=clean.height,
        size_bytes=len(clean.data),
        sha256=hashlib.sha256(clean.data).hexdigest(),
        caption=caption.strip()[:200],
        uploaded_by=actor,
    )
    photo.full_clean()
    path = photo_dir() / stored_name
    path.write_bytes(clean.data)
    try:
        photo.save()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return photo


@transaction.atomic
def trained_tool_record(
    *, actor: User, user: User, tool: str, trained_on: Any, note: str = ""
) -> TrainedTool:
    """Record that ``user`` is trained in ``tool`` (e.g. GCP2), by a manager or administrator."""
    if not policies.can_record_training(actor):
        raise InstrumentNotAllowedError("Only managers and administrators record training")
    record, _ = TrainedTool.objects.update_or_create(
        user=user,
        tool=tool,
        defaults={"trained_on": trained_on, "recorded_by": actor, "note": note[:200]},
    )
    return record
