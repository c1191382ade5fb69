"""Children, the adults around them, their households and the agencies involved with them.

A ``Child`` is a ``Person`` with the identifiers the national returns use (NHS number, UPN,
the local authority's child id). Relationships between people are enough to draw a genogram;
household membership is kept over time, so the chronology can show who lived where, when.
An ``Involvement`` says which agency (and practitioner) works with a child from when to when:
it is the basis of need-to-know access (``cumulus.people.policies``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock
from cumulus.core.identifiers import normalise_nhs_number, normalise_postcode, normalise_upn
from cumulus.core.models import TimeStampedModel
from cumulus.core.validators import nhs_number_validator, postcode_validator, upn_validator


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    UNKNOWN = "U", "Unknown or unborn"


class Person(TimeStampedModel):
    """Anyone in a child's world: the child, parents, carers, siblings, other adults."""

    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100)
    other_names = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # Recorded so the genogram can mark a person who has died (and a bereavement is visible).
    date_of_death = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    is_archived = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # Name order, to the key: lists in name order walk it and stop after a page.
            models.Index(fields=["family_name", "given_name", "id"], name="people_name_order"),
            models.Index(fields=["date_of_birth"], name="people_dob"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_death__isnull=True)
                | Q(date_of_birth__isnull=True)
                | Q(date_of_death__gte=models.F("date_of_birth")),
                name="people_person_dies_after_birth",
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def is_deceased(self) -> bool:
        return self.date_of_death is not None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        today = clock.today()
        if self.date_of_birth and self.date_of_birth > today:
            errors["date_of_birth"] = "Date of birth must be today or in the past"
        if self.date_of_death:
            if self.date_of_death > today:
                errors["date_of_death"] = "Date of death must be today or in the past"
            elif self.date_of_birth and self.date_of_death < self.date_of_birth:
                errors["date_of_death"] = (
                    f"Date of death ({self.date_of_death:%d %B %Y}) cannot be before the date "
                    f"of birth ({self.date_of_birth:%d %B %Y})"
                )
        if errors:
            raise ValidationError(errors)


class Child(TimeStampedModel):
    """A child or an unborn child known to the partnership.

    The child's names, date of birth and sex live on its ``Person`` (shared primary key), so
    relationships and households treat children and adults alike; the child adds the
    identifiers the national returns use. An explicit one-to-one (not multi-table
    inheritance) keeps bulk inserts possible for the synthetic generator and imports.
    """

    person = models.OneToOneField(
        Person, on_delete=models.PROTECT, primary_key=True, related_name="child"
    )

    la_child_id = models.CharField(
        "local authority child id",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="LAchildID in the CIN census and SSDA903: up to 20 letters and digits.",
    )
    nhs_number = models.CharField(
        "NHS number",
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        validators=[nhs_number_validator],
    )
    upn = models.CharField(
        "unique pupil number",
        max_length=13,
        unique=True,
        null=True,
        blank=True,
        validators=[upn_validator],
    )
    expected_birth_on = models.DateField(
        "expected date of birth",
        null=True,
        blank=True,
        help_text="For an unborn child, instead of a date of birth.",
    )
    ethnicity = models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": Scheme.ETHNICITY},
    )
    disabilities = models.ManyToManyField(
        Code, blank=True, related_name="+", limit_choices_to={"scheme": Scheme.DISABILITY}
    )
    has_send = models.BooleanField("special educational needs or disability", default=False)

    class Meta:
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.person.full_name

    @property
    def full_name(self) -> str:
        return self.person.full_name

    @property
    def date_of_birth(self) -> dt.date | None:
        return self.person.date_of_birth

    @property
    def is_unborn(self) -> bool:
        return self.date_of_birth is None and self.expected_birth_on is not None

    def age_on(self, day: dt.date | None = None) -> int | None:
        """Whole years of age on ``day`` (today by default); ``None`` for an unborn child."""
        on = day or clock.today()
        if self.date_of_birth is None:
            return None
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # Normalise identifiers as typed ("943 476 5919", " p207000016049") before validating.
        self.nhs_number = normalise_nhs_number(self.nhs_number or "") or None
        self.upn = normalise_upn(self.upn or "") or None
        self.la_child_id = (self.la_child_id or "").strip() or None
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.expected_birth_on and self.expected_birth_on < clock.today() - dt.timedelta(
            days=60
        ):
            errors["expected_birth_on"] = (
                "Expected date of birth is more than 60 days ago: record the date of birth"
            )
        if self.date_of_birth and self.expected_birth_on:
            errors["expected_birth_on"] = (
                "Give either a date of birth or an expected date of birth, not both"
            )
        elif not self.date_of_birth and not self.expected_birth_on:
            errors["date_of_birth"] = (
                "Give a date of birth, or an expected date of birth for an unborn child"
            )
        if self.expected_birth_on and not self.date_of_birth and self.person.sex != Sex.UNKNOWN:
            errors["sex"] = "Sex must be 'Unknown or unborn' for an unborn child"
        if self.ethnicity is not None and self.ethnicity.scheme != Scheme.ETHNICITY:
            errors["ethnicity"] = "Choose an ethnicity from the census code list"
        if self.la_child_id and not self.la_child_id.isalnum():
            errors["la_child_id"] = "Local authority child id must be letters and digits only"
        if errors:
            raise ValidationError(errors)


