"""Thin views: the catalogue, a child's referrals, updating one, and outcomes and gaps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.audit.pages import child_page, refusals_shown_on, signed_in_user
from cumulus.casework.selectors import open_plans
from cumulus.core import clock
from cumulus.interventions import selectors, services
from cumulus.interventions.forms import ReferForm, ReferralUpdateForm
from cumulus.interventions.models import InterventionReferral
from cumulus.interventions.policies import (
    can_refer_to_intervention,
    can_see_intervention_outcomes,
)
from cumulus.people.selectors import child_get


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request, "interventions/catalogue.html", {"interventions": selectors.catalogue_list()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_interventions(request: HttpRequest, child_id: int) -> HttpResponse:
    user = signed_in_user(request)
    child = child_get(viewer=user, child_id=child_id)
    plans = list(open_plans(child=child))
    interventions = list(selectors.catalogue_list())
    form = ReferForm(
        request.POST or None,
        plans=plans,
        interventions=interventions,
        initial={"referred_on": clock.today()},
    )
    if request.method == "POST":
        if not can_refer_to_intervention(user, child):
            raise Http404("No child found")
        if form.is_valid():
            data = form.cleaned_data
            with refusals_shown_on(form):
                services.intervention_referral_create(
                    actor=user,
                    plan=next(p for p in plans if str(p.pk) == data["plan"]),
                    intervention=next(
                        i for i in interventions if str(i.pk) == data["intervention"]
                    ),
                    referred_on=data["referred_on"],
                    measure=data["measure"],
                    score_before=data["score_before"],
                )
            if not form.errors:
                messages.success(request, "Referral recorded.")
                return redirect("interventions:child", child_id=child.pk)
    return child_page(
        request,
        child,
        "interventions/child_interventions.html",
        page="interventions",
        referrals=selectors.referrals_for_child(child=child),
        form=form if plans else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        referral = InterventionReferral.objects.select_related("intervention", "plan").get(
            pk=referral_id
        )
    except InterventionReferral.DoesNotExist:
        raise Http404("No referral found") from None
    child = child_get(viewer=user, child_id=referral.child_id)
    form = ReferralUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_shown_on(form):
            if data["started_on"] and referral.started_on is None:
                services.intervention_referral_start(
                    actor=user, referral_id=referral.pk, started_on=data["started_on"]
                )
            if data["ended_on"]:
                services.intervention_referral_end(
                    actor=user,
                    referral_id=referral.pk,
                    ended_on=data["ended_on"],
                    completion=data["completion"],
                    measure=data["measure"],
                    score_before=data["score_before"],
                    score_after=data["score_after"],
                    note=data["note"],
                )
        if not form.errors:
            messages.success(request, "Referral updated.")
            return redirect("interventions:child", child_id=child.pk)
    return child_page(
        request,
        child,
        "interventions/referral_detail.html",
        page="intervention-referral",
        detail={"referral": referral.pk},
        referral=referral,
        form=form if referral.is_open else None,
    )


@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_see_intervention_outcomes(user):
        raise Http404("No such page")
    gaps = selectors.provision_by_locality()
    return render(
        request,
        "interventions/outcomes.html",
        {
            "outcomes": selectors.outcomes_by_intervention(),
            "gaps": gaps,
            "no_provision": [g for g in gaps if g.has_no_provision],
        },
    )
