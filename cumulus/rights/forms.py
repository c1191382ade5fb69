"""Forms for the records team's pages: which child, who asked, what they asked for."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.core.identifiers import IdentifierError, validate_nhs_number
from cumulus.people import selectors as people
from cumulus.rights.models import RecordRequestKind, RecordRequestStatus


class _ChildByIdentifierForm(forms.Form):
    """Which child: NHS number or the local authority's child id (never by browsing)."""

    nhs_number = forms.CharField(required=False, max_length=20, label="NHS number")
    la_child_id = forms.CharField(
        required=False, max_length=40, label="Or the local authority's child id"
    )

    def clean_nhs_number(self) -> str:
        raw: str = self.cleaned_data.get("nhs_number", "")
        if not raw.strip():
            return ""
        try:
            return validate_nhs_number(raw)
        except IdentifierError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "nhs_number" in self.errors or "la_child_id" in self.errors:
            return data
        if not data.get("nhs_number") and not data.get("la_child_id"):
            self.add_error("nhs_number", "Enter the child's NHS number or local authority id")
            return data
        child = people.child_find_for_emergency(
            nhs_number=data.get("nhs_number", ""), la_child_id=data.get("la_child_id", "")
        )
        if child is None:
            self.add_error("nhs_number", "No child has that NHS number or local authority id")
        data["child"] = child
        return data


class SubjectAccessForm(_ChildByIdentifierForm):
    requester = forms.CharField(
        label="Who made the request",
        help_text="For example: the young person; their mother, who has parental responsibility.",
        max_length=200,
    )
    received_on = forms.DateField(
        label="Date received (YYYY-MM-DD)", help_text="The month to answer runs from this date."
    )


class RecordRequestForm(_ChildByIdentifierForm):
    kind = forms.ChoiceField(
        label="What is asked for", choices=RecordRequestKind.choices, widget=forms.RadioSelect
    )
    requester = forms.CharField(label="Who made the request", max_length=200)
    what = forms.CharField(
        label="Which part of the record, and what the person says",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class RecordRequestUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in RecordRequestStatus.choices if c[0] != RecordRequestStatus.OPEN]
        + [(RecordRequestStatus.OPEN, "Still open: record a step")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="What was done, or why it was refused",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class EraseForm(forms.Form):
    reason = forms.CharField(
        label="Why the record is being erased",
        help_text="For example: retention review found no reason to keep it longer.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
