"""Writes for the child's rights. Each is atomic and leaves its own trail.

- ``subject_access_prepare`` builds the redacted package; ``subject_access_approve`` needs a
  second person; ``subject_access_release`` gives the JSON and the PDF only once approved.
- ``child_erase`` clears a child's personal data at the end of retention and leaves a
  tombstone (``Erasure``), so past indicator counts do not change.
- ``record_request_open`` / ``record_request_update`` keep rectification and restriction
  requests with every step recorded.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string

from cumulus.accounts.models import User
from cumulus.casework.models import Contact
from cumulus.chronology.models import ChronologyEvent
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.people.models import Child, Person
from cumulus.rights.models import (
    Erasure,
    RecordRequest,
    RecordRequestKind,
    RecordRequestStatus,
    RecordRequestUpdate,
    SubjectAccessRequest,
    SubjectAccessStatus,
)
from cumulus.rights.policies import can_handle_rights_requests
from cumulus.rights.selectors import retention_review_list, subject_access_package

# UK GDPR Article 12(3): one month from receipt (extendable; the due date is the first answer).
SUBJECT_ACCESS_DAYS = 30
ERASED = "[erased]"


class RightsRequestError(CumulusError):
    """A rights request cannot move this way; the message says why."""


def _check_role(actor: User) -> None:
    if not can_handle_rights_requests(actor):
        raise RightsRequestError(
            "Only the partnership's records and data protection team can do this."
        )


@transaction.atomic
def subject_access_prepare(
    *, actor: User, child: Child, requester: str, received_on: dt.date
) -> SubjectAccessRequest:
    from cumulus.people.policies import restriction_hiding

    _check_role(actor)
    restriction = restriction_hiding(user=actor, child_id=child.pk)
    if restriction is not None:
        raise RightsRequestError(
            "This record is restricted: someone the restriction allows must prepare this "
            f"request. Ask {restriction.contact}."
        )
    if not requester.strip():
        raise ValidationError({"requester": "Say who made the request"})
    if received_on > clock.today():
        raise ValidationError({"received_on": "The request cannot be received in the future"})
    package, redactions = subject_access_package(child=child)
    return SubjectAccessRequest.objects.create(
        child=child,
        requester=requester.strip(),
        received_on=received_on,
        due_on=received_on + dt.timedelta(days=SUBJECT_ACCESS_DAYS),
        status=SubjectAccessStatus.PREPARED,
        prepared_by=actor,
        package=package,
        redactions=redactions,
    )


@transaction.atomic
def subject_access_approve(*, actor: User, request: SubjectAccessRequest) -> SubjectAccessRequest:
    _check_role(actor)
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != SubjectAccessStatus.PREPARED:
        raise RightsRequestError(f"This request is already {request.get_status_display().lower()}.")
    if request.prepared_by_id == actor.pk:
        raise RightsRequestError("A different person must review what you prepared.")
    request.status = SubjectAccessStatus.APPROVED
    request.approved_by = actor
    request.approved_at = clock.now()
    request.save(update_fields=["status", "approved_by", "approved_at"])
    return request


@transaction.atomic
def subject_access_mark_released(
    *, actor: User, request: SubjectAccessRequest
) -> SubjectAccessRequest:
    """Release an approved package (once); a package nobody else has approved is refused."""
    _check_role(actor)
    request = SubjectAccessRequest.objects.select_for_update().get(pk=request.pk)
    if request.status == SubjectAccessStatus.PREPARED:
        raise RightsRequestError("A reviewer must approve the package before it is released.")
    if request.status != SubjectAccessStatus.RELEASED:
        request.status = SubjectAccessStatus.RELEASED
        request.released_at = clock.now()
        request.save(update_fields=["status", "released_at"])
    return request


def subject_access_document(*, actor: User, request: SubjectAccessRequest, fmt: str) -> bytes:
    """A released package as ``json`` (for a machine) or ``pdf`` (for the person)."""
    _check_role(actor)
    if request.status != SubjectAccessStatus.RELEASED:
        raise RightsRequestError("Only a released package can be downloaded.")
    if fmt == "json":
        return json.dumps(request.package, indent=2, ensure_ascii=False).encode()
    from weasyprint import HTML

    html = render_to_string(
        "rights/subject_access.html", {"request": request, "p": request.package}
    )
    return bytes(HTML(string=html).write_pdf())


@transaction.atomic
def subject_access_release(*, actor: User, request: SubjectAccessRequest) -> tuple[bytes, bytes]:
    """Release an approved package and return it as JSON and PDF (the command's one step)."""
    request = subject_access_mark_released(actor=actor, request=request)
    return (
        subject_access_document(actor=actor, request=request, fmt="json"),
        subject_access_document(actor=actor, request=request, fmt="pdf"),
    )


@transaction.atomic
def child_erase(*, actor: User, child: Child, reason: str) -> Erasure:
    """Erase a child's personal data once their record is due under a retention rule."""
    _check_role(actor)
    due = {d.child_id: d for d in retention_review_list()}
    if child.pk not in due:
        raise RightsRequestError("This record has not reached its retention review date.")
    if not reason.strip():
        raise ValidationError({"reason": "Record why the record is being erased"})
    person = Person.objects.select_for_update().get(pk=child.pk)
    born = person.date_of_birth
    cleared = {
        "name": bool(person.given_name or person.family_name),
        "identifiers": [n for n in ("nhs_number", "upn", "la_child_id") if getattr(child, n)],
    }
    person.given_name, person.family_name, person.other_names = "", ERASED, ""
    # Keep the month of birth only, so counts by age band in past periods still hold.
    person.date_of_birth = born.replace(day=1) if born else None
    person.is_archived = True
    person.save(
        update_fields=["given_name", "family_name", "other_names", "date_of_birth", "is_archived"]
    )
    Child.objects.filter(pk=child.pk).update(nhs_number=None, upn=None, la_child_id=None)
    cleared["chronology_events"] = ChronologyEvent.objects.filter(child_id=child.pk).update(
        summary=ERASED
    )
    cleared["concerns"] = Contact.objects.filter(child_id=child.pk).update(
        summary=ERASED, childs_words="", already_tried="", decision_rationale=""
    )
    return Erasure.objects.create(
        child=child,
        rule=due[child.pk].rule.name,
        reason=reason.strip(),
        erased_by=actor,
        fields_cleared=cleared,
    )


@transaction.atomic
def record_request_open(
    *, actor: User, child: Child, kind: str, requester: str, what: str
) -> RecordRequest:
    _check_role(actor)
    if kind not in RecordRequestKind.values:
        raise ValidationError({"kind": f"Unknown kind of request: {kind!r}"})
    if not what.strip():
        raise ValidationError({"what": "Say which part of the record, and what the person says"})
    request = RecordRequest.objects.create(
        child=child, kind=kind, requester=requester.strip(), what=what.strip(), recorded_by=actor
    )
    RecordRequestUpdate.objects.create(
        request=request, status=RecordRequestStatus.OPEN, note="Request recorded.", by=actor
    )
    return request


@transaction.atomic
def record_request_update(
    *, actor: User, request: RecordRequest, status: str, note: str
) -> RecordRequest:
    _check_role(actor)
    request = RecordRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RecordRequestStatus.OPEN:
        raise RightsRequestError("This request is closed; open a new one.")
    if status not in RecordRequestStatus.values:
        raise ValidationError({"status": f"Unknown status: {status!r}"})
    if not note.strip():
        raise ValidationError({"note": "Record what was done or why it was refused"})
    RecordRequestUpdate.objects.create(request=request, status=status, note=note.strip(), by=actor)
    request.status = status
    request.save(update_fields=["status"])
    return request
