"""Reads about children, always filtered by what the viewer may see (``policies``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.http import Http404

from cumulus.accounts.models import User
from cumulus.core.identifiers import normalise_nhs_number, normalise_upn
from cumulus.people.models import (
    BreakGlassAccess,
    Child,
    HouseholdMembership,
    Involvement,
    Person,
    RecordRestriction,
    Relationship,
)
from cumulus.people.policies import (
    active_break_glass,
    active_involvements,
    restricted_children_in_reach,
    restriction_hiding,
    restriction_refusing,
    visible_children,
    visible_person_filter,
)


class RecordRestrictedError(Http404):
    """The viewer has need to know of the child, but the record is restricted from them.

    A kind of ``Http404``, so any view that does not know about restrictions still shows
    nothing; the "not found" handler (``web.views.page_not_found``) draws the restricted page
    instead, saying whom to ask and nothing else.
    """

    def __init__(self, restriction: RecordRestriction) -> None:
        super().__init__("This record is restricted")
        self.restriction = restriction
        self.child_id = restriction.child_id

    @property
    def contact(self) -> str:
        return self.restriction.contact


@dataclass(frozen=True)
class ChildSearch:
    """What a practitioner typed into the search form; any field may be empty."""

    name: str = ""
    date_of_birth: dt.date | None = None
    nhs_number: str = ""
    upn: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.nhs_number or self.upn)

    def as_log_detail(self) -> dict[str, str]:
        return {
            "name": self.name.strip(),
            "date_of_birth": self.date_of_birth.isoformat() if self.date_of_birth else "",
            "nhs_number": normalise_nhs_number(self.nhs_number),
            "upn": normalise_upn(self.upn),
        }


def _matching(children: QuerySet[Child], search: ChildSearch) -> QuerySet[Child]:
    for token in search.name.split():
        children = children.filter(
            Q(person__given_name__istartswith=token)
            | Q(person__family_name__istartswith=token)
            | Q(person__other_names__icontains=token)
        )
    if search.date_of_birth:
        children = children.filter(
            Q(person__date_of_birth=search.date_of_birth)
            | Q(expected_birth_on=search.date_of_birth)
        )
    if search.nhs_number:
        children = children.filter(nhs_number=normalise_nhs_number(search.nhs_number))
    if search.upn:
        children = children.filter(upn=normalise_upn(search.upn))
    return children


def child_search(*, viewer: User, search: ChildSearch) -> QuerySet[Child]:
    """Children the viewer may see that match every given field (names match by prefix)."""
    if search.is_empty:
        return Child.objects.none()
    return (
        _matching(visible_children(user=viewer), search)
        .select_related("person")
        .order_by("person__family_name", "person__given_name", "person__date_of_birth")[
            : settings.CUMULUS_SEARCH_RESULT_LIMIT
        ]
    )


@dataclass(frozen=True)
class RestrictedMatch:
    """A search match the viewer may not read: that it is restricted, and whom to ask."""

    contact: str


def restricted_search_matches(*, viewer: User, search: ChildSearch) -> list[RestrictedMatch]:
    """Matches the viewer would see but for a restriction: one row each, nothing of the child
    (no name, no id, no reason), only whom to ask."""
    if search.is_empty:
        return []
    ids = _matching(restricted_children_in_reach(user=viewer), search).values("pk")
    contacts = (
        RecordRestriction.objects.filter(child_id__in=ids, lifted_at__isnull=True)
        .order_by("contact", "pk")
        .values_list("contact", flat=True)[: settings.CUMULUS_SEARCH_RESULT_LIMIT]
    )
    return [RestrictedMatch(contact=contact) for contact in contacts]


def child_get(*, viewer: User, child_id: int) -> Child:
    """The child, if the viewer may see it; otherwise ``Http404``, as if it did not exist, or
    ``RecordRestrictedError`` if they have need to know but the record is restricted."""
    try:
        return visible_children(user=viewer).select_related("person", "ethnicity").get(pk=child_id)
    except Child.DoesNotExist:
        restriction = restriction_refusing(user=viewer, child_id=child_id)
        if restriction is not None:
            raise RecordRestrictedError(restriction) from None
        raise Http404("No child found") from None


def child_restriction_check(*, viewer: User | None, child_id: int) -> None:
    """For role-based work on a child outside need to know (linkage review, subject access, a
    case audit): ``RecordRestrictedError`` if a restriction in force does not allow the viewer.
    """
    restriction = restriction_hiding(user=viewer, child_id=child_id)
    if restriction is not None:
        raise RecordRestrictedError(restriction)


def child_restriction_in_force(*, child: Child) -> RecordRestriction | None:
    return RecordRestriction.objects.filter(child_id=child.pk, lifted_at__isnull=True).first()


def child_restrictions(*, child: Child) -> list[RecordRestriction]:
    """Every restriction the child's record has had, newest first, with who may read."""
    return list(
        RecordRestriction.objects.filter(child_id=child.pk)
        .select_related("set_by", "lifted_by")
        .prefetch_related("allowed_roles", "allowed_users")
        .order_by("-set_at", "-pk")
    )


