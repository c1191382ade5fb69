"""The importers' fast insert path writes what the ORM would, and refuses what it cannot do."""

from __future__ import annotations

import datetime as dt

import pytest

from cumulus.casework.models import Referral
from cumulus.codelists.models import Code, Scheme
from cumulus.interchange.bulk import BulkInsertError, build, insert_instances
from cumulus.people.models import Child, Person
from cumulus.testing.factories import ChildFactory

pytestmark = pytest.mark.django_db


def _source_code() -> Code:
    code = Code.objects.filter(scheme=Scheme.REFERRAL_SOURCE).first()
    assert code is not None, "the referral source code list is loaded by migrations"
    return code


def test_rows_built_and_inserted_read_back_like_orm_rows():
    child = ChildFactory()
    source = _source_code()
    fast = [
        build(Referral, child=child, referred_on=dt.date(2025, 1, d), source_id=source.pk)
        for d in (1, 2)
    ]
    insert_instances(fast)
    assert all(r.pk for r in fast)
    orm = Referral.objects.create(child=child, referred_on=dt.date(2025, 1, 3), source=source)
    rows = {
        r.referred_on.day: r for r in Referral.objects.filter(child=child).order_by("referred_on")
    }
    assert set(rows) == {1, 2, 3}
    assert rows[1].pk == fast[0].pk
    assert rows[2].pk == fast[1].pk
    for field in Referral._meta.concrete_fields:
        if field.name in {"id", "referred_on", "created_at", "updated_at"}:
            continue
        assert getattr(rows[1], field.attname) == getattr(orm, field.attname), field.name
    assert rows[1].created_at is not None


def test_a_shared_primary_key_is_written_not_returned():
    person = insert_instances([build(Person, family_name="Example", sex="U")])[0]
    child = insert_instances([build(Child, person=person, la_child_id="FAST1")])[0]
    assert Child.objects.get(pk=person.pk).la_child_id == "FAST1"
    assert child.pk == person.pk


def test_an_unsaved_relation_or_an_unknown_field_is_refused():
    with pytest.raises(BulkInsertError, match="unsaved"):
        build(Child, person=Person(family_name="Unsaved"))
    with pytest.raises(BulkInsertError, match="no field 'colour'"):
        build(Person, colour="blue")
    with pytest.raises(BulkInsertError, match="one model"):
        insert_instances([build(Person, family_name="A"), build(Referral)])
