"""The voice form: when, the child's words and how gathered, the parents' feedback."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.supervision.forms import DateInput
from cumulus.voice.models import GatheredBy, VoiceMoment


class VoiceForm(forms.Form):
    moment = forms.ChoiceField(
        label="When was this heard?",
        choices=VoiceMoment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the voice was heard"},
    )
    recorded_on = forms.DateField(
        label="Date",
        widget=DateInput,
        error_messages={"required": "Enter the date", "invalid": "Enter a real date"},
    )
    plan = forms.ChoiceField(label="Which plan is it for?", required=False)
    childs_words = forms.CharField(
        label="The child's own words (or what they drew or showed)",
        widget=forms.Textarea,
        required=False,
        max_length=10000,
    )
    gathered_by = forms.ChoiceField(
        label="How were the child's words gathered?",
        choices=GatheredBy.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    language = forms.CharField(label="Language (if an interpreter helped)", required=False)
    parents_feedback = forms.CharField(
        label="What the parents or carers said", widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, plans: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", "Not for a plan")] + [  # type: ignore[attr-defined]
            (str(p.pk), str(p)) for p in plans
        ]
