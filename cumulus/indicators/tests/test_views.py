from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from cumulus.accounts.models import Role
from cumulus.analytics.catalogue import CATALOGUE
from cumulus.indicators.selectors import benchmark_list
from cumulus.indicators.services import IndicatorUnknownError, neighbour_figure_add
from cumulus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _client(role: str) -> Client:
    client = Client()
    user = UserFactory.create(role=role)
    client.force_login(user)
    return client


def test_frontline_practitioners_do_not_see_the_dashboard() -> None:
    # The project answers "permission denied" with its not-found page (need to know).
    assert _client(Role.FRONTLINE_PRACTITIONER).get("/indicators/").status_code == 404


def test_the_dashboard_lists_every_indicator(settings: object, tmp_path: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    page = _client(Role.PARTNERSHIP_ANALYST).get("/indicators/").content.decode()
    for ind in CATALOGUE.values():
        assert f"/indicators/{ind.id}/" in page


def test_every_indicator_has_a_definition_page(settings: object, tmp_path: object) -> None:
    settings.VAR_DIR = tmp_path  # type: ignore[attr-defined]
    client = _client(Role.TEAM_MANAGER)
    for ind in CATALOGUE.values():
        page = client.get(f"/indicators/{ind.id}/?breakdown=agency")
        assert page.status_code == 200
        assert escape(ind.definition) in page.content.decode()
    assert client.get("/indicators/no_such_thing/").status_code == 404


def test_a_partnership_adds_its_statistical_neighbours_figures() -> None:
    analyst = UserFactory.create(role=Role.PARTNERSHIP_ANALYST)
    for name, value in (("Authority A", 30.0), ("Authority B", 40.0)):
        neighbour_figure_add(
            actor=analyst,
            indicator="children_on_cp_plan",
            authority=name,
            year="2024-25",
            value=value,
            source="LAIT",
        )
    added = [
        b
        for b in benchmark_list(indicator="children_on_cp_plan")
        if b.kind == "statistical_neighbours"
    ]
    assert [(b.year, b.value) for b in added] == [("2024-25", 35.0)]
    with pytest.raises(IndicatorUnknownError):
        neighbour_figure_add(
            actor=analyst, indicator="nope", authority="A", year="1", value=1, source="x"
        )
