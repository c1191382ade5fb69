"""Every URL that names a record answers 404 to every role that may not see it, and logs it.

The test walks the project's whole URL map. A URL with a record in its path needs an entry in
``RECORD_MAKERS`` (how to make a record of that kind which nobody in the test may see); a URL
without one needs nothing, or, if it is not a page for signed-in users at all, an entry in
``NOT_RECORD_PAGES`` with the reason. A new URL pattern that is in neither place fails
``test_every_url_pattern_is_covered``, so nobody can add a page and forget its access check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from cumulus.accounts.models import Role
from cumulus.audit.models import AccessAction, AccessLogEntry
from cumulus.testing.factories import AgencyFactory, InvolvementFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    params: tuple[str, ...]


def _walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = (
                f"{namespace}:{entry.namespace}"
                if namespace and entry.namespace
                else (entry.namespace or namespace)
            )
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            params = tuple(entry.pattern.converters)
            yield Route(name, prefix + str(entry.pattern), params)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _hidden_child_id():
    return InvolvementFactory().child.pk


def _hidden_contact_id():
    from cumulus.casework.models import Contact

    child = InvolvementFactory().child
    agency = AgencyFactory()
    return Contact.objects.create(
        child=child, received_on="2026-01-05", agency=agency, summary="x"
    ).pk


def _hidden_assessment_id():
    from cumulus.instruments.services import assessment_start

    involvement = InvolvementFactory()
    return assessment_start(
        actor=involvement.practitioner, child=involvement.child, instrument_id="neglect-screening"
    ).pk


def _hidden_photo_id():
    from cumulus.instruments.models import AssessmentPhoto, InstrumentAssessment

    assessment = InstrumentAssessment.objects.get(pk=_hidden_assessment_id())
    return AssessmentPhoto.objects.create(
        assessment=assessment,
        item_id="photo",
        stored_name=f"idor-{assessment.pk}.jpg",
        width=1,
        height=1,
        size_bytes=1,
        uploaded_by=assessment.author,
    ).pk


def _hidden_relationship_id():
    from cumulus.people.models import Relationship, RelationshipType
    from cumulus.testing.factories import PersonFactory

    child = InvolvementFactory().child
    return Relationship.objects.create(
        person=PersonFactory(), relative=child.person, relationship_type=RelationshipType.PARENT
    ).pk


def _hidden_person_id():
    from cumulus.people.models import Relationship, RelationshipType
    from cumulus.testing.factories import PersonFactory

    child = InvolvementFactory().child
    person = PersonFactory()
    Relationship.objects.create(
        person=person, relative=child.person, relationship_type=RelationshipType.PARENT
    )
    return person.pk


def _hidden_escalation_id():
    from cumulus.escalation.models import Escalation

    involvement = InvolvementFactory()
    return Escalation.objects.create(
        child=involvement.child,
        decision_kind="other",
        decision_summary="a decision",
        disagreement="a disagreement",
        raised_by=involvement.practitioner,
        raised_by_agency=involvement.agency,
        raised_at="2026-01-05T10:00:00Z",
    ).pk


def _hidden_intervention_referral_id():
    from cumulus.interventions.models import Intervention, InterventionReferral
    from cumulus.testing.factories import PlanFactory

    involvement = InvolvementFactory()
    intervention = Intervention.objects.create(
        code="idor-test", name="Test programme", description="x", min_age=0, max_age=17
    )
    return InterventionReferral.objects.create(
        plan=PlanFactory(child=involvement.child),
        child=involvement.child,
        intervention=intervention,
        referred_on="2026-01-05",
        referred_by=involvement.practitioner,
    ).pk


def _hidden_supervision_action_id():
    from cumulus.supervision.models import SupervisionAction, SupervisionRecord

    involvement = InvolvementFactory()
    record = SupervisionRecord.objects.create(
        child=involvement.child,
        kind="single_agency",
        held_on="2026-01-05",
        recorded_by=involvement.practitioner,
        agency=involvement.agency,
        attendees="x",
        discussion="x",
        decisions="x",
    )
    return SupervisionAction.objects.create(
        record=record, action="x", owner="x", due_on="2026-02-05"
    ).pk


def _hidden_plan_id():
    from cumulus.testing.factories import PlanFactory

    return PlanFactory(child=InvolvementFactory().child).pk


def _hidden_outcome_id():
    from cumulus.casework.models import Plan, PlanOutcome

    plan = Plan.objects.get(pk=_hidden_plan_id())
    return PlanOutcome.objects.create(plan=plan, what="x", who="x", due_on="2026-03-01").pk


def _hidden_review_id():
    from cumulus.casework.models import Plan, Review

    plan = Plan.objects.get(pk=_hidden_plan_id())
    return Review.objects.create(plan=plan, held_on="2026-03-01", summary="x", progress="good").pk


def _hidden_conference_id():
    from cumulus.casework.models import InitialConference, Referral, StrategyDiscussion
    from cumulus.codelists.models import Scheme
    from cumulus.testing.factories import code

    child = InvolvementFactory().child
    referral = Referral.objects.create(
        child=child, referred_on="2026-01-02", source=code(Scheme.REFERRAL_SOURCE, "2A")
    )
    discussion = StrategyDiscussion.objects.create(
        child=child, referral=referral, held_on="2026-01-05"
    )
    return InitialConference.objects.create(
        child=child, strategy_discussion=discussion, due_on="2026-01-26"
    ).pk


def _batch():
    from cumulus.interchange.models import ImportBatch

    return ImportBatch.objects.create(
        kind="feed",
        source_name="feed.csv",
        source_sha256="0" * 64,
        run_by_name="idor",
        status="complete",
        records_read=1,
        records_quarantined=1,
    )


def _hidden_batch_id():
    return str(_batch().pk)


def _hidden_quarantined_record_id():
    from cumulus.interchange.models import QuarantinedRecord

    return QuarantinedRecord.objects.create(
        batch=_batch(), record_key="row 2", location="row 2", reasons=[], payload="x"
    ).pk


def _hidden_agency_token_id():
    from cumulus.interchange.services import agency_token_create

    return agency_token_create(actor=None, agency=AgencyFactory(), name="feed")[0].pk


def _hidden_event_id():
    from cumulus.testing.factories import ChronologyEventFactory

    return ChronologyEventFactory(child=InvolvementFactory().child).pk


def _hidden_alert_id():
    from cumulus.early_warnings.models import Alert

    return Alert.objects.create(
        child=InvolvementFactory().child,
        rule_code="idor",
        rule_version=1,
        rule_title="x",
        rationale="x",
        ruleset="default",
        fired_on="2026-01-05",
    ).pk


def _hidden_review_item_id():
    from cumulus.linkage.models import ReviewItem
    from cumulus.testing.factories_linkage import LinkageModelFactory, SourceRecordFactory

    return ReviewItem.objects.create(
        record=SourceRecordFactory(),
        candidate=InvolvementFactory().child,
        model=LinkageModelFactory(),
        match_probability=0.9,
    ).pk


def _hidden_link_decision_id():
    from cumulus.linkage.models import LinkDecision
    from cumulus.testing.factories_linkage import SourceRecordFactory

    return LinkDecision.objects.create(
        record=SourceRecordFactory(),
        child=InvolvementFactory().child,
        action="link",
        method="manual",
        reason="x",
    ).pk


def _hidden_training_session_id():
    from cumulus.core import clock
    from cumulus.training.models import Course, TrainingSession

    return TrainingSession.objects.create(
        course=Course.objects.get(code="neglect_basic"), held_on=clock.today(), places=5
    ).pk


def _hidden_booking_id():
    from cumulus.training.models import Booking, TrainingSession

    session = TrainingSession.objects.get(pk=_hidden_training_session_id())
    return Booking.objects.create(session=session, practitioner=UserFactory()).pk


def _hidden_briefing_id():
    from cumulus.training.models import Briefing

    briefing = Briefing.objects.create(title="Hidden", summary="For another agency only.")
    briefing.agencies.set([AgencyFactory()])
    return briefing.pk


def _hidden_audit_case():
    from cumulus.audits.instrument import audit_instrument
    from cumulus.audits.models import AuditCase, AuditRound
    from cumulus.core import clock

    instrument = audit_instrument()
    audit_round = AuditRound.objects.create(
        title="Hidden audit",
        held_on=clock.today(),
        population_on=clock.today(),
        plan_types=["child_protection"],
        sample_size=1,
        seed=1,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        definition=instrument.definition,
        definition_sha256=instrument.sha256,
        status="sampled",
    )
    return AuditCase.objects.create(
        audit_round=audit_round,
        child=InvolvementFactory().child,
        plan_type="child_protection",
        age_band="5-10",
    )


def _hidden_audit_assignment_id():
    from cumulus.audits.models import AuditorAssignment

    return AuditorAssignment.objects.create(case=_hidden_audit_case(), auditor=UserFactory()).pk


def _hidden_subject_access_request_id():
    from cumulus.rights.models import SubjectAccessRequest

    return SubjectAccessRequest.objects.create(
        child=InvolvementFactory().child,
        requester="idor",
        received_on="2026-01-05",
        due_on="2026-02-04",
        status="prepared",
        prepared_by=UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR),
        package={},
    ).pk


def _hidden_record_request_id():
    from cumulus.rights.models import RecordRequest

    return RecordRequest.objects.create(
        child=InvolvementFactory().child,
        kind="rectification",
        requester="idor",
        what="x",
        recorded_by=UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR),
    ).pk


def _strategy():
    from cumulus.strategy.services import strategy_load

    return strategy_load(name_or_path="cumbria")


def _hidden_action_item_id():
    from cumulus.actionplan.models import ActionItem

    strategy = _strategy()
    return ActionItem.objects.create(
        strategy=strategy,
        aim=strategy.aims.first(),
        objective="respond",
        activity="x",
        lead_agency=AgencyFactory(),
        lead_person="x",
        due_on="2026-03-01",
    ).pk


def _hidden_learning_review_id():
    from cumulus.learning.models import Review

    return Review.objects.create(
        strategy=_strategy(), kind="scr", title="x", published_on="2026-01-05"
    ).pk


def _hidden_recommendation_id():
    from cumulus.learning.models import Recommendation, Review

    review = Review.objects.get(pk=_hidden_learning_review_id())
    return Recommendation.objects.create(review=review, number=1, text="x").pk


def _hidden_governance_report_id():
    from cumulus.governance.models import GovernanceReport

    return GovernanceReport.objects.create(
        strategy=_strategy(),
        quarter="2026Q3",
        produced_at="2026-10-05T10:00:00Z",
        pdf_name="missing.pdf",
        xlsx_name="missing.xlsx",
    ).pk


def _hidden_user_session_id():
    """A live session of someone else (signed in on their own browser)."""
    from cumulus.accounts.models import UserSession
    from cumulus.core import clock

    now = clock.now()
    return UserSession.objects.create(
        key_hash="f" * 64,
        session_data="",
        expire_date=now + dt.timedelta(hours=1),
        user=UserFactory(),
        started_at=now,
        last_activity_at=now,
    ).pk


# For each path parameter: make a real record of that kind that no test user may see (or, for
# a parameter that names no record, such as an instrument's id, a valid value).
RECORD_MAKERS: dict[str, Callable[[], int | str]] = {
    "child_id": _hidden_child_id,
    "contact_id": _hidden_contact_id,
    "assessment_id": _hidden_assessment_id,
    "photo_id": _hidden_photo_id,
    "relationship_id": _hidden_relationship_id,
    "instrument_id": lambda: "neglect-screening",
    "escalation_id": _hidden_escalation_id,
    "referral_id": _hidden_intervention_referral_id,
    "action_id": _hidden_supervision_action_id,
    "plan_id": _hidden_plan_id,
    "outcome_id": _hidden_outcome_id,
    "conference_id": _hidden_conference_id,
    "batch_id": _hidden_batch_id,
    "record_id": _hidden_quarantined_record_id,
    "agency_token_id": _hidden_agency_token_id,
    "event_id": _hidden_event_id,
    "alert_id": _hidden_alert_id,
    "fmt": lambda: "csv",
    "item_id": _hidden_review_item_id,
    "decision_id": _hidden_link_decision_id,
    "session_id": _hidden_training_session_id,
    "booking_id": _hidden_booking_id,
    "briefing_id": _hidden_briefing_id,
    "round_id": lambda: _hidden_audit_case().audit_round_id,
    "assignment_id": _hidden_audit_assignment_id,
    "case_id": lambda: _hidden_audit_case().pk,
    "sar_id": _hidden_subject_access_request_id,
    "record_request_id": _hidden_record_request_id,
    "action_item_id": _hidden_action_item_id,
    "learning_review_id": _hidden_learning_review_id,
    "recommendation_id": _hidden_recommendation_id,
    "report_id": _hidden_governance_report_id,
    "person_id": _hidden_person_id,
    "review_id": _hidden_review_id,
    "user_session_id": _hidden_user_session_id,
}

# Partnership-wide pages that some roles may open by design (they hold no child's case data);
# every other role must get the 404. Their own tests check what those roles see.
ROLES_ALLOWED_BY_DESIGN: dict[str, frozenset[Role]] = {
    "interchange:batch-detail": frozenset(
        {Role.PARTNERSHIP_ANALYST, Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
    ),
    "interchange:quarantined-record-fix": frozenset(
        {Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
    ),
    "interchange:agency-token-revoke": frozenset(
        {Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
    ),
    # The partnership business unit runs training and audits (cumulus/training/tests,
    # cumulus/audits/tests); analysts read audit results, which name no child.
    "training:session": frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR}),
    "training:cancel": frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR}),
    "training:briefing": frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR}),
    "audits:round": frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR}),
    "audits:results": frozenset(
        {Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR, Role.PARTNERSHIP_ANALYST}
    ),
    "audits:moderate": frozenset({Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR}),
    # The records team handles rights requests about any child (cumulus/rights/views.py);
    # the erase page is not here: a record not yet due answers 404 to them too.
    **{
        f"rights:{name}": frozenset({Role.PARTNERSHIP_ADMINISTRATOR})
        for name in (
            "sar-detail",
            "sar-approve",
            "sar-release",
            "sar-json",
            "sar-pdf",
            "record-request-detail",
        )
    },
    # The business unit keeps the whole action plan, its reviews and board reports; analysts
    # read reviews and reports (cumulus/actionplan, learning and governance tests).
    "actionplan:item": frozenset(
        {Role.BUSINESS_UNIT, Role.PARTNERSHIP_ADMINISTRATOR, Role.SYSTEM_ADMINISTRATOR}
    ),
    "learning:review": frozenset(
        {
            Role.BUSINESS_UNIT,
            Role.PARTNERSHIP_ADMINISTRATOR,
            Role.SYSTEM_ADMINISTRATOR,
            Role.PARTNERSHIP_ANALYST,
        }
    ),
    "learning:recommendation": frozenset(
        {
            Role.BUSINESS_UNIT,
            Role.PARTNERSHIP_ADMINISTRATOR,
            Role.SYSTEM_ADMINISTRATOR,
            Role.PARTNERSHIP_ANALYST,
        }
    ),
    "governance:report": frozenset(
        {
            Role.BUSINESS_UNIT,
            Role.PARTNERSHIP_ADMINISTRATOR,
            Role.SYSTEM_ADMINISTRATOR,
            Role.PARTNERSHIP_ANALYST,
        }
    ),
}

# Pages that show no record, with why they need no object-level check.
NOT_RECORD_PAGES = {
    "web:sign-in": "the sign-in page",
    "web:sign-out": "signing out",
    "web:favicon": "a static icon",
    "indicators:detail": "an indicator's definition and aggregate, suppressed figures: no "
    "child's record (cumulus/indicators/tests/test_views.py)",
    "indicators:commentary-edit": "the business unit's commentary on an indicator's aggregate "
    "figures for a month: no child's record (cumulus/indicators/tests/test_commentary.py)",
    "interchange:interchange-api:batch_get": "the feed API: per-agency tokens, no session "
    "(cumulus/interchange/tests/test_api.py)",
}

ROLES = [role for role in Role]


def test_every_url_pattern_is_covered():
    uncovered = [
        f"{route.name or route.pattern} (parameter {param!r})"
        for route in all_routes()
        for param in route.params
        if param not in RECORD_MAKERS and route.name not in NOT_RECORD_PAGES
    ]
    assert not uncovered, (
        "These URLs name a record but the IDOR test cannot make one: add a maker to "
        "RECORD_MAKERS in cumulus/web/tests/test_idor.py\n" + "\n".join(uncovered)
    )


def _url(route: Route, values: dict[str, int | str]) -> str:
    from django.urls import reverse

    return reverse(route.name, kwargs={p: values[p] for p in route.params})


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_a_record_the_user_may_not_see_answers_404_on_every_url_and_is_logged(client, role):
    routes = [r for r in all_routes() if r.params and r.name not in NOT_RECORD_PAGES]
    assert routes, "the URL map has no record pages: the walk is broken"
    values = {param: make() for param, make in RECORD_MAKERS.items()}
    user = UserFactory(role=role, agency=AgencyFactory())
    client.force_login(user)
    for route in routes:
        if role in ROLES_ALLOWED_BY_DESIGN.get(route.name, frozenset()):
            continue
        url = _url(route, values)
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code == 404, f"{role.value}: {url} answered {response.status_code}"
        assert AccessLogEntry.objects.filter(
            actor=user, action=AccessAction.DENIED, path=url
        ).exists(), f"{role.value}: the refusal of {url} was not logged"
