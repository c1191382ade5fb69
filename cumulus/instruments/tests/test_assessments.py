"""Assessments through the real URLs: drafts, sign-off, read-only, countersign, corrections,
need to know, the access log, training for licensed tools, comparison, genogram."""

import datetime as dt
import shutil

import pytest
from django.urls import reverse

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessLogEntry
from cumulus.chronology.models import ChronologyEvent
from cumulus.instruments import selectors, services
from cumulus.instruments.models import AssessmentStatus, InstrumentAssessment, TrainedTool
from cumulus.people.models import Relationship, RelationshipType
from cumulus.testing.factories import ChildFactory, InvolvementFactory, PersonFactory, UserFactory
from cumulus.testing.factories_instruments import TEST_PACKS

pytestmark = pytest.mark.django_db

GRADES = {
    "medical": 2,
    "nutritional": 3,
    "emotional": 2,
    "educational": 1,
    "physical": 4,
    "supervision": 2,
}


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.CUMULUS_INSTRUMENT_PACKS_DIR = str(tmp_path / "packs")
    return tmp_path


@pytest.fixture
def involvement():
    return InvolvementFactory()


@pytest.fixture
def author(involvement):
    return involvement.practitioner


@pytest.fixture
def child(involvement):
    return involvement.child


def post_grades(grades, **extra):
    data = {f"r__{k}.grade": str(v) for k, v in grades.items()}
    data["r__overall.definition"] = "2"
    data.update(extra)
    return data