class ChildrenInNameOrder:
    """Children in name order, read through their ``Person`` rows so the database walks the
    people's name index and stops after a page, instead of gathering and sorting every child
    an agency works with (a team manager's home page at 300,000 children: 103 ms to 37 ms of
    SQL a request, counting included, docs/benchmarks.md). Slices, counts and iterates like a
    queryset of ``Child``, so a paginator pages it.

    ``counting`` is the same rows for ``count()``, in the need-to-know rule's other shape:
    counting starts better from the user's involvements than from the name index.
    """

    def __init__(self, people: QuerySet[Person], counting: QuerySet[Person]) -> None:
        self.people = people
        self.counting = counting

    def __getitem__(self, key: slice) -> ChildrenInNameOrder:
        return ChildrenInNameOrder(self.people[key], self.counting[key])

    def __iter__(self) -> Iterator[Child]:
        for person in self.people:
            yield person.child  # joined, with its person already set

    def __len__(self) -> int:
        return len(self.people)

    def count(self) -> int:
        return self.counting.count()

    def order_by(self, *fields: str) -> ChildrenInNameOrder:
        return ChildrenInNameOrder(self.people.order_by(*fields), self.counting.order_by(*fields))


def my_children(*, viewer: User) -> ChildrenInNameOrder:
    """The children on the viewer's home page: their own caseload, or, for a designated
    safeguarding lead or team manager, every child their agency is working with now."""
    counting = Person.objects.filter(visible_person_filter(user=viewer))
    if viewer.has_agency_wide_view:
        # Up to thousands of children: test each person met on the name index.
        people = Person.objects.filter(visible_person_filter(user=viewer, in_order=True))
    else:
        # A caseload: start from the few children and look their people up by key.
        mine = active_involvements().filter(practitioner_id=viewer.pk).values("child_id")
        people = counting = counting.filter(pk__in=mine)
    order = ("family_name", "given_name", "pk")
    return ChildrenInNameOrder(people.select_related("child").order_by(*order), counting)


@dataclass(frozen=True)
class HouseholdView:
    membership: HouseholdMembership
    members: list[HouseholdMembership]
    # What the viewer may read: the address, or "Confidential address" with whom to ask.
    address: str = ""
    address_hidden: bool = False
    ask: str = ""


def child_households(*, child: Child, viewer: User | None = None) -> list[HouseholdView]:
    """The child's households, current first, each with everyone who lived there.

    A confidential address is replaced for a viewer who may not read it (``None``: a reader
    who is not a practitioner, such as the family).
    """
    from cumulus.people.policies import address_for, can_see_address

    memberships = (
        HouseholdMembership.objects.filter(person_id=child.pk)
        .select_related("household")
        .order_by("ended_on", "-started_on")
    )
    views = []
    for membership in memberships:
        members = list(
            HouseholdMembership.objects.filter(household_id=membership.household_id)
            .exclude(person_id=child.pk)
            .select_related("person")
            .order_by(F("person__date_of_birth").asc(nulls_last=True))
        )
        household = membership.household
        hidden = not can_see_address(viewer, household)
        views.append(
            HouseholdView(
                membership=membership,
                members=members,
                address=address_for(viewer, household),
                address_hidden=hidden,
                ask=household.confidential_contact if hidden else "",
            )
        )
    return sorted(views, key=lambda v: (v.membership.ended_on is not None, v.membership.started_on))


def child_relationships(*, child: Child) -> list[Relationship]:
    """Everyone related to the child, stated from the child's side where possible."""
    return list(
        Relationship.objects.filter(Q(relative_id=child.pk) | Q(person_id=child.pk))
        .select_related("person", "relative")
        .order_by("relationship_type")
    )


def child_involvements(*, child: Child) -> QuerySet[Involvement]:
    """Agencies involved with the child now, then in the past."""
    return (
        Involvement.objects.filter(child_id=child.pk)
        .select_related("agency", "practitioner")
        .order_by(F("ended_on").desc(nulls_first=True), "-started_on")
    )


def break_glass_recipients(*, child: Child, actor: User) -> list[User]:
    """Who is told when ``actor`` breaks the glass on ``child``'s record.

    The child's lead practitioners (named practitioners of children's social care or early help
    involved now; if none, every named practitioner involved now) and the designated
    safeguarding leads of the actor's own agency. Never the actor.
    """
    from cumulus.accounts.models import AgencyType, Role

    involved = active_involvements().filter(child=child, practitioner__isnull=False)
    leads = involved.filter(
        agency__agency_type__in=[AgencyType.CHILDRENS_SOCIAL_CARE, AgencyType.EARLY_HELP]
    )
    ids = set((leads if leads.exists() else involved).values_list("practitioner_id", flat=True))
    if actor.agency_id is not None:
        ids |= set(
            User.objects.filter(
                agency_id=actor.agency_id,
                role=Role.DESIGNATED_SAFEGUARDING_LEAD,
                is_active=True,
            ).values_list("pk", flat=True)
        )
    ids.discard(actor.pk)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def child_find_for_emergency(*, nhs_number: str = "", la_child_id: str = "") -> Child | None:
    """Exactly one child by NHS number or local authority child id, whoever may see it.

    Only for emergency access, whose request is reasoned and logged before the answer is used.
    """
    children = Child.objects.filter(person__is_archived=False)
    if nhs_number:
        return children.filter(nhs_number=normalise_nhs_number(nhs_number)).first()
    if la_child_id:
        return children.filter(la_child_id=la_child_id.strip()).first()
    return None


def break_glass_active_for(*, viewer: User, child: Child) -> BreakGlassAccess | None:
    """The viewer's unexpired emergency access to this child, if that is how they see it."""
    return active_break_glass(user=viewer).filter(child=child).order_by("-expires_at").first()
