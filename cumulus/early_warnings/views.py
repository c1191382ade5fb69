"""Thin views: the alert inbox, one alert with its evidence and response, a child's alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.chronology.selectors import restricted_contacts
from cumulus.early_warnings import selectors, services
from cumulus.early_warnings.forms import AlertResponseForm
from cumulus.people import selectors as people


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def alert_inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    alerts = list(selectors.alert_inbox(viewer=user)[:200])
    return render(request, "early_warnings/inbox.html", {"alerts": alerts})


@login_required
@require_http_methods(["GET", "POST"])
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = _user(request)
    alert = selectors.alert_get(viewer=user, alert_id=alert_id)
    form = AlertResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_respond(actor=user, alert=alert, **form.cleaned_data)
        except services.AlertResponseNotAllowedError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Response recorded.")
            return redirect("early_warnings:alert", alert_id=alert.pk)
    events = list(selectors.alert_trigger_events(viewer=user, alert=alert))
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=alert.child_id,
        detail={"alert": alert.pk},
    )
    return render(
        request,
        "early_warnings/alert.html",
        {
            "alert": alert,
            "child": alert.child,
            "events": events,
            "whom_to_ask": restricted_contacts(events=events),
            "responses": list(selectors.alert_responses(alert=alert)),
            "form": form,
        },
    )


@login_required
def child_alerts(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    alerts = list(selectors.alerts_for_child(viewer=user, child=child))
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"alerts": len(alerts)},
    )
    return render(request, "early_warnings/child.html", {"child": child, "alerts": alerts})
