"""Plans and reviews show the change measured by the child's repeat assessments (issue 6's
comparison), and the plan lists its content changes from the chronology."""

import datetime as dt

import pytest
from django.urls import reverse

from cumulus.instruments import services as instruments
from cumulus.instruments.models import InstrumentAssessment

from .conftest import START
from .test_pages import _early_help_plan

pytestmark = pytest.mark.django_db

GRADES = {
    "medical": 2,
    "nutritional": 4,
    "emotional": 2,
    "educational": 1,
    "physical": 4,
    "supervision": 2,
}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CUMULUS_INSTRUMENT_PACKS_DIR = str(tmp_path / "packs")


def _screening(actor, child, grades, on):
    a = instruments.assessment_start(actor=actor, child=child, instrument_id="neglect-screening")
    raw = {**{f"{k}.grade": v for k, v in grades.items()}, "overall.definition": 2}
    a = instruments.assessment_sign_off(actor=actor, assessment_id=a.pk, raw=raw)
    InstrumentAssessment.objects.filter(pk=a.pk).update(assessed_on=on)
    return a


def test_plan_review_form_and_review_show_the_comparison(client, cast, clock_at):
    plan = _early_help_plan(client, cast)
    page = reverse("casework:plan", args=[plan.pk])
    shown = client.get(page).content.decode()
    assert 'data-testid="no-comparison"' in shown

    lead = cast.lead_practitioner
    _screening(lead, cast.child, GRADES, START)
    shown = client.get(page).content.decode()
    assert "Only one assessment so far" in shown

    clock_at(START + dt.timedelta(days=60))
    client.force_login(lead)  # the session's clock moved on with the test's
    review_form = client.get(reverse("casework:review-new", args=[plan.pk])).content.decode()
    assert "The evidence for this review" in review_form
    client.post(
        reverse("casework:review-new", args=[plan.pk]),
        {"held_on": "2026-04-30", "progress": "insufficient", "summary": "No change yet."},
    )
    # A later reassessment shows on the plan, not on the earlier review.
    _screening(lead, cast.child, {**GRADES, "nutritional": 2}, dt.date(2026, 5, 1))
    shown = client.get(page).content.decode()
    assert "Better since the last assessment (2 March 2026): Nutritional (4 to 2)." in shown
    assert 'data-testid="comparison-chart"' in shown
    review = plan.reviews.get()
    assert reverse("casework:review", args=[review.pk]) in shown
    at_review = client.get(reverse("casework:review", args=[review.pk])).content.decode()
    assert "No change yet." in at_review
    assert "up to this review" in at_review
    assert "Only one assessment so far" in at_review
    assert "Nutritional (4 to 2)" not in at_review


def test_the_plan_lists_who_changed_what_and_when(client, cast, clock_at):
    plan = _early_help_plan(client, cast)
    client.post(
        reverse("casework:outcome-new", args=[plan.pk]),
        {"what": "Breakfast daily", "who": "Mum", "due_on": "2026-04-01"},
    )
    shown = client.get(reverse("casework:plan", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-change"' in shown
    assert "outcome added “Breakfast daily”, Mum by 1 April 2026" in shown
    assert cast.lead_practitioner.display_name in shown


def test_a_review_is_404_for_a_practitioner_with_no_involvement(client, cast, clock_at):
    plan = _early_help_plan(client, cast)
    clock_at(START + dt.timedelta(days=30))
    client.force_login(cast.lead_practitioner)
    client.post(
        reverse("casework:review-new", args=[plan.pk]),
        {"held_on": "2026-03-30", "progress": "some", "summary": "Some."},
    )
    review = plan.reviews.get()
    assert client.get(reverse("casework:review", args=[review.pk])).status_code == 200
    client.force_login(cast.health_visitor)
    assert client.get(reverse("casework:review", args=[review.pk])).status_code == 404
