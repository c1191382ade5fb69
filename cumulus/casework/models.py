"""Casework shaped like the Children in Need census, so imports and indicators map one-to-one.

Contact -> Referral (a CIN census ``CINdetails`` episode: date, source, primary need, closure)
-> Assessment (early help, child and family under s17, s47 enquiry; factors at assessment)
-> Plan (early help, child in need, child protection with its category, child looked after)
-> Review. Every date is a ``*_on`` date; code values come from ``cumulus.codelists``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from cumulus.codelists.models import Code, Scheme
from cumulus.core.models import TimeStampedModel


def _ends_after_starts(start: str, end: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def _code_fk(scheme: Scheme, *, null: bool = True, related_name: str = "+") -> models.ForeignKey:
    return models.ForeignKey(
        Code,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
        limit_choices_to={"scheme": scheme},
    )


class FrontDoorOutcome(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", "No further action"
    UNIVERSAL_SERVICES = "universal_services", "Universal services"
    EARLY_HELP = "early_help", "Early help"
    CHILD_AND_FAMILY_ASSESSMENT = "child_and_family_assessment", "Child and family assessment (s17)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion and s47 enquiry"


ACCEPTED_OUTCOMES = frozenset(
    {FrontDoorOutcome.CHILD_AND_FAMILY_ASSESSMENT, FrontDoorOutcome.STRATEGY_DISCUSSION}
)


class Contact(TimeStampedModel):
    """A concern about a child from any agency, and the front door's decision on it.

    The decision sits on the same row so that two decision-makers acting at once contend for
    one row lock: one wins, the other is told.
    """

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="contacts")
    received_on = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.TextField("what was seen or heard")
    is_neglect_concern = models.BooleanField(default=False)
    neglect_types = models.ManyToManyField(
        Code, blank=True, related_name="+", limit_choices_to={"scheme": Scheme.NEGLECT_TYPE}
    )
    childs_words = models.TextField("what the child said", blank=True)
    already_tried = models.TextField("what has already been tried", blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=40, choices=FrontDoorOutcome.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    expected_of_referrer = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dsl_reviewed_at = models.DateTimeField(null=True, blank=True)
    dsl_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dsl_review_note = models.TextField(blank=True)
    step_up_from = models.ForeignKey(
        "Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="step_up_contacts"
    )

    class Meta:
        ordering = ["-received_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_at__isnull=True, outcome="")
                | Q(decided_at__isnull=False) & ~Q(outcome=""),
                name="casework_contact_decision_complete",
            )
        ]
        indexes = [
            # The front door queue: undecided concerns, oldest due first, a page at a time.
            models.Index(
                fields=["decision_due_on", "id"],
                name="contact_waiting_due",
                condition=Q(decided_at__isnull=True),
            )
        ]

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None


class Referral(TimeStampedModel):
    """A referral to children's social care: one CIN census episode (``CINdetails``)."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="referrals")
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    referred_on = models.DateField("referral date")
    source = _code_fk(Scheme.REFERRAL_SOURCE, null=False)
    primary_need = _code_fk(Scheme.PRIMARY_NEED)
    is_neglect_concern = models.BooleanField(default=False)
    no_further_action = models.BooleanField("referral NFA", default=False)
    closed_on = models.DateField("closure date", null=True, blank=True)
    closure_reason = _code_fk(Scheme.CLOSURE_REASON)

    class Meta:
        ordering = ["-referred_on"]
        constraints = [
            _ends_after_starts("referred_on", "closed_on", "casework_referral_closes_after_start"),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True, closure_reason__isnull=True)
                | Q(closed_on__isnull=False, closure_reason__isnull=False),
                name="casework_referral_closure_has_reason",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if (self.closed_on is None) != (self.closure_reason_id is None):
            raise ValidationError(
                {"closure_reason": "A closed referral needs both a closure date and a reason"}
            )
        if not self.no_further_action and self.primary_need_id is None:
            raise ValidationError(
                {"primary_need": "Give the primary need unless the referral is NFA"}
            )


class AssessmentType(models.TextChoices):
    EARLY_HELP = "early_help", "Early help assessment"
    CHILD_AND_FAMILY = "child_and_family", "Child and family assessment (s17)"
    SECTION_47 = "section_47", "Section 47 enquiry"


