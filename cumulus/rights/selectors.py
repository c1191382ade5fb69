"""Reads for the child's rights: the subject access package and the retention review list."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Q

from cumulus.casework.models import Assessment, Contact, Plan, PlanType, Referral
from cumulus.chronology.models import ChronologyEvent
from cumulus.core import clock
from cumulus.people.models import Child, HouseholdMembership, Involvement, Person, Relationship
from cumulus.people.policies import address_for
from cumulus.rights.models import Erasure

RETENTION_FILE = Path(__file__).with_name("retention.toml")
THIRD_PARTY = "[a third party]"


class _Redactor:
    """Replaces other people's names with a neutral marker, counting each replacement."""

    def __init__(self, people: list[Person]) -> None:
        names = {p.full_name for p in people if p.full_name.strip()}
        names |= {p.given_name for p in people if len(p.given_name) > 2}
        names |= {p.family_name for p in people if len(p.family_name) > 2}
        ordered = sorted(names, key=len, reverse=True)
        self.pattern = (
            re.compile(r"\b(" + "|".join(re.escape(n) for n in ordered) + r")\b", re.IGNORECASE)
            if ordered
            else None
        )
        self.count = 0

    def text(self, value: str) -> str:
        if not value or self.pattern is None:
            return value
        result, replaced = self.pattern.subn(THIRD_PARTY, value)
        self.count += replaced
        return result


def _third_parties(child: Child) -> list[Person]:
    household_ids = HouseholdMembership.objects.filter(person_id=child.pk).values("household_id")
    in_households = HouseholdMembership.objects.filter(household_id__in=household_ids).values(
        "person_id"
    )
    related = Relationship.objects.filter(Q(person_id=child.pk) | Q(relative_id=child.pk))
    ids = set(in_households.values_list("person_id", flat=True))
    ids |= set(related.values_list("person_id", flat=True))
    ids |= set(related.values_list("relative_id", flat=True))
    ids.discard(child.pk)
    child_names = {child.person.given_name.lower(), child.person.family_name.lower()}
    people = list(Person.objects.filter(pk__in=ids))
    # A sibling shares the child's family name: redact their given name, keep the child's own.
    for person in people:
        if person.family_name.lower() in child_names:
            person.family_name = ""
    return people


