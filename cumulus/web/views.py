"""Thin views: parse the request, call a selector or service, log access, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.selectors import access_log_for_child
from cumulus.audit.services import access_log_record
from cumulus.casework import services as casework_services
from cumulus.casework.models import Contact
from cumulus.casework.selectors import (
    contact_get,
    contacts_for_child,
    front_door_queue,
    open_plans,
    past_plans,
)
from cumulus.chronology.selectors import chronology_events, restricted_contacts
from cumulus.core import clock
from cumulus.inbox.selectors import inbox_list
from cumulus.inbox.services import notifications_mark_read
from cumulus.people import selectors as people
from cumulus.people.policies import can_view_access_log
from cumulus.web.forms import ChildSearchForm, ConcernForm, FrontDoorDecisionForm

CHRONOLOGY_PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "web/home.html",
        {"children": people.my_children(viewer=user), "form": ChildSearchForm()},
    )


@login_required
def child_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChildSearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        search = form.to_search()
        results = list(people.child_search(viewer=user, search=search))
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.SEARCH,
            detail={**search.as_log_detail(), "results": len(results)},
        )
    return render(request, "web/child_search.html", {"form": form, "results": results})


@login_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    page = Paginator(chronology_events(viewer=user, child=child), CHRONOLOGY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"chronology_page": page.number},
    )
    return render(
        request,
        "web/child_detail.html",
        {
            "child": child,
            "households": people.child_households(child=child),
            "relationships": people.child_relationships(child=child),
            "involvements": people.child_involvements(child=child),
            "open_plans": open_plans(child=child),
            "past_plans": past_plans(child=child),
            "events": page,
            "whom_to_ask": restricted_contacts(events=list(page.object_list)),
            "can_view_access_log": can_view_access_log(user, child),
        },
    )


@login_required
def child_access_log(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    if not can_view_access_log(user, child):
        raise Http404("No child found")
    access_log_record(
        actor=user, request=request, action=AccessAction.VIEW_ACCESS_LOG, child_id=child.pk
    )
    return render(
        request,
        "web/child_access_log.html",
        {"child": child, "entries": access_log_for_child(child_id=child.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casework_services.concern_record(actor=user, child=child, **form.cleaned_data)
        except casework_services.NotAllowedError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, "Concern sent to the front door. You will be told the decision."
            )
            return redirect("web:child-detail", child_id=child.pk)
    return render(request, "web/concern_new.html", {"child": child, "form": form})


@login_required
def front_door(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "web/front_door.html",
        {"contacts": front_door_queue(viewer=user), "today": clock.today()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def front_door_decision(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = _user(request)
    try:
        contact = contact_get(viewer=user, contact_id=contact_id)
    except Contact.DoesNotExist:
        raise Http404("No contact found") from None
    form = FrontDoorDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casework_services.front_door_decide(
                actor=user, contact_id=contact.pk, **form.cleaned_data
            )
        except (
            casework_services.NotAllowedError,
            casework_services.ContactAlreadyDecidedError,
        ) as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Decision recorded. The referrer has been told.")
            return redirect("web:front-door")
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=contact.child_id,
        detail={"contact": contact.pk},
    )
    history = chronology_events(viewer=user, child=contact.child)[:50]
    earlier = contacts_for_child(child=contact.child).exclude(pk=contact.pk)
    return render(
        request,
        "web/front_door_decision.html",
        {"contact": contact, "form": form, "history": history, "earlier": earlier},
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    notifications = list(inbox_list(recipient=user)[:100])
    notifications_mark_read(recipient=user)
    return render(request, "web/inbox.html", {"notifications": notifications})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to GOV.UK's."""
    return redirect(static("govuk/assets/images/favicon.ico"), permanent=True)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "web/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)
