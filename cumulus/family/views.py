"""The family's pages, and the practitioners' page showing what the family said."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.casework.models import Plan
from cumulus.family import selectors, services
from cumulus.family.forms import FeedbackForm
from cumulus.family.models import FamilyAccount
from cumulus.family.policies import family_account_of
from cumulus.people.models import Child
from cumulus.people.selectors import child_get


def _account(request: HttpRequest) -> FamilyAccount:
    user = request.user
    assert isinstance(user, User)
    account = family_account_of(user)
    if account is None:
        raise Http404("Not found")
    return account


@login_required
def home(request: HttpRequest) -> HttpResponse:
    account = _account(request)
    plans = list(selectors.family_plan_list(account=account))
    return render(
        request,
        "family/home.html",
        {
            "account": account,
            "plans": plans,
            "children": selectors.family_children_names(account=account),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, plan_id: int) -> HttpResponse:
    account = _account(request)
    try:
        view = selectors.family_plan_get(account=account, plan_id=plan_id)
    except Plan.DoesNotExist:
        raise Http404("Not found") from None
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.family_feedback_record(account=account, plan_id=plan_id, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Thank you. The people helping you will read this.")
            return redirect("family:plan", plan_id=plan_id)
    return render(
        request,
        "family/plan.html",
        {
            "view": view,
            "form": form,
            "said": selectors.family_feedback_list(account=account, plan_id=plan_id)[:10],
        },
    )


@login_required
def plan_feedback(request: HttpRequest, plan_id: int) -> HttpResponse:
    """For practitioners who may see the child: what the family said about the plan."""
    user = request.user
    assert isinstance(user, User)
    try:
        found = Plan.objects.select_related("child").get(pk=plan_id)
    except Plan.DoesNotExist:
        raise Http404("No plan found") from None
    child: Child = child_get(viewer=user, child_id=found.child_id)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"family_feedback": found.pk},
    )
    return render(
        request,
        "family/plan_feedback.html",
        {"plan": found, "child": child, "said": selectors.plan_feedback_list(plan=found)},
    )
