"""Linkage in the demo partnership: the shipped model, some agency records, a review queue.

Why: the demo should show a linkage analyst something to decide. A few dozen agency records
are drawn from the demo's own children (most match on NHS number or UPN and link at once);
a handful are the hard cases (no identifiers, another postcode, a nickname) that the model
sends to the review queue.
"""

from __future__ import annotations

import dataclasses

from django.contrib.auth.models import Group, Permission

from cumulus.accounts.models import User
from cumulus.linkage import engine, services
from cumulus.linkage.models import SourceRecord
from cumulus.people.models import Child

LINKAGE_ANALYSTS = "Linkage analysts"


def seed_linkage_demo(*, analyst: User, clean_records: int = 30, hard_records: int = 4) -> int:
    """Give ``analyst`` the linkage permissions and fill the review queue; returns its size."""
    group, _ = Group.objects.get_or_create(name=LINKAGE_ANALYSTS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="linkage", codename__in=["review_pair", "manage_linkage"]
        )
    )
    analyst.groups.add(group)
    services.linkage_model_save(
        actor=None,
        model_json=engine.default_model(),
        thresholds=dataclasses.replace(engine.Thresholds()),
        notes="Shipped model, trained on the synthetic partnership's feeds (20,000 children).",
    )
    children = list(
        Child.objects.filter(person__date_of_birth__isnull=False, nhs_number__isnull=False)
        .select_related("person")
        .order_by("pk")[: clean_records + hard_records]
    )
    records = []
    for i, child in enumerate(children):
        person = child.person
        hard = i < hard_records
        records.append(
            SourceRecord.objects.create(
                source_system="demo_gp" if not hard else "demo_police",
                source_record_id=f"{'POL' if hard else 'GP'}-{i + 1:05d}",
                forename=person.given_name,
                surname=person.family_name,
                date_of_birth=person.date_of_birth,
                sex="" if hard else person.sex,
                postcode="EM9 9XX" if hard else "",
                nhs_number="" if hard else (child.nhs_number or ""),
                upn="",
            )
        )
    result = services.records_link(actor=None, records=records)
    return len(result.review_items)
