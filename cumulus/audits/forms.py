"""Forms for creating a round and assigning its auditors (grading forms are generated from
the audit instrument by ``cumulus.instruments.forms``)."""

from __future__ import annotations

from django import forms

from cumulus.audits.services import PLAN_TYPE_CHOICES, STRATA_CHOICES

PLAN_LABELS = {
    "early_help": "Early help plan",
    "child_in_need": "Child in need plan",
    "child_protection": "Child protection plan",
}
STRATUM_LABELS = {"plan_type": "Plan type", "age_band": "Age band", "agency": "Lead agency"}


class RoundForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    held_on = forms.DateField(label="Audit date (YYYY-MM-DD)")
    plan_types = forms.MultipleChoiceField(
        label="Children on a neglect plan of these types",
        choices=[(p, PLAN_LABELS[p]) for p in PLAN_TYPE_CHOICES],
        widget=forms.CheckboxSelectMultiple,
    )
    lookback_days = forms.IntegerField(
        label="Plan open at any time in this many days before the audit date",
        min_value=1,
        max_value=1100,
        initial=183,
    )
    sample_size = forms.IntegerField(label="Cases to audit", min_value=1, max_value=500)
    strata = forms.MultipleChoiceField(
        label="Stratify the sample by (optional)",
        choices=[(s, STRATUM_LABELS[s]) for s in STRATA_CHOICES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minimum_per_stratum = forms.IntegerField(
        label="Minimum cases per stratum", min_value=0, max_value=50, initial=1
    )
    seed = forms.IntegerField(
        label="Seed (the same seed draws the same sample)", min_value=0, max_value=2**62
    )


class AssignForm(forms.Form):
    usernames = forms.CharField(
        label="Auditors' usernames, one per line (from at least two agencies)",
        widget=forms.Textarea,
    )
    per_case = forms.IntegerField(label="Auditors per case", min_value=1, max_value=5, initial=2)
