"""Attacks that must fail: forged posts (CSRF), script in free text (XSS), SQL in search
fields, and session fixation. The CSRF test walks the whole URL map, so a new form is covered
the day it is added."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from cumulus.casework.models import Contact
from cumulus.testing.factories import ChildFactory, InvolvementFactory, PersonFactory, UserFactory
from cumulus.web.tests.test_idor import all_routes

pytestmark = pytest.mark.django_db

# Routes that take no browser session (token-authenticated APIs) are not CSRF targets.
CSRF_EXEMPT_PREFIXES: tuple[str, ...] = ("interchange/api/",)

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL_INJECTIONS = [
    "' OR '1'='1",
    "'; DROP TABLE people_child; --",
    '" OR ""="',
    "%' --",
    "\\' OR 1=1",
]


def _any_value(match: re.Match[str]) -> str:
    """A value each path converter accepts, so the URL resolves to its view."""
    converter = (match.group(1) or "str:").rstrip(":")
    return {"uuid": "8656638b-3bed-4ebf-9efa-45242e934fe0", "int": "1"}.get(converter, "x")


def test_no_page_accepts_a_post_without_the_csrf_token():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    checked = 0
    for route in all_routes():
        if route.pattern.startswith(CSRF_EXEMPT_PREFIXES):
            continue
        url = "/" + re.sub(r"<(\w+:)?\w+>", _any_value, route.pattern)
        response = client.post(url, {"anything": "forged"})
        assert response.status_code == 403, f"{url} accepted a forged post"
        checked += 1
    assert checked >= 10


def test_script_in_a_concern_is_shown_as_text_not_run(client):
    from cumulus.accounts.models import AgencyType
    from cumulus.testing.factories import AgencyFactory

    AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
    involvement = InvolvementFactory()
    client.force_login(involvement.practitioner)
    response = client.post(
        reverse("web:concern-new", args=[involvement.child.pk]),
        {
            "summary": XSS,
            "childs_words": XSS,
            "already_tried": XSS,
            "sharing_basis": "safeguarding",
            "sharing_reason": XSS,
        },
    )
    assert response.status_code == 302
    assert Contact.objects.get().summary == XSS
    page = client.get(reverse("web:child-detail", args=[involvement.child.pk])).content.decode()
    assert "<script>alert" not in page
    assert "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_script_in_a_childs_name_is_escaped_in_search_results(client):
    child = ChildFactory(person=PersonFactory(given_name=XSS, family_name="Ng"))
    involvement = InvolvementFactory(child=child)
    client.force_login(involvement.practitioner)
    page = client.get(reverse("web:child-search"), {"name": "Ng"}).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize("payload", SQL_INJECTIONS)
def test_sql_in_search_fields_is_just_text(client, payload):
    involvement = InvolvementFactory()
    InvolvementFactory()  # another child the user must never see
    client.force_login(involvement.practitioner)
    for field in ("name", "nhs_number", "upn"):
        response = client.get(reverse("web:child-search"), {field: payload})
        assert response.status_code == 200
        assert response.context["results"] in (None, [])
    assert involvement.child.__class__.objects.count() == 2


def test_signing_in_gives_a_new_session_id(client):
    from cumulus.testing.factories import TEST_PASSWORD

    user = UserFactory()
    client.get(reverse("web:sign-in"))
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    response = client.post(
        reverse("web:sign-in"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != before
