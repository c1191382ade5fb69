"""Forms for the action plan; the services do the checking that matters."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.accounts.models import Agency
from cumulus.actionplan.models import Rag
from cumulus.strategy.forms import GovukForm, govuk_widgets
from cumulus.strategy.models import Strategy, StrategyAim


class ActionItemForm(GovukForm):
    aim = forms.ModelChoiceField(queryset=StrategyAim.objects.none(), label="Strategic aim")
    objective = forms.ChoiceField(label="Action plan objective")
    activity = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Activity")
    lead_agency = forms.ModelChoiceField(queryset=Agency.objects.all(), label="Lead agency")
    lead_person = forms.CharField(max_length=200, label="Lead person")
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))
    rag = forms.ChoiceField(choices=Rag.choices, initial=Rag.AMBER, label="RAG status")
    evidence = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Evidence for the status"
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aim"].queryset = StrategyAim.objects.filter(  # type: ignore[attr-defined]
            strategy=strategy, withdrawn=False
        )
        self.fields["objective"].choices = [  # type: ignore[attr-defined]
            (o["key"], o["title"]) for o in strategy.action_plan_objectives
        ]
        govuk_widgets(self)


class ActionItemUpdateForm(GovukForm):
    rag = forms.ChoiceField(choices=Rag.choices, label="RAG status")
    evidence = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Evidence",
        help_text="Needed when the status changes or the item is complete.",
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Progress note"
    )
    complete = forms.BooleanField(required=False, label="The activity is complete")
