"""Thin views: the whole plan and its overdue list (business unit), each agency's own plan,
an item with its history and the form to update it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import Agency
from cumulus.actionplan import selectors, services
from cumulus.actionplan.forms import ActionItemForm, ActionItemUpdateForm
from cumulus.actionplan.policies import (
    can_manage_action_plan,
    can_update_action_item,
    can_view_action_plan,
)
from cumulus.audit.pages import signed_in_user
from cumulus.core import clock
from cumulus.strategy.pages import active_strategy_or_404, service_errors_on


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_view_action_plan(user):
        raise PermissionDenied
    if not can_manage_action_plan(user):
        return redirect("actionplan:agency")
    strategy = active_strategy_or_404()
    items = selectors.action_item_list(viewer=user, strategy=strategy)
    return render(
        request,
        "actionplan/plan.html",
        {
            "strategy": strategy,
            "items": items,
            "overdue_count": selectors.overdue_list(viewer=user, strategy=strategy).count(),
            "agencies": Agency.objects.filter(action_items__strategy=strategy).distinct(),
            "today": clock.today(),
        },
    )


@login_required
def overdue(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_manage_action_plan(user):
        raise PermissionDenied
    strategy = active_strategy_or_404()
    return render(
        request,
        "actionplan/overdue.html",
        {
            "strategy": strategy,
            "items": selectors.overdue_list(viewer=user, strategy=strategy),
            "today": clock.today(),
        },
    )


@login_required
def agency(request: HttpRequest) -> HttpResponse:
    """An agency's own plan under the template's objectives: the lead's own agency, or any
    agency for the business unit (``?agency=ID``)."""
    user = signed_in_user(request)
    if not can_view_action_plan(user):
        raise PermissionDenied
    strategy = active_strategy_or_404()
    agency_id: int = user.agency_id or 0
    if can_manage_action_plan(user) and request.GET.get("agency", "").isdigit():
        agency_id = int(request.GET["agency"])
    chosen = Agency.objects.filter(pk=agency_id).first()
    if chosen is None:
        raise Http404
    return render(
        request,
        "actionplan/agency_plan.html",
        {
            "strategy": strategy,
            "agency": chosen,
            "groups": selectors.agency_plan(viewer=user, strategy=strategy, agency_id=chosen.pk),
            "today": clock.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_manage_action_plan(user):
        raise PermissionDenied
    strategy = active_strategy_or_404()
    form = ActionItemForm(request.POST or None, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.action_item_create(actor=user, strategy=strategy, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            messages.success(request, "Action plan item added.")
            return redirect("actionplan:item", action_item_id=item.pk)
    return render(request, "actionplan/item_new.html", {"form": form, "strategy": strategy})


@login_required
@require_http_methods(["GET", "POST"])
def item_detail(request: HttpRequest, action_item_id: int) -> HttpResponse:
    user = signed_in_user(request)
    item = selectors.action_item_get(viewer=user, action_item_id=action_item_id)
    may_update = can_update_action_item(user, item)
    form = ActionItemUpdateForm(request.POST or None, initial={"rag": item.rag})
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.action_item_update(actor=user, item=item, **form.cleaned_data)
            except (ValidationError, services.ActionItemClosedError) as exc:
                if isinstance(exc, ValidationError):
                    service_errors_on(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, "Update recorded.")
                return redirect("actionplan:item", action_item_id=item.pk)
    return render(
        request,
        "actionplan/item_detail.html",
        {
            "item": item,
            "updates": item.updates.select_related("recorded_by"),
            "form": form,
            "may_update": may_update and item.status == "open",
            "is_overdue": selectors.is_overdue(item),
        },
    )
