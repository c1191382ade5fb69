"""A restricted record (adoption, a refuge, police intelligence) is read only by the roles and
people it names; others with an involvement learn only that it is restricted and whom to ask,
and break glass never opens it."""

import pytest
from django.http import Http404

from cumulus.accounts.models import Role
from cumulus.people.models import RecordRestriction, RestrictionReason
from cumulus.people.policies import (
    can_view_child,
    restriction_refusing,
    visible_children,
)
from cumulus.people.selectors import (
    ChildSearch,
    RecordRestrictedError,
    child_get,
    child_restriction_check,
    child_search,
    restricted_search_matches,
)
from cumulus.people.services import (
    RestrictionRefusedError,
    break_glass_open,
    record_restriction_lift,
    record_restriction_set,
)
from cumulus.testing.factories import (
    AgencyFactory,
    ChildFactory,
    InvolvementFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ASK = "Adoption team, 01632 960000 (out of hours: emergency duty team)"


@pytest.fixture
def involvement():
    child = ChildFactory(person=PersonFactory(given_name="Robin", family_name="Marsh"))
    return InvolvementFactory(child=child)


@pytest.fixture
def manager(involvement):
    return UserFactory(role=Role.TEAM_MANAGER, agency=involvement.agency)


def _restrict(manager, child, roles=(Role.SOCIAL_WORKER,), users=(), reason="adoption"):
    return record_restriction_set(
        actor=manager,
        child=child,
        reason=reason,
        contact=ASK,
        allowed_roles=list(roles),
        allowed_users=list(users),
        explanation="Placed for adoption.",
    )


def test_a_practitioner_involved_but_not_allowed_is_refused_and_told_whom_to_ask(
    involvement, manager
):
    restriction = _restrict(manager, involvement.child)
    teacher = involvement.practitioner
    assert not can_view_child(teacher, involvement.child)
    assert not visible_children(user=teacher).exists()
    with pytest.raises(RecordRestrictedError) as refused:
        child_get(viewer=teacher, child_id=involvement.child.pk)
    assert refused.value.contact == ASK
    assert refused.value.restriction == restriction


def test_an_allowed_role_with_an_involvement_reads_it(involvement, manager):
    _restrict(manager, involvement.child, roles=[Role.FRONTLINE_PRACTITIONER])
    assert child_get(viewer=involvement.practitioner, child_id=involvement.child.pk)


def test_a_named_person_reads_it_whatever_their_role(involvement, manager):
    _restrict(manager, involvement.child, roles=[], users=[involvement.practitioner])
    assert can_view_child(involvement.practitioner, involvement.child)


def test_an_allowed_role_without_an_involvement_still_gets_a_plain_404(involvement, manager):
    _restrict(manager, involvement.child)
    stranger = UserFactory(role=Role.SOCIAL_WORKER, agency=AgencyFactory())
    assert restriction_refusing(user=stranger, child_id=involvement.child.pk) is None
    with pytest.raises(Http404) as refused:
        child_get(viewer=stranger, child_id=involvement.child.pk)
    assert not isinstance(refused.value, RecordRestrictedError)


def test_break_glass_does_not_open_a_restricted_record_even_for_an_allowed_role(
    involvement, manager
):
    _restrict(manager, involvement.child)
    responder = UserFactory(role=Role.SOCIAL_WORKER, agency=AgencyFactory())
    break_glass_open(
        actor=responder, child=involvement.child, reason="Child found alone at night, urgent."
    )
    assert not can_view_child(responder, involvement.child)
    with pytest.raises(RecordRestrictedError):
        child_get(viewer=responder, child_id=involvement.child.pk)


def test_the_manager_who_sets_it_is_always_allowed(involvement, manager):
    restriction = _restrict(manager, involvement.child, roles=[])
    assert list(restriction.allowed_users.all()) == [manager]
    assert can_view_child(manager, involvement.child)


def test_search_shows_a_restricted_match_as_whom_to_ask_only(involvement, manager):
    _restrict(manager, involvement.child)
    search = ChildSearch(name="Robin")
    assert not child_search(viewer=involvement.practitioner, search=search).exists()
    matches = restricted_search_matches(viewer=involvement.practitioner, search=search)
    assert [m.contact for m in matches] == [ASK]
    assert not restricted_search_matches(
        viewer=involvement.practitioner, search=ChildSearch(name="Nobody")
    )
    assert not restricted_search_matches(viewer=UserFactory(), search=search)


def test_lifting_restores_access_and_keeps_the_history(involvement, manager):
    restriction = _restrict(manager, involvement.child)
    record_restriction_lift(actor=manager, restriction=restriction, reason="Adoption order revoked")
    assert can_view_child(involvement.practitioner, involvement.child)
    kept = RecordRestriction.objects.get(pk=restriction.pk)
    assert kept.lifted_by == manager
    assert kept.lift_reason == "Adoption order revoked"
    with pytest.raises(RestrictionRefusedError, match="already been lifted"):
        record_restriction_lift(actor=manager, restriction=kept, reason="again")
    again = _restrict(manager, involvement.child, reason=RestrictionReason.REFUGE)
    assert RecordRestriction.objects.filter(child=involvement.child).count() == 2
    assert again.in_force


def test_only_one_restriction_in_force_at_a_time(involvement, manager):
    _restrict(manager, involvement.child)
    with pytest.raises(RestrictionRefusedError, match="already restricted"):
        _restrict(manager, involvement.child)


@pytest.mark.parametrize(
    "role", [Role.FRONTLINE_PRACTITIONER, Role.SOCIAL_WORKER, Role.SYSTEM_ADMINISTRATOR]
)
def test_only_a_manager_who_may_see_the_child_can_restrict_it(involvement, role):
    other = UserFactory(role=role, agency=involvement.agency)
    InvolvementFactory(child=involvement.child, agency=involvement.agency, practitioner=other)
    with pytest.raises(RestrictionRefusedError, match="team manager"):
        _restrict(other, involvement.child)
    assert not RecordRestriction.objects.exists()


def test_a_manager_the_restriction_does_not_allow_cannot_lift_it(involvement, manager):
    restriction = _restrict(manager, involvement.child, roles=[])
    other_manager = UserFactory(role=Role.TEAM_MANAGER, agency=involvement.agency)
    with pytest.raises(RestrictionRefusedError, match="allowed by this restriction"):
        record_restriction_lift(actor=other_manager, restriction=restriction, reason="x")
    assert RecordRestriction.objects.get(pk=restriction.pk).in_force


def test_bad_input_is_refused_field_by_field_and_nothing_is_saved(involvement, manager):
    with pytest.raises(RestrictionRefusedError) as refused:
        record_restriction_set(
            actor=manager,
            child=involvement.child,
            reason="other",
            contact=" ",
            allowed_roles=["wizard"],
        )
    assert set(refused.value.message_dict) == {"contact", "allowed_roles", "explanation"}
    assert not RecordRestriction.objects.exists()


def test_role_based_work_outside_need_to_know_is_refused_unless_allowed(involvement, manager):
    _restrict(manager, involvement.child, roles=[Role.PARTNERSHIP_ADMINISTRATOR])
    with pytest.raises(RecordRestrictedError):
        child_restriction_check(viewer=None, child_id=involvement.child.pk)
    with pytest.raises(RecordRestrictedError):
        child_restriction_check(viewer=UserFactory(), child_id=involvement.child.pk)
    records_team = UserFactory(role=Role.PARTNERSHIP_ADMINISTRATOR)
    child_restriction_check(viewer=records_team, child_id=involvement.child.pk)


def test_both_shapes_of_the_need_to_know_rule_see_the_same_children(involvement, manager):
    """``visible_child_filter(in_order=True)`` is the same rule written for an ordered walk:
    through work, through break glass, restricted, allowed, archived, for every viewer."""
    from cumulus.people.models import Child
    from cumulus.people.policies import visible_child_filter

    agency = involvement.agency
    worker = UserFactory(role=Role.SOCIAL_WORKER, agency=agency)
    responder = UserFactory(role=Role.SOCIAL_WORKER, agency=AgencyFactory())
    children = [InvolvementFactory(agency=agency, practitioner=worker).child for _ in range(4)]
    _restrict(manager, children[0])  # social workers allowed
    _restrict(manager, children[1], roles=(Role.TEAM_MANAGER,))  # the worker is refused
    archived = children[2].person
    archived.is_archived = True
    archived.save()
    for child in (children[3], children[0], involvement.child):
        break_glass_open(actor=responder, child=child, reason="Child found alone at night, urgent.")
    _restrict(manager, involvement.child)
    for viewer in (involvement.practitioner, manager, worker, responder, UserFactory()):
        union = set(Child.objects.filter(visible_child_filter(user=viewer, child="")))
        ordered = set(
            Child.objects.filter(visible_child_filter(user=viewer, child="", in_order=True))
        )
        assert union == ordered, viewer.role
    assert set(visible_children(user=responder)) == {children[3]}
    assert set(visible_children(user=worker)) == {children[0], children[3]}
