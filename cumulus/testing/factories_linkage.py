"""Factories for linkage tests: agency records, model versions, linkage analysts."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group, Permission

from cumulus.accounts.models import Role, User
from cumulus.linkage import engine
from cumulus.linkage.models import LinkageModel, SourceRecord
from cumulus.testing.factories import UserFactory

LINKAGE_ANALYSTS = "Linkage analysts"


def linkage_analysts_group() -> Group:
    """The group holding both linkage permissions (as the demo creates it)."""
    group, _ = Group.objects.get_or_create(name=LINKAGE_ANALYSTS)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="linkage", codename__in=["review_pair", "manage_linkage"]
        )
    )
    return group


def linkage_analyst(**fields: Any) -> User:
    user = UserFactory(role=Role.PARTNERSHIP_ANALYST, **fields)
    user.groups.add(linkage_analysts_group())  # type: ignore[attr-defined]
    return User.objects.get(pk=user.pk)  # type: ignore[attr-defined]  # fresh: permissions are cached per instance


class LinkageModelFactory(factory.django.DjangoModelFactory[LinkageModel]):
    class Meta:
        model = LinkageModel

    version = factory.Sequence(lambda n: n + 1)
    model_json = factory.LazyFunction(engine.default_model)
    fields = factory.LazyAttribute(lambda o: engine.model_fields(o.model_json))
    is_active = True


class SourceRecordFactory(factory.django.DjangoModelFactory[SourceRecord]):
    class Meta:
        model = SourceRecord

    source_system = "gp_001"
    source_record_id = factory.Sequence(lambda n: f"GP-{n:07d}")
    forename = factory.Faker("first_name", locale="en_GB")
    surname = factory.Faker("last_name", locale="en_GB")
