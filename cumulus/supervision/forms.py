"""The supervision form: what kind, when, who, what was discussed and decided, and actions."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.supervision.models import SupervisionKind
from cumulus.supervision.services import ActionInput

ACTION_SLOTS = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        return value.isoformat() if hasattr(value, "isoformat") else value


class SupervisionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of discussion",
        choices=SupervisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of supervision"},
    )
    held_on = forms.DateField(
        label="Date held",
        widget=DateInput,
        error_messages={"required": "Enter the date it was held", "invalid": "Enter a real date"},
    )
    agencies = forms.MultipleChoiceField(
        label="Other agencies present", required=False, widget=forms.CheckboxSelectMultiple
    )
    attendees = forms.CharField(
        label="Who took part (names and roles)",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Say who took part"},
    )
    discussion = forms.CharField(
        label="What was discussed and reflected on",
        widget=forms.Textarea,
        max_length=10000,
        error_messages={"required": "Record the discussion"},
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Record the decisions"},
    )

    def __init__(self, *args: Any, agencies: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(a.pk), a.name) for a in agencies]  # type: ignore[attr-defined]
        for n in range(1, ACTION_SLOTS + 1):
            self.fields[f"action_{n}"] = forms.CharField(
                label=f"Action {n}: what", required=False, max_length=1000
            )
            self.fields[f"owner_{n}"] = forms.CharField(
                label=f"Action {n}: who", required=False, max_length=200
            )
            self.fields[f"due_{n}"] = forms.DateField(
                label=f"Action {n}: by when",
                required=False,
                widget=DateInput,
                error_messages={"invalid": "Enter a real date"},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, ACTION_SLOTS + 1):
            given = [data.get(f"action_{n}"), data.get(f"owner_{n}"), data.get(f"due_{n}")]
            if any(given) and not all(given):
                self.add_error(f"action_{n}", f"Action {n} needs what, who and by when")
        return data

    def actions(self) -> list[ActionInput]:
        data = self.cleaned_data
        return [
            ActionInput(
                action=data[f"action_{n}"], owner=data[f"owner_{n}"], due_on=data[f"due_{n}"]
            )
            for n in range(1, ACTION_SLOTS + 1)
            if data.get(f"action_{n}")
        ]

    def action_rows(self) -> list[list[Any]]:
        return [
            [self[f"action_{n}"], self[f"owner_{n}"], self[f"due_{n}"]]
            for n in range(1, ACTION_SLOTS + 1)
        ]
