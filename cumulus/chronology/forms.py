"""Forms of the chronology pages: the filters and the impact on the child."""

from __future__ import annotations

from django import forms

from cumulus.chronology.selectors import ChronologyFilter


class ChronologyFilterForm(forms.Form):
    """Filters read from the query string; choices are what the child's chronology holds."""

    agency = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    event_type = forms.MultipleChoiceField(
        required=False, label="Event type", widget=forms.CheckboxSelectMultiple
    )
    neglect_type = forms.MultipleChoiceField(
        required=False, label="Neglect type", widget=forms.CheckboxSelectMultiple
    )
    significance = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    order = forms.ChoiceField(
        required=False,
        choices=[("newest", "Newest first"), ("oldest", "Oldest first")],
        widget=forms.RadioSelect,
    )
    scope = forms.ChoiceField(
        required=False,
        label="Whose events",
        choices=[("child", "This child"), ("household", "This child and the household")],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: object, choices: dict[str, list[tuple[str, str]]], **kw: object):
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.fields["agency"].choices = choices["agencies"]  # type: ignore[attr-defined]
        self.fields["event_type"].choices = choices["event_types"]  # type: ignore[attr-defined]
        self.fields["neglect_type"].choices = choices["neglect_types"]  # type: ignore[attr-defined]
        self.fields["significance"].choices = choices["significance"]  # type: ignore[attr-defined]

    def to_filter(self) -> ChronologyFilter:
        data = self.cleaned_data
        return ChronologyFilter(
            agency_ids=tuple(int(a) for a in data.get("agency") or ()),
            event_types=tuple(data.get("event_type") or ()),
            neglect_types=tuple(data.get("neglect_type") or ()),
            significance=tuple(data.get("significance") or ()),
            newest_first=data.get("order") != "oldest",
            household=data.get("scope") == "household",
        )


class ImpactForm(forms.Form):
    impact_on_child = forms.CharField(
        label="What was the impact on the child?",
        help_text="In plain words: what this meant for the child's day-to-day life and safety.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
