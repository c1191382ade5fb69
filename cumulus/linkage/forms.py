"""Forms for the review queue and undo."""

from __future__ import annotations

from django import forms

from cumulus.linkage.models import ReviewStatus


class ReviewDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Are these the same child?",
        choices=[
            (ReviewStatus.MATCH.value, "Match: the same child"),
            (ReviewStatus.NOT_MATCH.value, "Not a match: different children"),
            (ReviewStatus.UNSURE.value, "Unsure: leave it for someone else"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose match, not a match or unsure"},
    )
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Give the reason for the decision"},
    )


class UndoForm(forms.Form):
    reason = forms.CharField(
        label="Why undo this decision?",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Give the reason for the undo"},
    )
