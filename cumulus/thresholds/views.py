"""Continuum of Need page: the suggestion, why, and the practitioner's decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.people import selectors as people
from cumulus.thresholds import selectors, services


class DecisionForm(forms.Form):
    decided_level = forms.TypedChoiceField(label="The level you decide", coerce=int)
    reason = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


@login_required
@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, child_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    child = people.child_get(viewer=user, child_id=child_id)
    continuum = selectors.continuum_get()
    suggestion, _ = selectors.suggestion_for_child(child=child, continuum=continuum)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"decided_level": suggestion.level},
    )
    level_field = form.fields["decided_level"]
    assert isinstance(level_field, forms.ChoiceField)
    level_field.choices = [
        (lv["level"], f"Level {lv['level']}: {lv['name']}") for lv in continuum.levels
    ]
    if request.method == "POST" and form.is_valid():
        try:
            services.threshold_decision_record(
                actor=user, child=child, continuum=continuum, **form.cleaned_data
            )
        except services.ThresholdDecisionError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, "Decision recorded with the suggestion.")
            return redirect("thresholds:decide", child_id=child.pk)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"page": "continuum-of-need"},
    )
    return render(
        request,
        "thresholds/decide.html",
        {
            "child": child,
            "continuum": continuum,
            "suggestion": suggestion,
            "form": form,
            "decisions": selectors.threshold_decisions_for_child(child=child)[:20],
        },
    )
