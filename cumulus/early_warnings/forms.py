from __future__ import annotations

from django import forms

from cumulus.early_warnings.models import ResponseKind


class AlertResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label="What have you decided?", choices=ResponseKind.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="What was done, or why no action is needed",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