def start(client, child, instrument="neglect-screening", **form):
    response = client.post(reverse("instruments:start", args=[child.pk, instrument]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return InstrumentAssessment.objects.latest("id")


def test_start_keeps_a_copy_of_the_instrument_as_it_is(client, author, child):
    client.force_login(author)
    assessment = start(client, child)
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.instrument_version == 1
    assert assessment.definition["id"] == "neglect-screening"
    assert len(assessment.definition_sha256) == 64
    assert assessment.licence_tier == "open"


def test_save_draft_without_javascript_keeps_partial_answers(client, author, child):
    client.force_login(author)
    assessment = start(client, child)
    url = reverse("instruments:assessment", args=[assessment.pk])
    response = client.post(url, {"action": "save", "r__medical.grade": "3"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.responses == {"medical.grade": 3}
    assert assessment.status == AssessmentStatus.DRAFT


def test_autosave_answers_json_and_keeps_the_valid_answers(client, author, child):
    client.force_login(author)
    assessment = start(client, child)
    url = reverse("instruments:assessment", args=[assessment.pk])
    response = client.post(
        url, {"action": "autosave", "r__medical.grade": "2", "r__physical.grade": "9"}
    )
    assert response.json() == {"saved": True, "problems": 1}
    assessment.refresh_from_db()
    assert assessment.responses == {"medical.grade": 2}
    assert assessment.autosaved_at is not None


def test_sign_off_refuses_missing_answers_and_says_which(client, author, child):
    client.force_login(author)
    assessment = start(client, child)
    url = reverse("instruments:assessment", args=[assessment.pk])
    response = client.post(url, {"action": "sign_off", "r__medical.grade": "2"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Answer this before signing off" in page
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.responses == {"medical.grade": 2}


def test_signed_off_assessment_is_scored_read_only_and_in_the_chronology(client, author, child):
    client.force_login(author)
    assessment = start(client, child)
    url = reverse("instruments:assessment", args=[assessment.pk])
    client.post(url, post_grades(GRADES, action="sign_off"))
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETE
    assert assessment.scores["worst"]["value"] == 4
    assert assessment.scores["serious"]["value"] == 1
    event = ChronologyEvent.objects.get(source_reference=f"instrument-assessment:{assessment.pk}")
    assert "Neglect screening profile signed off" in event.summary
    # Read-only: a later POST is refused and nothing changes.
    response = client.post(url, post_grades({**GRADES, "medical": 5}, action="save"))
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.responses["medical.grade"] == 2
    with pytest.raises(services.AssessmentLockedError):
        services.assessment_save_draft(actor=author, assessment_id=assessment.pk, raw={})


def test_a_draft_is_its_authors_alone(client, author, child):
    assessment = services.assessment_start(
        actor=author, child=child, instrument_id="neglect-screening"
    )
    colleague = InvolvementFactory(child=child).practitioner
    client.force_login(colleague)
    assert client.get(reverse("instruments:assessment", args=[assessment.pk])).status_code == 404


def test_someone_without_need_to_know_gets_404_everywhere(client, author, child):
    assessment = services.assessment_start(
        actor=author, child=child, instrument_id="neglect-screening"
    )
    services.assessment_sign_off(
        actor=author,
        assessment_id=assessment.pk,
        raw={**{f"{k}.grade": v for k, v in GRADES.items()}, "overall.definition": 2},
    )
    client.force_login(UserFactory())
    for url in (
        reverse("instruments:child", args=[child.pk]),
        reverse("instruments:assessment", args=[assessment.pk]),
        reverse("instruments:compare", args=[child.pk, "neglect-screening"]),
        reverse("instruments:genogram", args=[child.pk]),
        reverse("thresholds:decide", args=[child.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_viewing_an_assessment_is_written_to_the_access_log(client, author, child):
    client.force_login(author)
    assessment = start(client, child)
    before = AccessLogEntry.objects.filter(child_id=child.pk).count()
    client.get(reverse("instruments:assessment", args=[assessment.pk]))
    entry = AccessLogEntry.objects.filter(child_id=child.pk).order_by("-id").first()
    assert AccessLogEntry.objects.filter(child_id=child.pk).count() == before + 1
    assert entry.detail == {"assessment": assessment.pk}
    assert entry.view_name == "instruments:assessment"


def sign(author, child, instrument="neglect-screening", grades=GRADES, on=None):
    a = services.assessment_start(actor=author, child=child, instrument_id=instrument)
    raw = {**{f"{k}.grade": v for k, v in grades.items()}, "overall.definition": 2}
    a = services.assessment_sign_off(actor=author, assessment_id=a.pk, raw=raw)
    if on:
        InstrumentAssessment.objects.filter(pk=a.pk).update(assessed_on=on)
    return a


def test_a_correction_is_a_new_version_with_a_reason(client, author, child):
    original = sign(author, child)
    client.force_login(author)
    response = client.post(reverse("instruments:correct", args=[original.pk]), {"reason": ""})
    assert response.status_code == 200  # the reason is required
    response = client.post(
        reverse("instruments:correct", args=[original.pk]), {"reason": "Physical grade mistyped"}
    )
    correction = InstrumentAssessment.objects.get(corrects=original)
    assert (correction.version, correction.lineage) == (2, original.lineage)
    assert correction.definition == original.definition
    client.post(
        reverse("instruments:assessment", args=[correction.pk]),
        post_grades({**GRADES, "physical": 2}, action="sign_off"),
    )
    current = list(selectors.current_assessments(child=child))
    assert [a.pk for a in current] == [correction.pk]
    original.refresh_from_db()
    assert original.responses["physical.grade"] == 4  # the old version is kept as it was
    with pytest.raises(services.InstrumentNotAllowedError, match="already been corrected"):
        services.assessment_correct(actor=author, assessment_id=original.pk, reason="again")


def test_countersign_where_the_instrument_asks_for_it(client, author, child):
    a = services.assessment_start(
        actor=author, child=child, instrument_id="family-functioning-shell"
    )
    raw = {"stage.point": "intake"} | {
        f"domains.{d}": -1
        for d in (
            "environment",
            "parental_capabilities",
            "family_interactions",
            "family_safety",
            "child_wellbeing",
            "social_community_life",
            "self_sufficiency",
            "family_health",
        )
    }
    a = services.assessment_sign_off(actor=author, assessment_id=a.pk, raw=raw)
    assert a.status == AssessmentStatus.AWAITING_COUNTERSIGN
    with pytest.raises(services.InstrumentNotAllowedError):
        services.assessment_countersign(actor=author, assessment_id=a.pk)
    manager = UserFactory(agency=author.agency, role=Role.TEAM_MANAGER)
    client.force_login(manager)
    client.post(reverse("instruments:countersign", args=[a.pk]))
    a.refresh_from_db()
    assert (a.status, a.countersigned_by) == (AssessmentStatus.COMPLETE, manager)


def test_gcp2_needs_recorded_training_and_records_the_pack(client, author, child, var_dir):
    with pytest.raises(services.InstrumentNotAllowedError, match="trained"):
        services.assessment_start(actor=author, child=child, instrument_id="gcp2-shell")
    client.force_login(author)
    page = client.get(reverse("instruments:start", args=[child.pk, "gcp2-shell"])).content.decode()
    assert 'data-testid="not-trained"' in page
    (var_dir / "packs").mkdir()
    shutil.copy(TEST_PACKS / "gcp2-test-pack.yaml", var_dir / "packs")
    manager = UserFactory(agency=author.agency, role=Role.TEAM_MANAGER)
    client.force_login(manager)
    response = client.post(
        reverse("instruments:training"),
        {"username": author.username, "tool": "gcp2", "trained_on": "2026-01-10"},
    )
    assert response.status_code == 302
    assert TrainedTool.objects.filter(user=author, tool="gcp2").exists()
    a = services.assessment_start(actor=author, child=child, instrument_id="gcp2-shell")
    assert a.pack_licensee.startswith("Testshire")
    assert len(a.pack_sha256) == 64
    assert a.definition["sections"][0]["title"] == "Test area one: looking after the body"


def test_only_managers_record_training(client, author):
    client.force_login(author)
    assert client.get(reverse("instruments:training")).status_code == 404


def test_comparison_selector_for_plans_and_reviews(client, author, child):
    sign(author, child, on=dt.date(2026, 1, 5))
    sign(author, child, grades={**GRADES, "physical": 2, "emotional": 3}, on=dt.date(2026, 3, 2))
    view = selectors.instrument_comparison(
        viewer=author, child=child, instrument_id="neglect-screening"
    )
    assert (
        view.summary[0] == "Better since the last assessment (5 January 2026): Physical (4 to 2)."
    )
    assert (
        view.summary[1] == "Worse since the last assessment (5 January 2026): Emotional (2 to 3)."
    )
    assert ("Physical", ["4", "2"]) in view.rows
    client.force_login(author)
    page = client.get(reverse("instruments:compare", args=[child.pk, "neglect-screening"]))
    assert 'data-testid="comparison-chart"' in page.content.decode()


def test_day_in_my_life_uses_the_childs_age_band(client, author, child):
    a = services.assessment_start(actor=author, child=child, instrument_id="day-in-my-life")
    assert a.age_band == "primary"  # born 2017
    unborn = ChildFactory(
        person=PersonFactory(date_of_birth=None, sex="U"), expected_birth_on=dt.date.today()
    )
    InvolvementFactory(child=unborn, practitioner=author)
    with pytest.raises(services.InstrumentNotAllowedError, match="age band"):
        services.assessment_start(actor=author, child=unborn, instrument_id="day-in-my-life")
    pre = services.assessment_start(
        actor=author, child=unborn, instrument_id="day-in-my-life", age_band="pre_birth"
    )
    assert "morning.child" not in services.applicable_item_ids(pre)
    assert "morning.parent_self" in services.applicable_item_ids(pre)


def test_genogram_is_drawn_from_relationships_and_edits_them(client, author, child):
    mum = PersonFactory(given_name="Jo", sex="F")
    rel = Relationship.objects.create(
        person=mum, relative=child.person, relationship_type=RelationshipType.PARENT
    )
    client.force_login(author)  # a class teacher: read-only
    page = client.get(reverse("instruments:genogram", args=[child.pk])).content.decode()
    assert 'data-testid="edit-relationship"' not in page
    edit = reverse("instruments:relationship-edit", args=[child.pk, rel.pk])
    assert client.get(edit).status_code == 404
    author.role = Role.SOCIAL_WORKER
    author.save()
    page = client.get(reverse("instruments:genogram", args=[child.pk])).content.decode()
    assert 'data-testid="genogram-svg"' in page
    assert "Jo" in page
    edit = reverse("instruments:relationship-edit", args=[child.pk, rel.pk])
    assert edit in page
    response = client.post(
        edit,
        {"relationship_type": "step_parent", "has_parental_responsibility": "on", "ended_on": ""},
    )
    assert response.status_code == 302
    rel.refresh_from_db()
    assert (rel.relationship_type, rel.has_parental_responsibility) == ("step_parent", True)


def test_every_shipped_instrument_page_renders(client, author, child):
    client.force_login(author)
    page = client.get(reverse("instruments:child", args=[child.pk])).content.decode()
    for instrument in (
        "neglect-screening",
        "day-in-my-life",
        "worries-strengths-map",
        "sdq-scores",
        "home-conditions",
        "poverty-aware-practice",
        "family-functioning-shell",
    ):
        assert f'data-testid="start-{instrument}"' in page
        form = {"age_band": "primary"} if instrument == "day-in-my-life" else {}
        a = start(client, child, instrument, **form)
        response = client.get(reverse("instruments:assessment", args=[a.pk]))
        assert response.status_code == 200
        assert b"Sign off" in response.content


def _post_for(definition, age_band):
    """A complete, valid form post for every item that applies (the browser's shapes)."""
    from cumulus.instruments.engine.definition import applicable_sections, scale_of

    data = {"action": "sign_off"}
    for section in applicable_sections(definition, age_band=age_band or None):
        for item in section["items"]:
            name, kind = f"r__{item['id']}", item["type"]
            if kind in ("grade", "number"):
                low, high = scale_of(definition, item)
                data[name] = str((low + high) // 2)
            elif kind == "yes_no":
                data[name] = "no"
            elif kind in ("text", "child_words"):
                data[name] = "Seen on a home visit."
            elif kind == "date":
                data[name] = "2026-03-02"
            elif kind == "choice":
                data[name] = item["choices"][0]["value"]
            elif kind == "pairs":
                data[f"{name}__0__a"], data[f"{name}__0__b"] = "A worry", "A goal"
            elif kind == "person_scale":
                data[f"{name}__0__who"], data[f"{name}__0__value"] = "Parent", "5"
    return data


@pytest.mark.parametrize(
    "instrument",
    [
        "neglect-screening",
        "day-in-my-life",
        "worries-strengths-map",
        "sdq-scores",
        "home-conditions",
        "poverty-aware-practice",
        "family-functioning-shell",
    ],
)
def test_every_shipped_instrument_can_be_completed_scored_and_signed_off(
    client, author, child, instrument
):
    client.force_login(author)
    form = {"age_band": "primary"} if instrument == "day-in-my-life" else {}
    a = start(client, child, instrument, **form)
    url = reverse("instruments:assessment", args=[a.pk])
    response = client.post(url, _post_for(a.definition, a.age_band))
    assert response.status_code == 302, response.content.decode()[-3000:]
    a.refresh_from_db()
    assert a.status in (AssessmentStatus.COMPLETE, AssessmentStatus.AWAITING_COUNTERSIGN)
    assert set(a.scores) == {rule["id"] for rule in a.definition.get("scoring", [])}
    assert any(s["value"] is not None for s in a.scores.values())
    page = client.get(url).content.decode()
    assert 'data-testid="status"' in page
    assert "Not answered" not in page


def test_genogram_marks_a_death_recorded_through_it_and_refuses_impossible_dates(
    client, author, child
):
    dad = PersonFactory(given_name="Lee", sex="M", date_of_birth=dt.date(1985, 6, 1))
    mum = PersonFactory(given_name="Jo", sex="F", date_of_birth=dt.date(1988, 2, 1))
    for parent in (dad, mum):
        Relationship.objects.create(
            person=parent, relative=child.person, relationship_type=RelationshipType.PARENT
        )
    Relationship.objects.create(
        person=mum,
        relative=dad,
        relationship_type=RelationshipType.SPOUSE,
        started_on=dt.date(2012, 7, 1),
    )
    author.role = Role.SOCIAL_WORKER
    author.save()
    client.force_login(author)
    genogram = reverse("instruments:genogram", args=[child.pk])
    page = client.get(genogram).content.decode()
    assert 'data-testid="deceased"' not in page
    assert 'data-testid="partnership-spouse"' in page
    assert "m. 2012" in page
    edit = reverse("instruments:person-edit", args=[child.pk, dad.pk])
    assert edit in page

    before_birth = client.post(edit, {"date_of_death": "1980-01-01"})
    assert before_birth.status_code == 200
    assert "cannot be before the date of birth" in before_birth.content.decode()
    future = client.post(edit, {"date_of_death": "2999-01-01"})
    assert "must be today or in the past" in future.content.decode()
    dad.refresh_from_db()
    assert dad.date_of_death is None  # nothing saved by the refusals

    assert client.post(edit, {"date_of_death": "2023-11-05"}).status_code == 302
    dad.refresh_from_db()
    assert dad.date_of_death == dt.date(2023, 11, 5)
    page = client.get(genogram).content.decode()
    assert page.count('data-testid="deceased"') == 1
    assert "b. 1985 d. 2023" in page


def test_person_edit_is_only_for_people_in_the_childs_genogram(client, author, child):
    stranger = PersonFactory()
    author.role = Role.SOCIAL_WORKER
    author.save()
    client.force_login(author)
    edit = reverse("instruments:person-edit", args=[child.pk, stranger.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"date_of_death": "2020-01-01"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.date_of_death is None
