"""Agencies of the partnership and the people who sign in to Cumulus.

Every practitioner belongs to exactly one agency and holds one role; what they may see follows
from their role and their involvements with children (see ``cumulus.people.policies``).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class AgencyType(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
    EARLY_HELP = "early_help", "Early help"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    GP = "gp", "GP practice"
    MIDWIFERY = "midwifery", "Midwifery"
    HOSPITAL = "hospital", "Hospital and emergency department"
    CAMHS = "camhs", "Child and adolescent mental health services"
    SCHOOL = "school", "School"
    EARLY_YEARS = "early_years", "Early years setting"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    agency_type = models.CharField(max_length=40, choices=AgencyType.choices)
    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="The agency's own identifier (ODS code, school URN, force code), if any.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "agencies"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    FRONTLINE_PRACTITIONER = "frontline_practitioner", "Frontline practitioner"
    DESIGNATED_SAFEGUARDING_LEAD = "designated_safeguarding_lead", "Designated safeguarding lead"
    SOCIAL_WORKER = "social_worker", "Social worker"
    EARLY_HELP_PRACTITIONER = "early_help_practitioner", "Early help lead practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    FRONT_DOOR_DECISION_MAKER = "front_door_decision_maker", "Front door decision-maker"
    PARTNERSHIP_ANALYST = "partnership_analyst", "Partnership analyst"
    PARTNERSHIP_ADMINISTRATOR = "partnership_administrator", "Partnership administrator"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"
    BUSINESS_UNIT = "business_unit", "Partnership business unit"


# Roles that see every child their agency is actively involved with, not only their own. The
# front door sees the children children's social care is working with, including every child
# whose concern is waiting for its decision.
AGENCY_WIDE_ROLES = frozenset(
    {Role.DESIGNATED_SAFEGUARDING_LEAD, Role.TEAM_MANAGER, Role.FRONT_DOOR_DECISION_MAKER}
)
# Roles that may read who viewed a child's record.
ACCESS_LOG_READER_ROLES = frozenset({Role.DESIGNATED_SAFEGUARDING_LEAD, Role.TEAM_MANAGER})


class User(AbstractUser):
    """A person who signs in. Practitioners belong to one agency and hold one role."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    role = models.CharField(
        max_length=40, choices=Role.choices, default=Role.FRONTLINE_PRACTITIONER
    )
    job_title = models.CharField(max_length=120, blank=True)
    # Set when an administrator ends all of this person's sessions (leaving, a lost laptop, a
    # suspected compromise): every session that started before it is signed out.
    sessions_ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def has_agency_wide_view(self) -> bool:
        return self.role in AGENCY_WIDE_ROLES


class UserSession(models.Model):
    """One signed-in (or anonymous) browser session: Django's session row, with the facts its
    owner needs to recognise it (when it began, last activity, address, browser).

    The session engine ``cumulus.accounts.sessions`` keeps sessions here instead of in
    ``django_session`` (ADR 1003). ``key_hash`` is the SHA-256 of the cookie's key, never the
    key itself: a copy of this table signs nobody in. Deleting the row ends the session on
    whichever device holds its cookie.
    """

    key_hash = models.CharField(max_length=64, unique=True)
    session_data = models.TextField()
    expire_date = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="user_sessions"
    )
    started_at = models.DateTimeField()
    last_activity_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        indexes = [models.Index(fields=["user", "expire_date"], name="accounts_session_user")]

    def __str__(self) -> str:
        return f"session {self.pk} of user {self.user_id}"
