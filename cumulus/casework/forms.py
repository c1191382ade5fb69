"""Forms of the journey pages; the services hold the rules, the forms only parse input."""

from __future__ import annotations

from django import forms

from cumulus.accounts.models import Role, User
from cumulus.casework.models import (
    ConferenceDecision,
    OutcomeStatus,
    ProgressRating,
    StatementKind,
)
from cumulus.casework.services.early_help import EARLY_HELP_ASSESSMENT_OUTCOMES
from cumulus.casework.services.statutory import CHILD_AND_FAMILY_OUTCOMES, SECTION_47_OUTCOMES
from cumulus.codelists.models import Code, Scheme
from cumulus.core import clock


def _date(label: str, **kwargs: object) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Enter the {label.lower()}", "invalid": "Enter a real date"},
        **kwargs,  # type: ignore[arg-type]
    )


def _text(label: str, *, required: bool = True, message: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea,
        max_length=5000,
        required=required,
        error_messages={"required": message or f"Enter {label.lower()}"},
    )


def _today() -> object:
    return clock.today


class DslReviewForm(forms.Form):
    note = _text("Your review of the concern", message="Write what you think of the concern")


class AssessmentCompleteForm(forms.Form):
    completed_on = _date("Date completed", initial=_today())
    summary = _text("What the assessment found", message="Summarise what the assessment found")
    outcome = forms.ChoiceField(
        label="What happens next",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": "Choose what happens next"},
    )
    lead_practitioner = forms.ModelChoiceField(
        label="Early help lead practitioner (if stepping down to early help)",
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: object, assessment_type: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = {
            "early_help": EARLY_HELP_ASSESSMENT_OUTCOMES,
            "child_and_family": CHILD_AND_FAMILY_OUTCOMES,
            "section_47": SECTION_47_OUTCOMES,
        }[assessment_type]
        self.fields["outcome"].choices = list(choices.items())  # type: ignore[attr-defined]
        if assessment_type == "child_and_family":
            self.fields["lead_practitioner"].queryset = early_help_practitioners()  # type: ignore[attr-defined]
        else:
            del self.fields["lead_practitioner"]


def early_help_practitioners() -> object:
    return User.objects.filter(role=Role.EARLY_HELP_PRACTITIONER, is_active=True)


class StrategyDiscussionForm(forms.Form):
    held_on = _date("Date of the strategy discussion", initial=_today())
    rationale = _text(
        "Why there is reasonable cause to suspect significant harm",
        message="Say why there is reasonable cause to suspect significant harm",
    )


class ConferenceForm(forms.Form):
    held_on = _date("Date of the conference", initial=_today())
    decision = forms.ChoiceField(
        label="The conference's decision",
        widget=forms.RadioSelect,
        choices=ConferenceDecision.choices,
        error_messages={"required": "Choose the conference's decision"},
    )
    category = forms.ChoiceField(
        label="Initial category of abuse (for a child protection plan)", required=False, choices=[]
    )
    summary = _text("Summary of the conference", required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["category"].choices = [("", "Choose a category")] + [  # type: ignore[attr-defined]
            (c.code, f"{c.label} ({c.code})")
            for c in Code.objects.filter(scheme=Scheme.CATEGORY_OF_ABUSE).order_by("pk")
        ]


class OutcomeForm(forms.Form):
    what = _text("What will happen or change", message="Say what will happen or change")
    who = forms.CharField(
        label="Who will do it", max_length=200, error_messages={"required": "Say who will do it"}
    )
    due_on = _date("By when")
    not_for_family = forms.BooleanField(label="Not for the family to see", required=False)


class OutcomeUpdateForm(forms.Form):
    status = forms.ChoiceField(label="How is it going", choices=OutcomeStatus.choices)
    progress = _text("Progress so far", required=False)


class StatementForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of statement", widget=forms.RadioSelect, choices=StatementKind.choices
    )
    text = _text(
        "The statement, in plain language", message="Write the statement in plain language"
    )
    not_for_family = forms.BooleanField(label="Not for the family to see", required=False)


class MeasureForm(forms.Form):
    reference = forms.CharField(
        label="Result reference from the assessment tool (for example instruments:result:42)",
        max_length=120,
        error_messages={"required": "Give the result's reference"},
    )
    label = forms.CharField(
        label="What it measured", max_length=200, error_messages={"required": "Give a label"}
    )
    recorded_on = _date("Date of the result", initial=_today())


class TeamMemberForm(forms.Form):
    practitioner = forms.ModelChoiceField(
        label="Practitioner",
        queryset=User.objects.filter(agency__isnull=False, is_active=True).select_related("agency"),
        error_messages={"required": "Choose a practitioner"},
    )
    role = forms.CharField(
        label="What they do for the family",
        max_length=200,
        error_messages={"required": "Say what this person does for the family"},
    )


class ReviewForm(forms.Form):
    held_on = _date("Date of the review", initial=_today())
    progress = forms.ChoiceField(
        label="Progress against the outcomes",
        widget=forms.RadioSelect,
        choices=ProgressRating.choices,
        error_messages={"required": "Say how much progress there has been"},
    )
    summary = _text("Summary of the review", message="Summarise the review")


class StepDownForm(forms.Form):
    to = forms.ChoiceField(
        label="Step down to",
        widget=forms.RadioSelect,
        choices=[
            ("child_protection", "A child protection plan (from looked after)"),
            ("child_in_need", "A child in need plan"),
            ("early_help", "Early help"),
            ("universal_services", "Universal services (close)"),
        ],
        error_messages={"required": "Choose where the family steps down to"},
    )
    on = _date("Date", initial=_today())
    reason = _text("Why the family no longer needs this level of help", message="Give the reason")
    closure_reason = forms.ChoiceField(
        label="Reason for closing the child in need episode (if leaving social care)",
        required=False,
        choices=[],
    )
    lead_practitioner = forms.ModelChoiceField(
        label="Early help lead practitioner (if stepping down to early help)",
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["closure_reason"].choices = [  # type: ignore[attr-defined]
            (c.code, f"{c.code} {c.label}")
            for c in Code.objects.filter(scheme=Scheme.CLOSURE_REASON).order_by("code")
        ]
        self.fields["closure_reason"].initial = "RC7"
        self.fields["lead_practitioner"].queryset = early_help_practitioners()  # type: ignore[attr-defined]


class StepUpForm(forms.Form):
    reason = _text("Why early help is not enough", message="Say why early help is not enough")


class CloseForm(forms.Form):
    closed_on = _date("Date of closure", initial=_today())
    reason_code = forms.ChoiceField(label="Reason for closure", choices=[])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason_code"].choices = [  # type: ignore[attr-defined]
            (c.code, f"{c.code} {c.label}")
            for c in Code.objects.filter(scheme=Scheme.CLOSURE_REASON).order_by("code")
        ]


class LookedAfterForm(forms.Form):
    started_on = _date("Date the child became looked after", initial=_today())
    reason = _text("Why the child is looked after", message="Give the reason")


class AllocateForm(forms.Form):
    social_worker = forms.ModelChoiceField(
        label="Social worker",
        queryset=User.objects.filter(role=Role.SOCIAL_WORKER, is_active=True),
        error_messages={"required": "Choose a social worker"},
    )
