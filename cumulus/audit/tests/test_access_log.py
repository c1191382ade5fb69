"""The access log is append-only in the model and in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from cumulus.audit.models import AccessAction, AccessLogEntry, AppendOnlyError
from cumulus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    actor = UserFactory()
    return AccessLogEntry.objects.create(
        actor=actor,
        actor_username=actor.username,
        action=AccessAction.VIEW_CHILD,
        child_id=1,
        view_name="web:child-detail",
        path="/children/1/",
        method="GET",
        request_id="abc123abc123",
    )


def test_saving_an_existing_entry_is_refused(entry):
    entry.path = "/somewhere-else/"
    with pytest.raises(AppendOnlyError):
        entry.save()


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_database_refuses_bulk_update(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLogEntry.objects.filter(pk=entry.pk).update(path="/tampered/")
    entry.refresh_from_db()
    assert entry.path == "/children/1/"


def test_database_refuses_raw_delete(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_accesslogentry")
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
