"""Forms for the business unit's training pages and the practitioner's evaluation."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.accounts.models import Agency
from cumulus.training.models import Course

CONFIDENCE_CHOICES = [
    ("1", "1: not at all confident"),
    ("2", "2: a little confident"),
    ("3", "3: fairly confident"),
    ("4", "4: confident"),
    ("5", "5: very confident"),
]


class CourseForm(forms.Form):
    code = forms.SlugField(label="Course code (letters, numbers, underscores)", max_length=60)
    title = forms.CharField(label="Course title", max_length=200)
    description = forms.CharField(
        label="What the course covers", required=False, widget=forms.Textarea
    )


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(label="Course", queryset=Course.objects.none())
    held_on = forms.DateField(label="Date (YYYY-MM-DD)")
    places = forms.IntegerField(label="Places", min_value=1, max_value=500)
    venue = forms.CharField(label="Venue", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Course.objects.filter(is_active=True)


class BriefingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    summary = forms.CharField(label="The briefing", widget=forms.Textarea)
    agencies = forms.ModelMultipleChoiceField(
        label="Send to these agencies",
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one agency to send the briefing to."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Agency.objects.filter(is_active=True)


class EvaluationForm(forms.Form):
    before = forms.TypedChoiceField(
        label="Before the course, how confident were you working with neglect?",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    after = forms.TypedChoiceField(
        label="After the course, how confident are you?",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="What will you do differently? (optional)", required=False, widget=forms.Textarea
    )
