"""Which child a feed record is about: the seam for record linkage.

For now, exact identifiers only, in order of trust: NHS number, then UPN, then the local
authority's child id. Probabilistic linkage (issue 9) will replace ``resolve_child`` behind the
same signature: it takes the record's ``child`` identifiers and returns the child, or says why
not.
"""

from __future__ import annotations

from dataclasses import dataclass

from cumulus.core.identifiers import normalise_nhs_number, normalise_upn
from cumulus.people.models import Child


@dataclass(frozen=True)
class Resolution:
    child: Child | None
    reason: str = ""


def resolve_child(record: dict[str, object]) -> Resolution:
    """The one child the record's identifiers name, or ``None`` with the reason."""
    raw = record.get("child")
    ids = raw if isinstance(raw, dict) else {}
    found: dict[str, Child] = {}
    lookups = (
        ("nhs_number", "nhs_number", normalise_nhs_number),
        ("upn", "upn", normalise_upn),
        ("la_child_id", "la_child_id", str.strip),
    )
    for key, field, normalise in lookups:
        value = ids.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        child = Child.objects.filter(**{field: normalise(value)}, person__is_archived=False).first()
        if child is None:
            return Resolution(None, f"No child has {key} {value}")
        found[key] = child
    if not found:
        return Resolution(None, "The record names no child identifier")
    if len({c.pk for c in found.values()}) > 1:
        return Resolution(None, "The identifiers name different children: " + ", ".join(found))
    return Resolution(next(iter(found.values())))
