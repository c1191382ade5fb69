"""Who viewed a child in the last year, and unusual access across the partnership."""

import datetime as dt

import pytest
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.audit.selectors import unusual_access, viewers_of_child
from cumulus.core import clock
from cumulus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _view(actor, child_id, at, action=AccessAction.VIEW_CHILD):
    return AccessLogEntry.objects.create(
        occurred_at=at,
        actor=actor,
        actor_username=actor.username,
        actor_role=actor.role,
        action=action,
        child_id=child_id,
        view_name="web:child-detail",
        path=f"/children/{child_id}/",
        method="GET",
        request_id="r" * 12,
    )


def test_viewers_of_a_child_in_the_last_year_one_row_each():
    now = clock.now()
    nurse, teacher = UserFactory(), UserFactory()
    _view(nurse, 7, now - dt.timedelta(days=400))  # too long ago
    _view(nurse, 7, now - dt.timedelta(days=10))
    _view(nurse, 7, now - dt.timedelta(days=2), action=AccessAction.BREAK_GLASS)
    _view(teacher, 7, now - dt.timedelta(days=5))
    _view(teacher, 8, now - dt.timedelta(days=1))  # another child
    rows = viewers_of_child(child_id=7, since=now - dt.timedelta(days=365))
    assert [(r.username, r.views, r.emergency) for r in rows] == [
        (nurse.username, 2, 1),
        (teacher.username, 1, 0),
    ]


def test_unusual_access_finds_many_different_children_in_one_hour_only():
    hour = clock.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=3)
    prober, busy = UserFactory(), UserFactory()
    for child_id in range(1, 6):
        _view(prober, child_id, hour + dt.timedelta(minutes=child_id))
    _view(prober, 1, hour + dt.timedelta(minutes=30), action=AccessAction.DENIED)
    for minute in range(10):  # many views, but of the same two children
        _view(busy, minute % 2 + 1, hour + dt.timedelta(minutes=minute))
    for child_id in range(1, 6):  # five children, but spread over five hours
        _view(busy, 100 + child_id, hour - dt.timedelta(hours=child_id))
    rows = unusual_access(threshold=5)
    assert [(r.username, r.hour, r.children, r.denied) for r in rows] == [
        (prober.username, hour, 5, 1)
    ]


def test_only_analysts_and_administrators_see_the_unusual_access_page(client):
    client.force_login(UserFactory(role=Role.TEAM_MANAGER))
    assert client.get(reverse("web:unusual-access")).status_code == 404
    client.force_login(UserFactory(role=Role.PARTNERSHIP_ANALYST))
    response = client.get(reverse("web:unusual-access"))
    assert response.status_code == 200
    assert "No unusual access in the last 30 days" in response.content.decode()
