"""Forms for raising an escalation and recording a stage's outcome."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.escalation.models import StageOutcome


class EscalationRaiseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Which decision do you disagree with?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision you disagree with"},
    )
    decision_summary = forms.CharField(
        label="Describe the decision (needed for another decision)",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )
    disagreement = forms.CharField(
        label="Why do you disagree?",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Say why you disagree with the decision"},
    )
    desired_outcome = forms.CharField(
        label="What do you think should happen?",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
    )

    def __init__(self, *args: Any, contacts: Any = (), plans: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                f"contact:{c.pk}",
                f"Front door decision of {c.decided_at:%d %B %Y}: {c.get_outcome_display()}",
            )
            for c in contacts
        ]
        choices += [(f"plan:{p.pk}", f"A decision about the {p}") for p in plans]
        choices.append(("other", "Another decision"))
        self.fields["decision"].choices = choices  # type: ignore[attr-defined]


class StageOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome of this stage",
        choices=StageOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose resolved, escalated or withdrawn"},
    )
    note = forms.CharField(
        label="What was agreed, or why it moves on",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Record what was agreed or why it moves on"},
    )
    stage = forms.IntegerField(widget=forms.HiddenInput)
