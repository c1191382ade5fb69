"""Thin view: a young person's education, employment or training status by month, and
recording one (for the council's services that work with them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from cumulus.audit.pages import child_page, refusals_shown_on, signed_in_user
from cumulus.core import clock
from cumulus.participation import selectors, services
from cumulus.participation.forms import ParticipationForm
from cumulus.participation.policies import can_record_participation
from cumulus.people.selectors import child_get


@login_required
@require_http_methods(["GET", "POST"])
def child_participation(request: HttpRequest, child_id: int) -> HttpResponse:
    user = signed_in_user(request)
    child = child_get(viewer=user, child_id=child_id)
    may_record = can_record_participation(user, child)
    if request.method == "POST" and not may_record:
        raise PermissionDenied("Only the council's services may record this status")
    form = ParticipationForm(request.POST or None, today=clock.today())
    if request.method == "POST" and form.is_valid():
        with refusals_shown_on(form):
            services.participation_record(
                actor=user,
                child=child,
                month=form.cleaned_data["month"],
                status=form.cleaned_data["status"],
            )
        if not form.errors:
            messages.success(request, "The status is recorded.")
            return redirect("participation:child", child_id=child.pk)
    return child_page(
        request,
        child,
        "participation/child_participation.html",
        page="participation",
        records=selectors.participation_list(child=child),
        form=form if may_record else None,
    )
