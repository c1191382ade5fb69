"""The participation form: which month, and what the young person is doing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from cumulus.participation.models import ActivityStatus

MONTHS_OFFERED = 24


def recent_months(today: dt.date, count: int = MONTHS_OFFERED) -> list[dt.date]:
    """The first of this month and of the ``count - 1`` months before it, newest first."""
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months


class ParticipationForm(forms.Form):
    month = forms.ChoiceField(
        label="Month", error_messages={"required": "Choose the month the status is for"}
    )
    status = forms.ChoiceField(
        label="What is the young person doing?",
        choices=ActivityStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the young person is doing"},
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [  # type: ignore[attr-defined]
            (m.isoformat(), f"{m:%B %Y}") for m in recent_months(today)
        ]

    def clean_month(self) -> dt.date:
        return dt.date.fromisoformat(self.cleaned_data["month"])