class Assessment(TimeStampedModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="assessments")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    assessment_type = models.CharField(max_length=20, choices=AssessmentType.choices)
    started_on = models.DateField()
    authorised_on = models.DateField(
        null=True, blank=True, help_text="The date the assessment was completed and authorised."
    )
    initial_conference_on = models.DateField(
        "initial child protection conference", null=True, blank=True
    )
    factors = models.ManyToManyField(
        Code,
        blank=True,
        related_name="+",
        limit_choices_to={"scheme": Scheme.ASSESSMENT_FACTOR},
    )
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments"
    )
    due_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=40, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            _ends_after_starts(
                "started_on", "authorised_on", "casework_assessment_ends_after_start"
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.authorised_on is None


class PlanType(models.TextChoices):
    EARLY_HELP = "early_help", "Early help plan"
    CHILD_IN_NEED = "child_in_need", "Child in need plan"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    LOOKED_AFTER = "looked_after", "Child looked after"


class Plan(TimeStampedModel):
    """A plan for the child; a child protection plan carries its categories of abuse."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="plans")
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    plan_type = models.CharField(max_length=20, choices=PlanType.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    initial_category = _code_fk(Scheme.CATEGORY_OF_ABUSE)
    latest_category = _code_fk(Scheme.CATEGORY_OF_ABUSE)
    number_of_previous_cp_plans = models.PositiveSmallIntegerField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lead_practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    initial_conference = models.ForeignKey(
        "InitialConference", on_delete=models.PROTECT, null=True, blank=True, related_name="plans"
    )
    stepped_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="stepped_to"
    )
    review_due_on = models.DateField(null=True, blank=True)
    progress_reviewed_on = models.DateField(
        null=True, blank=True, help_text="When progress against the outcomes was last reviewed."
    )

    class Meta:
        ordering = ["-started_on"]
        constraints = [
            _ends_after_starts("started_on", "ended_on", "casework_plan_ends_after_start"),
            models.CheckConstraint(
                condition=~Q(plan_type="child_protection") | Q(initial_category__isnull=False),
                name="casework_cp_plan_has_category",
            ),
        ]
        indexes = [models.Index(fields=["child", "plan_type"], name="casework_plan_child")]

    def __str__(self) -> str:
        return f"{self.get_plan_type_display()} from {self.started_on:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def clean(self) -> None:
        super().clean()
        is_cp = self.plan_type == PlanType.CHILD_PROTECTION
        if is_cp and self.initial_category_id is None:
            raise ValidationError(
                {"initial_category": "A child protection plan needs an initial category of abuse"}
            )
        if not is_cp and (self.initial_category_id or self.latest_category_id):
            raise ValidationError(
                {"initial_category": "Only a child protection plan has a category of abuse"}
            )


class ProgressRating(models.TextChoices):
    GOOD = "good", "Good progress"
    SOME = "some", "Some progress"
    INSUFFICIENT = "insufficient", "Not enough progress"
    NONE = "none", "No progress"


class Review(TimeStampedModel):
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField()
    summary = models.TextField(blank=True)
    progress = models.CharField(max_length=20, choices=ProgressRating.choices, blank=True)
    due_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on"]


# --- The journey beyond the front door (issue 4). Fields added to the census-shaped models above
# are nullable or defaulted so imports from the CIN census keep working unchanged.


class OutcomeStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    NOT_ACHIEVED = "not_achieved", "Not achieved"


class StatementKind(models.TextChoices):
    DANGER = "danger", "Danger statement"
    SAFETY_GOAL = "safety_goal", "Safety goal"


class ConferenceDecision(models.TextChoices):
    CHILD_PROTECTION_PLAN = "child_protection_plan", "Child protection plan"
    CHILD_IN_NEED_PLAN = "child_in_need_plan", "Child in need plan instead"
    NO_PLAN = "no_plan", "No plan needed"


class StrategyDiscussion(TimeStampedModel):
    """A strategy discussion: the clock for the initial conference (15 working days) starts here."""

    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="strategy_discussions"
    )
    held_on = models.DateField()
    rationale = models.TextField(blank=True)
    section_47 = models.OneToOneField(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_discussion",
    )
    initial_conference_due_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on"]


class InitialConference(TimeStampedModel):
    """An initial child protection conference; only its decision can start a CP plan."""

    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="initial_conferences"
    )
    strategy_discussion = models.OneToOneField(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="initial_conference"
    )
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=30, choices=ConferenceDecision.choices, blank=True)
    category = _code_fk(Scheme.CATEGORY_OF_ABUSE)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-due_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=True, decision="")
                | Q(held_on__isnull=False) & ~Q(decision=""),
                name="casework_conference_decision_complete",
            )
        ]


class PlanOutcome(TimeStampedModel):
    """A SMART outcome of a plan: what will happen, who does it, by when, and how it is going."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="outcomes")
    what = models.TextField()
    who = models.CharField(max_length=200)
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=OutcomeStatus.choices, default=OutcomeStatus.NOT_STARTED
    )
    progress = models.TextField(blank=True)
    not_for_family = models.BooleanField(default=False)

    class Meta:
        ordering = ["due_on", "pk"]


class PlanStatement(TimeStampedModel):
    """A danger statement or safety goal in plain language (Signs of Safety, generic name)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="statements")
    kind = models.CharField(max_length=20, choices=StatementKind.choices)
    text = models.TextField()
    not_for_family = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "pk"]


class PlanMeasure(TimeStampedModel):
    """A link to an assessment result held by the instrument engine (an opaque reference such
    as ``instruments:result:42``), so the plan shows change without copying the scores."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="measures")
    reference = models.CharField(max_length=120)
    label = models.CharField(max_length=200)
    recorded_on = models.DateField()
    not_for_family = models.BooleanField(default=False)

    class Meta:
        ordering = ["recorded_on", "pk"]


class TeamMember(TimeStampedModel):
    """A practitioner in the team around the family (early help) or core group (CP)."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="team")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=200)
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "pk"]
