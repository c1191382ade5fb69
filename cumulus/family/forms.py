from __future__ import annotations

from django import forms

from cumulus.family.models import Feeling


class FeedbackForm(forms.Form):
    feeling = forms.ChoiceField(
        label="How are things going?",
        choices=Feeling.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how things are going"},
    )
    text = forms.CharField(
        label="Anything you want to tell the people helping you (optional)",
        widget=forms.Textarea,
        required=False,
        max_length=3000,
    )
