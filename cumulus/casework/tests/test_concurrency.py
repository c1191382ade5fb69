"""Two front door decision-makers decide the same contact at the same moment, on PostgreSQL:
one wins, the other is told who decided, and nothing is saved twice or by halves.

This needs committed rows that two threads (two database connections) can see, so it runs
outside pytest-django's per-test transaction and removes its own rows afterwards. (A
transactional test cannot be used: its TRUNCATE at the end is refused by the access log's
append-only trigger.) On SQLite it is skipped: SQLite serialises writers with one database
lock, so there is no row lock to test; the sequential test in test_front_door.py covers it.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from cumulus.accounts.models import Agency, AgencyType, Role, User
from cumulus.casework import services
from cumulus.casework.models import Contact
from cumulus.casework.services import front_door as front_door_module
from cumulus.chronology.models import ChronologyEvent
from cumulus.inbox.models import Notification
from cumulus.people.models import Child, Involvement, Person


@pytest.fixture
def test_database(django_db_setup, django_db_blocker):
    """The test database, also when this is the only test collected (pytest-django sets it up
    only for tests marked ``django_db``, and a marked test runs inside a transaction)."""
    from django.test.utils import setup_databases, teardown_databases

    if connection.vendor != "postgresql":
        # Not a missing feature: SQLite has no row locks to race for. CI's PostgreSQL pass runs it.
        pytest.skip("SQLite serialises writes with a database lock: no row lock to race for")
    with django_db_blocker.unblock():
        own = None
        if not connection.settings_dict["NAME"].startswith("test_"):
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"})
        try:
            yield
        finally:
            if own is not None:
                teardown_databases(own, verbosity=0)


@pytest.fixture
def committed_contact(test_database, django_db_blocker):
    with django_db_blocker.unblock():
        school = Agency.objects.create(name="Race School", agency_type=AgencyType.SCHOOL)
        csc = Agency.objects.create(
            name="Race Social Care", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
        )
        teacher = User.objects.create(username="race-teacher", agency=school)
        deciders = [
            User.objects.create(
                username=f"race-door-{n}", agency=csc, role=Role.FRONT_DOOR_DECISION_MAKER
            )
            for n in (1, 2)
        ]
        person = Person.objects.create(given_name="Race", family_name="Child")
        child = Child.objects.create(person=person)
        Involvement.objects.create(
            child=child,
            agency=school,
            practitioner=teacher,
            role="Teacher",
            started_on="2024-09-01",
        )
        contact = services.concern_record(actor=teacher, child=child, summary="Hungry.")
        try:
            yield contact, deciders
        finally:
            ChronologyEvent.objects.filter(child=child).delete()
            Notification.objects.filter(recipient__in=[teacher, *deciders]).delete()
            Contact.objects.filter(child=child).delete()
            Involvement.objects.filter(child=child).delete()
            child.delete()
            person.delete()
            User.objects.filter(pk__in=[teacher.pk, *(d.pk for d in deciders)]).delete()
            Agency.objects.filter(pk__in=[school.pk, csc.pk]).delete()


def test_two_decision_makers_at_once_one_wins_the_other_is_told(committed_contact, monkeypatch):
    contact, deciders = committed_contact
    record = front_door_module.chronology_event_record

    def slow_record(**kwargs):
        # The winner holds the row lock for a while, so the other thread really waits on it.
        time.sleep(0.5)
        return record(**kwargs)

    monkeypatch.setattr(front_door_module, "chronology_event_record", slow_record)
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def decide(user: User, outcome: str) -> None:
        try:
            barrier.wait()
            services.front_door_decide(
                actor=user, contact_id=contact.pk, outcome=outcome, rationale=f"{outcome}."
            )
            results[user.username] = "won"
        except Exception as exc:
            results[user.username] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=(deciders[0], "no_further_action")),
        threading.Thread(target=decide, args=(deciders[1], "universal_services")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, result in results.items() if result == "won"]
    losers = [result for result in results.values() if result != "won"]
    assert len(winners) == 1, results
    assert len(losers) == 1
    assert isinstance(losers[0], services.ContactAlreadyDecidedError)
    winner = User.objects.get(username=winners[0])
    assert str(winner) in str(losers[0])
    contact.refresh_from_db()
    assert contact.decided_by == winner
    assert (
        ChronologyEvent.objects.filter(
            child=contact.child, event_type__code="casework.front_door_decision"
        ).count()
        == 1
    )
    assert Notification.objects.filter(recipient=contact.recorded_by).count() == 1
