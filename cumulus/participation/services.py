"""Recording what a 16-17 year old is doing in a month (one new record; never an update)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from cumulus.accounts.models import User
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.core.months import month_end
from cumulus.participation.models import ActivityStatus, ParticipationRecord
from cumulus.participation.policies import can_record_participation
from cumulus.people.models import Child


class ParticipationNotAllowedError(CumulusError):
    """The practitioner may not record this young person's status."""


def _birthday(born: dt.date, years: int) -> dt.date:
    """The ``years``th birthday (29 February counts from 1 March in a common year)."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return dt.date(born.year + years, 3, 1)


@transaction.atomic
def participation_record(
    *, actor: User, child: Child, month: dt.date, status: ActivityStatus | str
) -> ParticipationRecord:
    """Record ``child``'s status for ``month`` (any day of it: stored as the first).

    The young person must be 16 or 17 on some day of the month (the duty to participate runs
    to the 18th birthday), the month must not be after this one, and the status one of
    ``ActivityStatus``; otherwise a ``ValidationError`` names each problem and nothing is saved.
    """
    if not can_record_participation(actor, child):
        raise ParticipationNotAllowedError(
            "Only the council's children's services may record the status of a young person "
            "they work with"
        )
    errors: dict[str, str] = {}
    if status not in ActivityStatus.values:
        errors["status"] = "Choose what the young person is doing"
    first = month.replace(day=1)
    today = clock.today()
    if first > today.replace(day=1):
        errors["month"] = f"The month must be {today:%B %Y} or earlier"
    born = child.person.date_of_birth
    if born is None:
        errors["child"] = "The young person has no date of birth recorded"
    elif _birthday(born, 16) > month_end(first) or _birthday(born, 18) <= first:
        errors["month"] = (
            f"A status is recorded only for months in which the young person is 16 or 17: "
            f"born {born:%-d %B %Y}, they are not 16 or 17 in {first:%B %Y}"
        )
    if errors:
        raise ValidationError(errors)
    record = ParticipationRecord(
        child=child, month=first, status=status, recorded_by=actor, recorded_at=clock.now()
    )
    record.full_clean()
    record.save()
    return record
