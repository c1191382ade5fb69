from __future__ import annotations

from typing import Any

from django import forms

from cumulus.governance.sections import QuarterFormatError, ReportPeriod
from cumulus.strategy.forms import GovukForm, govuk_widgets
from cumulus.strategy.models import Strategy


class ReportForm(GovukForm):
    quarter = forms.CharField(
        max_length=6, label="Quarter", help_text="The year and quarter, for example 2026Q3."
    )
    strategy = forms.ModelChoiceField(queryset=Strategy.objects.all(), label="Strategy")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        govuk_widgets(self)

    def clean_quarter(self) -> str:
        value = self.cleaned_data["quarter"].strip().upper()
        try:
            ReportPeriod.quarter(value)
        except QuarterFormatError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value
