"""The interventions catalogue, plans' referrals with eligibility and completion, outcomes by
intervention, and need without provision by locality."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.casework.models import Contact, PlanType
from cumulus.chronology.models import ChronologyEvent
from cumulus.codelists.models import Scheme
from cumulus.interventions.catalogue import CatalogueError, parse_catalogue
from cumulus.interventions.localities import locality_of_postcode
from cumulus.interventions.models import Completion, Intervention
from cumulus.interventions.selectors import outcomes_by_intervention, provision_by_locality
from cumulus.interventions.services import (
    InterventionNotAllowedError,
    NotEligibleError,
    intervention_catalogue_load,
    intervention_referral_create,
    intervention_referral_end,
    intervention_referral_start,
)
from cumulus.testing.factories import (
    ChildFactory,
    HouseholdFactory,
    HouseholdMembershipFactory,
    PlanFactory,
    UserFactory,
    code,
)
from cumulus.testing.factories_oversight import fix_today, manager_for, practitioner_for

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def case(monkeypatch):
    fix_today(monkeypatch, TODAY)
    intervention_catalogue_load()
    child = ChildFactory()  # born 2017: aged 8
    HouseholdMembershipFactory(person=child.person, household=HouseholdFactory(postcode="EM2 4AB"))
    worker = practitioner_for(child, role=Role.SOCIAL_WORKER)
    plan = PlanFactory(
        child=child, plan_type=PlanType.CHILD_IN_NEED, started_on=dt.date(2026, 1, 5)
    )
    return child, worker, plan


def _refer(worker, plan, code_="triple_p", **kwargs):
    return intervention_referral_create(
        actor=worker,
        plan=plan,
        intervention=Intervention.objects.get(code=code_),
        referred_on=kwargs.pop("referred_on", dt.date(2026, 1, 12)),
        **kwargs,
    )


def test_the_shipped_catalogue_loads_every_programme_and_is_idempotent():
    assert intervention_catalogue_load() == 6
    assert intervention_catalogue_load() == 6
    names = set(Intervention.objects.values_list("name", flat=True))
    assert "SafeCare" in names
    assert any("MST-CAN" in n for n in names)
    safecare = Intervention.objects.get(code="safecare")
    assert (safecare.min_age, safecare.max_age) == (0, 5)
    assert safecare.capacities.get(locality="EM1").places == 8
    assert {c.code for c in safecare.neglect_types.all()} >= {"medical", "physical"}


def test_the_management_command_loads_a_partnerships_own_file_and_retires_the_rest(tmp_path):
    intervention_catalogue_load()
    own = tmp_path / "ours.toml"
    own.write_text(
        '[[intervention]]\ncode = "home_start"\nname = "Home visiting"\ndescription = "Visits."\n'
        'min_age = 0\nmax_age = 4\nlevels = ["early_help"]\ncapacity = { EM1 = 3 }\n'
    )
    call_command("load_interventions", "--file", str(own))
    assert list(Intervention.objects.filter(is_active=True).values_list("code", flat=True)) == [
        "home_start"
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('min_age = 9\nmax_age = 4\nlevels = ["early_help"]', "ages"),
        ('min_age = 0\nmax_age = 4\nlevels = ["universal"]', "levels must be"),
        ('min_age = 0\nmax_age = 4\nlevels = ["early_help"]\nneglect_types = ["x"]', "unknown"),
        ('min_age = 0\nmax_age = 4\nlevels = ["early_help"]\ncapacity = { EM1 = -1 }', "places"),
        ("min_age = 0", "missing"),
    ],
)
def test_a_broken_catalogue_is_refused_with_the_entry_named(entry, message):
    text = f'[[intervention]]\ncode = "a"\nname = "A"\ndescription = "D"\n{entry}\n'
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(text)


def test_locality_is_the_postcode_district():
    assert locality_of_postcode("EM12 3AB") == "EM12"
    assert locality_of_postcode("em1 3ab") == "EM1"
    assert locality_of_postcode(None) == "Unknown"


def test_a_referral_records_locality_and_lands_in_the_chronology(case):
    child, worker, plan = case
    referral = _refer(worker, plan, measure="Parenting scale", score_before=Decimal("12"))
    assert referral.locality == "EM2"
    assert referral.child == child
    assert ChronologyEvent.objects.filter(child=child, event_type__code="interventions.referral")


def test_eligibility_by_age_and_level_of_need_is_enforced(case):
    _, worker, plan = case
    with pytest.raises(NotEligibleError, match="aged 0 to 5; this child is 8"):
        _refer(worker, plan, "safecare")
    with pytest.raises(NotEligibleError, match="does not take referrals from a child in need"):
        _refer(worker, plan, "mst_can")


def test_referral_dates_and_duplicates_are_checked(case):
    _, worker, plan = case
    with pytest.raises(ValidationError, match="before the plan started"):
        _refer(worker, plan, referred_on=dt.date(2025, 12, 1))
    with pytest.raises(ValidationError, match="today or in the past"):
        _refer(worker, plan, referred_on=TODAY + dt.timedelta(days=1))
    _refer(worker, plan)
    with pytest.raises(ValidationError, match="already has an open referral"):
        _refer(worker, plan)


def test_a_stranger_cannot_refer(case):
    with pytest.raises(InterventionNotAllowedError):
        _refer(UserFactory(), case[2])


def test_start_and_completion_with_a_before_and_after_score(case):
    _, worker, plan = case
    referral = _refer(worker, plan, measure="Parenting scale", score_before=Decimal("12"))
    with pytest.raises(ValidationError, match="Record the start"):
        intervention_referral_end(
            actor=worker, referral_id=referral.pk, ended_on=TODAY, completion=Completion.COMPLETED
        )
    with pytest.raises(ValidationError, match="between the referral and today"):
        intervention_referral_start(
            actor=worker, referral_id=referral.pk, started_on=dt.date(2026, 1, 1)
        )
    intervention_referral_start(
        actor=worker, referral_id=referral.pk, started_on=dt.date(2026, 1, 19)
    )
    with pytest.raises(ValidationError, match="before 19 January 2026"):
        intervention_referral_end(
            actor=worker,
            referral_id=referral.pk,
            ended_on=dt.date(2026, 1, 18),
            completion=Completion.COMPLETED,
        )
    ended = intervention_referral_end(
        actor=worker,
        referral_id=referral.pk,
        ended_on=TODAY,
        completion=Completion.COMPLETED,
        score_after=Decimal("20"),
    )
    assert ended.change == 8.0
    with pytest.raises(ValidationError, match="already ended"):
        intervention_referral_end(
            actor=worker, referral_id=referral.pk, ended_on=TODAY, completion=Completion.DECLINED
        )


def test_a_family_can_decline_before_starting_and_scores_need_a_measure(case):
    _, worker, plan = case
    referral = _refer(worker, plan)
    with pytest.raises(ValidationError, match="Name the measure"):
        intervention_referral_end(
            actor=worker,
            referral_id=referral.pk,
            ended_on=TODAY,
            completion=Completion.DECLINED,
            score_before=Decimal(3),
        )
    with pytest.raises(ValidationError, match="score before"):
        intervention_referral_end(
            actor=worker,
            referral_id=referral.pk,
            ended_on=TODAY,
            completion=Completion.DECLINED,
            measure="Scale",
            score_after=Decimal(3),
        )
    declined = intervention_referral_end(
        actor=worker, referral_id=referral.pk, ended_on=TODAY, completion=Completion.DECLINED
    )
    assert declined.completion == Completion.DECLINED


def _finish(worker, plan, code_, completion, before=None, after=None):
    referral = _refer(worker, plan, code_, measure="Scale" if before is not None else "")
    if completion != Completion.DECLINED:
        intervention_referral_start(actor=worker, referral_id=referral.pk, started_on=TODAY)
    return intervention_referral_end(
        actor=worker,
        referral_id=referral.pk,
        ended_on=TODAY,
        completion=completion,
        score_before=before,
        score_after=after,
    )


def test_outcomes_by_intervention_give_completion_rate_and_mean_change(case):
    child, worker, plan = case
    other = PlanFactory(child=child, plan_type=PlanType.EARLY_HELP, started_on=dt.date(2026, 1, 5))
    _finish(worker, plan, "triple_p", Completion.COMPLETED, Decimal(10), Decimal(16))
    _finish(worker, other, "triple_p", Completion.DROPPED_OUT, Decimal(10), Decimal(8))
    _finish(worker, plan, "family_network_meeting", Completion.DECLINED)
    _refer(worker, other, "family_network_meeting")
    by_code = {o.intervention.code: o for o in outcomes_by_intervention()}
    triple_p = by_code["triple_p"]
    assert (triple_p.referrals, triple_p.completed, triple_p.dropped_out) == (2, 1, 1)
    assert triple_p.completion_rate == 0.5
    assert triple_p.mean_change == 2.0
    network = by_code["family_network_meeting"]
    assert (network.referrals, network.declined, network.completion_rate) == (2, 1, 0.0)
    assert network.mean_change is None
    assert by_code["safecare"].completion_rate is None


def test_need_without_provision_by_locality_and_neglect_type(case):
    child, worker, _ = case
    Contact.objects.create(
        child=child, received_on=TODAY, agency=worker.agency, summary="Hungry."
    ).neglect_types.set([code(Scheme.NEGLECT_TYPE, "nutritional")])
    unrecorded = ChildFactory()
    HouseholdMembershipFactory(
        person=unrecorded.person, household=HouseholdFactory(postcode="EM9 1AA")
    )
    PlanFactory(child=unrecorded, started_on=dt.date(2026, 1, 5))
    rows = {(g.locality, g.neglect_type): g for g in provision_by_locality()}
    nutritional = rows[("EM2", "nutritional")]
    # In EM2, SafeCare (6), MST-CAN (4) and family network meetings (10) address it.
    assert (nutritional.children, nutritional.places) == (1, 20)
    assert not nutritional.has_no_provision
    nowhere = rows[("EM9", "not_recorded")]
    assert (nowhere.children, nowhere.places, nowhere.has_no_provision) == (1, 0, True)
    assert rows[("EM1", "emotional")].children == 0


def test_pages(case, client):
    child, worker, plan = case
    client.force_login(worker)
    url = reverse("interventions:child", args=[child.pk])
    triple_p = Intervention.objects.get(code="triple_p")
    response = client.post(
        url,
        {"plan": plan.pk, "intervention": triple_p.pk, "referred_on": "2026-01-12"},
    )
    assert response.status_code == 302
    safecare = Intervention.objects.get(code="safecare")
    response = client.post(
        url, {"plan": plan.pk, "intervention": safecare.pk, "referred_on": "2026-01-12"}
    )
    assert "aged 0 to 5" in response.content.decode()
    assert client.get(reverse("interventions:outcomes")).status_code == 404
    client.force_login(manager_for(child))
    page = client.get(reverse("interventions:outcomes")).content.decode()
    assert "Triple P" in page
    assert "Need without provision" in page
    assert client.get(reverse("interventions:catalogue")).status_code == 200
