"""Forms: refer a plan to an intervention; record its start and its end."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.interventions.models import Completion
from cumulus.supervision.forms import DateInput


class ReferForm(forms.Form):
    plan = forms.ChoiceField(label="From which plan?")
    intervention = forms.ChoiceField(label="Intervention")
    referred_on = forms.DateField(
        label="Date referred",
        widget=DateInput,
        error_messages={"required": "Enter the date referred", "invalid": "Enter a real date"},
    )
    measure = forms.CharField(label="Measure of change (if scored)", required=False)
    score_before = forms.DecimalField(
        label="Score before", required=False, max_digits=8, decimal_places=2
    )

    def __init__(self, *args: Any, plans: Any = (), interventions: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [(str(p.pk), str(p)) for p in plans]  # type: ignore[attr-defined]
        self.fields["intervention"].choices = [  # type: ignore[attr-defined]
            (str(i.pk), i.name) for i in interventions
        ]


class ReferralUpdateForm(forms.Form):
    started_on = forms.DateField(
        label="Date started",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Enter a real date"},
    )
    ended_on = forms.DateField(
        label="Date ended",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Enter a real date"},
    )
    completion = forms.ChoiceField(
        label="How did it end?",
        choices=Completion.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    measure = forms.CharField(label="Measure of change", required=False)
    score_before = forms.DecimalField(
        label="Score before", required=False, max_digits=8, decimal_places=2
    )
    score_after = forms.DecimalField(
        label="Score after", required=False, max_digits=8, decimal_places=2
    )
    note = forms.CharField(label="Note", widget=forms.Textarea, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("ended_on") and not data.get("completion"):
            self.add_error("completion", "Choose completed, dropped out or declined")
        if data.get("completion") and not data.get("ended_on"):
            self.add_error("ended_on", "Enter the date it ended")
        if not any(data.get(f) for f in ("started_on", "ended_on")):
            raise forms.ValidationError("Enter the date it started, or the date it ended")
        return data