class Household(TimeStampedModel):
    """An address where people live together, with the neighbourhood it sits in."""

    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, validators=[postcode_validator])
    lsoa_code = models.CharField(
        "LSOA", max_length=9, blank=True, help_text="Lower layer super output area (2021)."
    )
    imd_decile = models.PositiveSmallIntegerField(
        "IMD decile",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Index of multiple deprivation decile: 1 most deprived, 10 least.",
    )
    # A confidential address (a refuge, a placement an abuser must not find, an adoptive
    # home) is shown in full only to ``confidential_roles``; everyone else sees that it is
    # confidential and whom to ask. It never reaches the family view, a subject access package
    # or a page for another agency's matching (``cumulus.people.policies.can_see_address``).
    is_confidential = models.BooleanField(default=False, db_default=False)
    confidential_roles = models.CharField(
        max_length=400,
        blank=True,
        default="",
        db_default="",
        help_text="Roles that may read the address, comma-separated; empty means the allocated "
        "social work team (social workers and team managers).",
    )
    confidential_contact = models.CharField(
        max_length=200, blank=True, default="", db_default="", help_text="Whom to ask."
    )

    def __str__(self) -> str:
        return self.one_line

    @property
    def one_line(self) -> str:
        parts = (self.address_line_1, self.address_line_2, self.town, self.postcode)
        return ", ".join(p for p in parts if p)

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        self.postcode = normalise_postcode(self.postcode or "")
        super().clean_fields(exclude=exclude)