def subject_access_package(*, child: Child) -> tuple[dict[str, Any], int]:
    """Everything Cumulus holds about the child, with third parties' names redacted.

    Returns the package (plain JSON types) and how many redactions were made. Other people
    appear only by their relationship to the child; practitioners by agency and role.
    """
    redact = _Redactor(_third_parties(child))
    person = child.person
    memberships = HouseholdMembership.objects.filter(person_id=child.pk).select_related("household")
    relationships = Relationship.objects.filter(
        Q(person_id=child.pk) | Q(relative_id=child.pk)
    ).order_by("pk")
    package: dict[str, Any] = {
        "prepared_on": clock.today().isoformat(),
        "child": {
            "name": person.full_name,
            "other_names": person.other_names,
            "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
            "sex": person.get_sex_display(),
            "nhs_number": child.nhs_number,
            "upn": child.upn,
            "local_authority_child_id": child.la_child_id,
        },
        "homes": [
            {
                # A confidential address (a refuge) never leaves in a package: the requester
                # may be the person it protects the child from.
                "address": address_for(None, m.household),
                "from": m.started_on.isoformat(),
                "to": m.ended_on.isoformat() if m.ended_on else None,
                "others_living_there": HouseholdMembership.objects.filter(
                    household_id=m.household_id
                )
                .exclude(person_id=child.pk)
                .count(),
            }
            for m in memberships
        ],
        "relationships": [
            {
                "relationship": r.get_relationship_type_display(),
                "person": THIRD_PARTY,
                "parental_responsibility": r.has_parental_responsibility,
            }
            for r in relationships
        ],
        "agencies_involved": [
            {
                "agency": str(i.agency),
                "role": i.role,
                "from": i.started_on.isoformat(),
                "to": i.ended_on.isoformat() if i.ended_on else None,
            }
            for i in Involvement.objects.filter(child_id=child.pk).select_related("agency")
        ],
        "concerns": [
            {
                "received_on": c.received_on.isoformat(),
                "from_agency": str(c.agency),
                "what_was_seen": redact.text(c.summary),
                "what_the_child_said": redact.text(c.childs_words),
                "already_tried": redact.text(c.already_tried),
                "decision": c.get_outcome_display() if c.outcome else "",
                "reason_for_decision": redact.text(c.decision_rationale),
            }
            for c in Contact.objects.filter(child_id=child.pk).select_related("agency")
        ],
        "referrals": [
            {
                "referred_on": r.referred_on.isoformat(),
                "closed_on": r.closed_on.isoformat() if r.closed_on else None,
                "neglect_concern": r.is_neglect_concern,
            }
            for r in Referral.objects.filter(child_id=child.pk)
        ],
        "assessments": [
            {"type": a.get_assessment_type_display(), "started_on": a.started_on.isoformat()}
            for a in Assessment.objects.filter(child_id=child.pk)
        ],
        "plans": [
            {
                "type": p.get_plan_type_display(),
                "started_on": p.started_on.isoformat(),
                "ended_on": p.ended_on.isoformat() if p.ended_on else None,
                "category": str(p.initial_category) if p.initial_category_id else "",
            }
            for p in Plan.objects.filter(child_id=child.pk)
        ],
        "chronology": [
            {
                "when": e.occurred_at.isoformat(),
                "agency": str(e.agency),
                "what": str(e.event_type),
                "summary": redact.text(e.summary),
            }
            for e in ChronologyEvent.objects.filter(child_id=child.pk)
            .select_related("agency", "event_type")
            .order_by("occurred_at", "pk")
        ],
    }
    return package, redact.count


@dataclass(frozen=True)
class RetentionRule:
    name: str
    description: str
    applies_to: str
    review_at_age: int


def retention_rules(path: Path = RETENTION_FILE) -> list[RetentionRule]:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [RetentionRule(**rule) for rule in data["rule"]]


@dataclass(frozen=True)
class RetentionDue:
    child_id: int
    rule: RetentionRule
    review_on: dt.date


def _birthday(born: dt.date, age: int) -> dt.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # 29 February
        return born.replace(year=born.year + age, day=28)


def retention_rule_for(*, child: Child, rules: list[RetentionRule]) -> RetentionRule:
    """The rule that governs the child's record: the first whose condition holds."""
    for rule in rules:
        if rule.applies_to == "looked_after":
            if Plan.objects.filter(child_id=child.pk, plan_type=PlanType.LOOKED_AFTER).exists():
                return rule
        elif rule.applies_to == "casework":
            if (
                Referral.objects.filter(child_id=child.pk).exists()
                or Contact.objects.filter(child_id=child.pk).exists()
                or Plan.objects.filter(child_id=child.pk).exists()
            ):
                return rule
        elif rule.applies_to == "any":
            return rule
    raise ValueError("retention.toml has no rule that applies to every child ('any')")


def retention_review_list(*, today: dt.date | None = None) -> list[RetentionDue]:
    """Children whose record has reached its review date and has not been erased yet."""
    today = today or clock.today()
    rules = retention_rules()
    youngest = min(rule.review_at_age for rule in rules)
    candidates = (
        Child.objects.filter(person__date_of_birth__lte=_birthday(today, -youngest))
        .exclude(pk__in=Erasure.objects.values("child_id"))
        .select_related("person")
        .order_by("person__date_of_birth", "pk")
    )
    due = []
    for child in candidates:
        rule = retention_rule_for(child=child, rules=rules)
        born = child.person.date_of_birth
        assert born is not None
        review_on = _birthday(born, rule.review_at_age)
        if review_on <= today:
            due.append(RetentionDue(child.pk, rule, review_on))
    return due
