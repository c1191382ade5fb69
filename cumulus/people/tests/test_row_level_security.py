"""PostgreSQL row-level security on case tables, tested with raw SQL as an ordinary role.

The suite connects as a superuser, whom policies never hold, so each test creates a throwaway
role without BYPASSRLS and runs its queries under ``SET LOCAL ROLE`` inside the test's
transaction (rolled back afterwards, role and all). On SQLite there is no row-level security:
the application's checks stand alone there, and these tests are not collected.
"""

import uuid

import pytest
from django.db import connection

from cumulus.accounts.models import Role
from cumulus.people.rls import CASE_TABLES, viewer_settings
from cumulus.testing.factories import ChronologyEventFactory, InvolvementFactory, UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row-level security exists only on PostgreSQL"
    ),
]


@pytest.fixture
def app_role():
    name = f"cumulus_app_{uuid.uuid4().hex[:10]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOBYPASSRLS")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
        cursor.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {name}")
    return name


def _as_app(role, settings, sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT rls_probe")
        try:
            cursor.execute(f"SET LOCAL ROLE {role}")
            for key, value in settings.items():
                cursor.execute("SELECT set_config(%s, %s, true)", [key, value])
            cursor.execute(sql, params)
            return sorted(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT rls_probe")


def test_every_case_table_has_forced_row_level_security():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
            "AND relname = ANY(%s)",
            [list(CASE_TABLES)],
        )
        assert sorted(r[0] for r in cursor.fetchall()) == sorted(CASE_TABLES)


def test_without_a_viewer_the_policies_fail_closed(app_role):
    InvolvementFactory()
    assert _as_app(app_role, {}, "SELECT person_id FROM people_child") == []
    assert _as_app(app_role, {}, "SELECT id FROM chronology_chronologyevent") == []


def test_a_viewer_sees_exactly_the_children_the_application_shows(app_role):
    mine = InvolvementFactory()
    ChronologyEventFactory(child=mine.child)
    other = InvolvementFactory()
    ChronologyEventFactory(child=other.child)
    teacher = mine.practitioner
    scope = viewer_settings(teacher)

    assert _as_app(app_role, scope, "SELECT person_id FROM people_child") == [mine.child.pk]
    events = _as_app(app_role, scope, "SELECT child_id FROM chronology_chronologyevent")
    assert set(events) == {mine.child.pk}

    lead = UserFactory(agency=other.agency, role=Role.DESIGNATED_SAFEGUARDING_LEAD)
    seen = _as_app(app_role, viewer_settings(lead), "SELECT person_id FROM people_child")
    assert seen == [other.child.pk]


def test_system_scope_sees_everything(app_role):
    InvolvementFactory()
    InvolvementFactory()
    rows = _as_app(app_role, {"cumulus.scope": "system"}, "SELECT person_id FROM people_child")
    assert len(rows) == 2


def test_each_request_scopes_its_transaction_to_the_signed_in_user(client):
    involvement = InvolvementFactory()
    client.force_login(involvement.practitioner)
    assert client.get(f"/children/{involvement.child.pk}/").status_code == 200
    # The test's own transaction wraps the request's, so the request's local settings are
    # still visible here: the middleware set them for this user.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('cumulus.user_id', true), "
            "current_setting('cumulus.scope', true)"
        )
        assert cursor.fetchone() == (str(involvement.practitioner.pk), "")


def _restricted_child_with_event(roles=(Role.SOCIAL_WORKER,), allow_practitioner=False):
    from cumulus.people.services import record_restriction_set

    involvement = InvolvementFactory()
    ChronologyEventFactory(child=involvement.child)
    manager = UserFactory(role=Role.TEAM_MANAGER, agency=involvement.agency)
    record_restriction_set(
        actor=manager,
        child=involvement.child,
        reason="adoption",
        contact="The adoption team, 01234 567890",
        allowed_roles=list(roles),
        allowed_users=[involvement.practitioner] if allow_practitioner else [],
        explanation="Placed for adoption.",
    )
    return involvement


def test_a_restricted_childs_case_rows_are_hidden_from_an_involved_but_not_allowed_role(
    app_role,
):
    involvement = _restricted_child_with_event()
    scope = viewer_settings(involvement.practitioner)  # a frontline practitioner
    events = "SELECT child_id FROM chronology_chronologyevent"
    assert _as_app(app_role, scope, events) == []
    # The child's own row stays: the application tells them it is restricted and whom to ask.
    children = _as_app(app_role, scope, "SELECT person_id FROM people_child")
    assert children == [involvement.child.pk]


def test_a_restricted_childs_case_rows_show_to_an_allowed_role_and_an_allowed_person(app_role):
    involvement = _restricted_child_with_event(roles=(Role.FRONTLINE_PRACTITIONER,))
    events = "SELECT child_id FROM chronology_chronologyevent"
    scope = viewer_settings(involvement.practitioner)
    assert _as_app(app_role, scope, events) == [involvement.child.pk]

    named = _restricted_child_with_event(allow_practitioner=True)
    assert named.practitioner.role == Role.FRONTLINE_PRACTITIONER
    assert _as_app(app_role, viewer_settings(named.practitioner), events) == [named.child.pk]


def test_break_glass_never_opens_a_restricted_childs_case_rows(app_role):
    import datetime as dt

    from cumulus.core import clock
    from cumulus.people.models import BreakGlassAccess

    involvement = _restricted_child_with_event(roles=(Role.SOCIAL_WORKER,))
    stranger = UserFactory(role=Role.SOCIAL_WORKER)
    BreakGlassAccess.objects.create(
        user=stranger,
        child=involvement.child,
        reason="Emergency out of hours",
        started_at=clock.now() - dt.timedelta(minutes=1),
        expires_at=clock.now() + dt.timedelta(minutes=30),
    )
    events = "SELECT child_id FROM chronology_chronologyevent"
    assert _as_app(app_role, viewer_settings(stranger), events) == []
    # The same grant on an unrestricted child opens it.
    open_child = InvolvementFactory()
    ChronologyEventFactory(child=open_child.child)
    BreakGlassAccess.objects.create(
        user=stranger,
        child=open_child.child,
        reason="Emergency out of hours",
        started_at=clock.now() - dt.timedelta(minutes=1),
        expires_at=clock.now() + dt.timedelta(minutes=30),
    )
    assert _as_app(app_role, viewer_settings(stranger), events) == [open_child.child.pk]