class HouseholdMembership(models.Model):
    """Who lived in a household, from when to when."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="people_membership_ends_after_start",
            )
        ]
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"person {self.person_id} in household {self.household_id} from {self.started_on}"


PARTNERSHIP_TYPES = ("spouse", "civil_partner", "cohabiting", "partner")


class RelationshipType(models.TextChoices):
    PARENT = "parent", "Parent"
    STEP_PARENT = "step_parent", "Step-parent"
    CARER = "carer", "Carer"
    GRANDPARENT = "grandparent", "Grandparent"
    SIBLING = "sibling", "Sibling"
    HALF_SIBLING = "half_sibling", "Half-sibling"
    # Partnerships: the genogram draws each differently (docs/instruments.md, "Genogram").
    SPOUSE = "spouse", "Married"
    CIVIL_PARTNER = "civil_partner", "Civil partners"
    COHABITING = "cohabiting", "Cohabiting partners (not married)"
    PARTNER = "partner", "Partner (kind not recorded)"
    OTHER = "other", "Other"


class Relationship(models.Model):
    """``person`` is ``relationship_type`` of ``relative`` (e.g. Jo is *parent* of Sam)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relatives")
    relationship_type = models.CharField(max_length=20, choices=RelationshipType.choices)
    has_parental_responsibility = models.BooleanField(default=False)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=models.F("relative")), name="people_relationship_not_self"
            ),
            models.UniqueConstraint(
                fields=["person", "relative", "relationship_type"],
                name="people_relationship_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.person_id} is {self.relationship_type} of person {self.relative_id}"


class Involvement(models.Model):
    """An agency (and, usually, a named practitioner) working with a child, from when to when."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="involvements")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="involvements"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    role = models.CharField(
        max_length=120, help_text="e.g. class teacher, health visitor, allocated social worker."
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="people_involvement_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["practitioner", "child"], name="people_inv_practitioner"),
            models.Index(fields=["agency", "child"], name="people_inv_agency"),
        ]
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return f"{self.agency} ({self.role}) with child {self.child_id}"


class BreakGlassAccess(models.Model):
    """Emergency access to a child's record by someone with no involvement ("break glass").

    A practitioner facing a safeguarding emergency gives a reason and sees the record for a
    short time (``CUMULUS_BREAK_GLASS_MINUTES``). Every grant is logged, flagged on each view
    and notified to the child's lead practitioners and the practitioner's own DSL. Grants are
    never deleted: they are the record of who broke the glass and why.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "child", "expires_at"], name="people_bg_active")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("started_at")),
                name="people_break_glass_expires_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"break glass by {self.user_id} on child {self.child_id} at {self.started_at}"


class RestrictionReason(models.TextChoices):
    ADOPTION = "adoption", "Adoption"
    REFUGE = "refuge", "Child at a refuge or hidden address"
    POLICE_INTELLIGENCE = "police_intelligence", "Police intelligence"
    OTHER = "other", "Other (explain)"


class RecordRestriction(models.Model):
    """A child's whole record closed to everyone but named roles and people.

    For an adoption, a child at a refuge address, or police intelligence: people who would
    otherwise see the child (an involvement) see only that the record is restricted and whom to
    ask (``cumulus.people.policies``). Restrictions are never edited or deleted: lifting one
    records who, when and why, and a change of who may read is a lift and a new restriction, so
    the rows are the history. At most one is in force for a child at a time.
    """

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="restrictions")
    reason = models.CharField(max_length=30, choices=RestrictionReason.choices)
    explanation = models.TextField(
        blank=True, help_text="Why, in a sentence; shown only to those allowed to read."
    )
    contact = models.CharField(
        max_length=200,
        help_text="Whom to ask, with a way to reach someone out of hours: shown to everyone "
        "refused the record.",
    )
    allowed_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", through="RestrictionAllowedUser"
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=clock.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(lifted_at__isnull=True),
                name="people_one_restriction_in_force",
            ),
            models.CheckConstraint(
                condition=(Q(lifted_at__isnull=True) & Q(lifted_by__isnull=True))
                | (Q(lifted_at__gte=models.F("set_at")) & Q(lifted_by__isnull=False)),
                name="people_restriction_lifted_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} restriction on child {self.child_id}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class RestrictionAllowedRole(models.Model):
    """One role that may read a restricted record (with an involvement, as always)."""

    restriction = models.ForeignKey(
        RecordRestriction, on_delete=models.PROTECT, related_name="allowed_roles"
    )
    role = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["restriction", "role"], name="people_restriction_role")
        ]

    def __str__(self) -> str:
        return f"{self.role} may read restriction {self.restriction_id}"

    @property
    def label(self) -> str:
        from cumulus.accounts.models import Role

        return str(Role(self.role).label) if self.role in Role.values else self.role


class RestrictionAllowedUser(models.Model):
    """One named person who may read a restricted record (with an involvement, as always)."""

    restriction = models.ForeignKey(RecordRestriction, on_delete=models.PROTECT)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["restriction", "user"], name="people_restriction_user")
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} may read restriction {self.restriction_id}"
