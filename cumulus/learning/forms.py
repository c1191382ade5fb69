"""Forms for reviews and recommendations; the services check what matters."""

from __future__ import annotations

from typing import Any

from django import forms

from cumulus.actionplan.models import ActionItem
from cumulus.learning.models import RecommendationStatus, ReviewKind
from cumulus.strategy.forms import GovukForm, govuk_widgets
from cumulus.strategy.models import Strategy, StrategyAim


class ReviewForm(GovukForm):
    kind = forms.ChoiceField(choices=ReviewKind.choices, label="Kind of review")
    title = forms.CharField(max_length=200, label="Title")
    published_on = forms.DateField(
        label="Published on", widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Summary of the learning"
    )
    features_neglect = forms.BooleanField(required=False, label="Neglect featured in the case")


class CrossReferenceForm(GovukForm):
    status = forms.ChoiceField(choices=RecommendationStatus.choices, label="Status")
    aims = forms.ModelMultipleChoiceField(
        queryset=StrategyAim.objects.none(),
        required=False,
        label="Strategic aims it is cross-referenced to",
    )
    action_items = forms.ModelMultipleChoiceField(
        queryset=ActionItem.objects.none(), required=False, label="Action plan items it drives"
    )

    def __init__(self, *args: Any, strategy: Strategy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["aims"].queryset = StrategyAim.objects.filter(  # type: ignore[attr-defined]
            strategy=strategy, withdrawn=False
        )
        self.fields["action_items"].queryset = ActionItem.objects.filter(  # type: ignore[attr-defined]
            strategy=strategy
        )
        govuk_widgets(self)


class RecommendationForm(CrossReferenceForm):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Recommendation")
    field_order = ["text", "status", "aims", "action_items"]
