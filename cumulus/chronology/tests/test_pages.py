"""The chronology as a practitioner sees it: filters, the household, restricted events, the
timeline, and the impact chronology with its logged exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cumulus.accounts.models import AgencyType, Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.chronology.models import Significance
from cumulus.chronology.selectors import (
    ChronologyFilter,
    chronology_events,
    chronology_month_counts,
)
from cumulus.chronology.services import chronology_event_record, chronology_impact_record
from cumulus.testing.factories import (
    TEST_PASSWORD,
    AgencyFactory,
    ChildFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    InvolvementFactory,
    UserFactory,
)
from cumulus.testing.formulas import FORMULA_PAYLOADS

pytestmark = pytest.mark.django_db


def _at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text + " 10:00"))


@pytest.fixture
def world():
    school = AgencyFactory(name="Eastmoor Primary", agency_type=AgencyType.SCHOOL)
    police = AgencyFactory(name="Eastmoor Police", agency_type=AgencyType.POLICE)
    teacher = UserFactory(agency=school, role=Role.FRONTLINE_PRACTITIONER)
    officer = UserFactory(agency=police, role=Role.DESIGNATED_SAFEGUARDING_LEAD)
    child = ChildFactory()
    InvolvementFactory(child=child, practitioner=teacher, agency=school)
    InvolvementFactory(child=child, practitioner=officer, agency=police)

    def record(agency, event_type, on, summary, **kw):
        return chronology_event_record(
            actor=None,
            child=kw.pop("child", child),
            agency=agency,
            event_type=event_type,
            occurred_at=_at(on),
            summary=summary,
            **kw,
        )

    concern = record(
        school,
        "education.dsl_concern",
        "2026-01-10",
        "Arrived hungry.",
        significance=Significance.HIGH,
        neglect_type="nutritional",
    )
    absence = record(school, "education.absence", "2026-02-03", "Absent, no reason given.")
    secret = record(
        police,
        "police.concern",
        "2026-03-01",
        "Intelligence about an adult visiting the home.",
        significance=Significance.HIGH,
        restricted_to_roles=[Role.DESIGNATED_SAFEGUARDING_LEAD],
        restriction_contact="DS Patel, Eastmoor Police public protection",
    )
    return {
        "child": child,
        "school": school,
        "police": police,
        "teacher": teacher,
        "officer": officer,
        "record": record,
        "concern": concern,
        "absence": absence,
        "secret": secret,
    }


def _client(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)
    return client


def test_filters_by_agency_type_neglect_type_and_significance(world):
    child, teacher = world["child"], world["teacher"]

    def summaries(**kw):
        return [
            e.summary
            for e in chronology_events(viewer=teacher, child=child, filters=ChronologyFilter(**kw))
        ]

    assert summaries(agency_ids=(world["school"].pk,)) == [
        "Absent, no reason given.",
        "Arrived hungry.",
    ]
    assert summaries(event_types=("education.absence",)) == ["Absent, no reason given."]
    assert summaries(neglect_types=("nutritional",)) == ["Arrived hungry."]
    assert summaries(significance=("high",)) == ["Arrived hungry."]
    assert summaries(newest_first=False)[0] == "Arrived hungry."


def test_a_restricted_event_is_seen_as_restricted_by_other_roles(world, client):
    response = _client(client, world["teacher"]).get(
        reverse("chronology:child", args=[world["child"].pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "A restricted event exists" in html
    assert "DS Patel, Eastmoor Police public protection" in html
    assert "designated safeguarding lead" in html
    assert "Intelligence about an adult" not in html


def test_the_named_role_reads_a_restricted_event_in_full(world, client):
    response = _client(client, world["officer"]).get(
        reverse("chronology:child", args=[world["child"].pk])
    )
    html = response.content.decode()
    assert "Intelligence about an adult" in html
    assert "A restricted event exists" not in html


def test_filtering_on_content_never_reveals_a_restricted_event(world):
    events = chronology_events(
        viewer=world["teacher"],
        child=world["child"],
        filters=ChronologyFilter(event_types=("police.concern",)),
    )
    assert list(events) == []
    high = chronology_events(
        viewer=world["officer"],
        child=world["child"],
        filters=ChronologyFilter(significance=("high",)),
    )
    assert world["secret"] in list(high)


def test_the_child_page_hides_restricted_events_too(world, client):
    html = (
        _client(client, world["teacher"])
        .get(reverse("web:child-detail", args=[world["child"].pk]))
        .content.decode()
    )
    assert "A restricted event exists" in html
    assert "Intelligence about an adult" not in html


def test_a_restricted_event_must_say_whom_to_ask(world):
    with pytest.raises(ValidationError) as caught:
        world["record"](
            world["police"],
            "police.concern",
            "2026-03-02",
            "x",
            restricted_to_roles=[Role.DESIGNATED_SAFEGUARDING_LEAD],
        )
    assert "restriction_contact" in caught.value.message_dict


def test_household_view_adds_siblings_household_events_once(world):
    child = world["child"]
    sibling = ChildFactory()
    home = HouseholdFactory()
    HouseholdMembershipFactory(household=home, person=child.person)
    HouseholdMembershipFactory(household=home, person=sibling.person)
    record = world["record"]
    record(
        world["police"], "police.domestic_abuse", "2026-02-10", "Incident at home.", child=sibling
    )
    record(world["school"], "education.absence", "2026-02-11", "Sibling absent.", child=sibling)
    # The same incident recorded for both children appears once.
    record(
        world["police"], "police.domestic_abuse", "2026-02-20", "Second incident.", child=sibling
    )
    record(world["police"], "police.domestic_abuse", "2026-02-20", "Second incident.")
    own = [e.summary for e in chronology_events(viewer=world["teacher"], child=child)]
    both = [
        (e.summary, e.is_own)
        for e in chronology_events(
            viewer=world["teacher"], child=child, filters=ChronologyFilter(household=True)
        )
    ]
    assert "Incident at home." not in own
    assert ("Incident at home.", False) in both
    assert ("Sibling absent.", False) not in both
    assert [s for s, _ in both].count("Second incident.") == 1


def test_timeline_counts_events_per_month_by_agency_and_renders_svg_and_table(world, client):
    counts = chronology_month_counts(viewer=world["teacher"], child=world["child"])
    assert [(c.month, c.agency, c.count) for c in counts] == [
        (dt.date(2026, 1, 1), "Eastmoor Primary", 1),
        (dt.date(2026, 2, 1), "Eastmoor Primary", 1),
        (dt.date(2026, 3, 1), "Eastmoor Police", 1),
    ]
    html = (
        _client(client, world["teacher"])
        .get(reverse("chronology:child", args=[world["child"].pk]))
        .content.decode()
    )
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
    assert 'role="img"' in html
    assert 'data-testid="timeline-table"' in html


def test_invalid_filter_is_a_clear_error(world, client):
    response = _client(client, world["teacher"]).get(
        reverse("chronology:child", args=[world["child"].pk]), {"agency": "999999"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_impact_is_written_and_exported_as_csv_and_pdf_with_each_export_logged(world, client):
    teacher, child = world["teacher"], world["child"]
    c = _client(client, teacher)
    response = c.post(
        reverse("chronology:impact-edit", args=[child.pk, world["concern"].pk]),
        {"impact_on_child": "=Came to school without breakfast; could not concentrate."},
    )
    assert response.status_code == 302
    csv_response = c.get(reverse("chronology:impact-export", args=[child.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode())))
    assert rows[0][0] == "Date"
    hungry = next(r for r in rows if r[4] == "Arrived hungry.")
    assert hungry[5].startswith("'=Came to school")  # a formula is neutralised
    assert any(r[2] == "Restricted event" for r in rows)
    assert all("Intelligence" not in cell for r in rows for cell in r)
    for payload in (p for p in FORMULA_PAYLOADS if not p[0].isspace()):  # forms strip spaces
        c.post(
            reverse("chronology:impact-edit", args=[child.pk, world["concern"].pk]),
            {"impact_on_child": payload},
        )
        again = list(
            csv.reader(
                io.StringIO(
                    c.get(
                        reverse("chronology:impact-export", args=[child.pk, "csv"])
                    ).content.decode()
                )
            )
        )
        assert next(r for r in again if r[4] == "Arrived hungry.")[5] == "'" + payload
    pdf = c.get(reverse("chronology:impact-export", args=[child.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    exports = AccessLogEntry.objects.filter(
        actor=teacher, child_id=child.pk, action=AccessAction.EXPORT
    )
    assert sorted(e.detail["format"] for e in exports) == ["csv"] * 5 + ["pdf"]


def test_only_a_reader_of_a_restricted_event_may_describe_its_impact(world, client):
    c = _client(client, world["teacher"])
    url = reverse("chronology:impact-edit", args=[world["child"].pk, world["secret"].pk])
    assert c.get(url).status_code == 404
    event = world["secret"]
    from cumulus.chronology.services import ImpactNotAllowedError

    with pytest.raises(ImpactNotAllowedError):
        chronology_impact_record(actor=world["teacher"], event=event, impact_on_child="x")


def test_chronology_pages_answer_404_without_need_to_know(world, client):
    stranger = UserFactory()
    c = _client(client, stranger)
    for url in (
        reverse("chronology:child", args=[world["child"].pk]),
        reverse("chronology:impact", args=[world["child"].pk]),
        reverse("chronology:impact-export", args=[world["child"].pk, "csv"]),
    ):
        assert c.get(url).status_code == 404


def test_a_link_to_an_event_opens_the_page_that_holds_it(world, client):
    record = world["record"]
    for day in range(1, 29):
        for hour in range(5):
            record(world["school"], "education.absence", f"2025-02-{day:02d}", f"old {day} {hour}")
    url = reverse("chronology:child", args=[world["child"].pk])
    c = _client(client, world["teacher"])
    assert c.get(url, {"event": world["concern"].pk}).context["page"].number == 1
    oldest = world["child"].events.order_by("occurred_at", "id").first()
    response = c.get(url, {"event": oldest.pk})
    assert response.context["page"].number == 2
    assert f'id="event-{oldest.pk}"' in response.content.decode()
