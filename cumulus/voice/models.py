"""The voice of the child and the family, as structured records that audits can count.

A ``VoiceRecord`` holds, for one moment of the journey (early help start, a child in need or
child protection conference, a review, closure), the child's own words and how they were
gathered, and the parents' or carers' feedback. It may point at the plan and review it belongs
to, so "share of reviews with the child's voice recorded" is a count, not an audit by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cumulus.core.models import TimeStampedModel


class VoiceMoment(models.TextChoices):
    EARLY_HELP_START = "early_help_start", "Start of early help"
    CIN_MEETING = "cin_meeting", "Child in need meeting"
    INITIAL_CP_CONFERENCE = "initial_cp_conference", "Initial child protection conference"
    CP_REVIEW_CONFERENCE = "cp_review_conference", "Child protection review conference"
    PLAN_REVIEW = "plan_review", "Review of a plan"
    CLOSURE = "closure", "Closure"


class GatheredBy(models.TextChoices):
    DIRECT = "direct", "Directly, in the child's own words"
    INTERPRETER = "interpreter", "Through an interpreter"
    DRAWING = "drawing", "Through drawing or play"
    COMMUNICATION_AID = "communication_aid", "With a communication aid"
    OBSERVATION = "observation", "By observation (a pre-verbal child)"
    ADVOCATE = "advocate", "Through an advocate or trusted adult"


class VoiceRecord(TimeStampedModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        "casework.Plan", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        "casework.Review", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moment = models.CharField(max_length=30, choices=VoiceMoment.choices)
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    childs_words = models.TextField(
        "the child's words", blank=True, help_text="As the child said, drew or showed it."
    )
    gathered_by = models.CharField(max_length=30, choices=GatheredBy.choices, blank=True)
    language = models.CharField(max_length=60, blank=True, help_text="If an interpreter helped.")
    parents_feedback = models.TextField("the parents' or carers' feedback", blank=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["child", "moment"], name="voice_child_moment")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(childs_words="") | ~models.Q(gathered_by=""),
                name="voice_words_say_how_gathered",
            )
        ]

    def __str__(self) -> str:
        return f"Voice at {self.get_moment_display()} on {self.recorded_on}"

    @property
    def has_childs_voice(self) -> bool:
        return bool(self.childs_words)
