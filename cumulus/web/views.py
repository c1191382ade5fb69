"""Thin views: parse the request, call a selector or service, log access, render."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_http_methods

from cumulus.accounts import reauth
from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.policies import can_review_access_patterns
from cumulus.audit.selectors import (
    UNUSUAL_CHILDREN_PER_HOUR,
    access_log_for_child,
    unusual_access,
    viewers_of_child,
)
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
from cumulus.chronology.models import ChronologyEvent
from cumulus.chronology.selectors import chronology_events, restricted_contacts
from cumulus.core import clock
from cumulus.inbox.selectors import inbox_list
from cumulus.inbox.services import notifications_mark_read
from cumulus.people import selectors as people
from cumulus.people import services as people_services
from cumulus.people.policies import (
    can_break_glass,
    can_manage_restriction,
    can_view_access_log,
)
from cumulus.sharing.selectors import basis_for_contact
from cumulus.sharing.services import sharing_basis_record
from cumulus.web.forms import (
    ChildSearchForm,
    ConcernForm,
    EmergencyAccessForm,
    FrontDoorDecisionForm,
)
from cumulus.web.pagination import CappedPaginator

CHRONOLOGY_PAGE_SIZE = 100
# Agency-wide home pages and the front door queue list thousands of rows in a county-sized
# partnership (load test, docs/benchmarks.md): show them a page at a time.
LIST_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if hasattr(user, "family_account"):  # a family member has their own pages
        return redirect("family:home")
    return render(
        request,
        "web/home.html",
        {
            "children": CappedPaginator(people.my_children(viewer=user), LIST_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "form": ChildSearchForm(),
        },
    )


@login_required
def child_search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ChildSearchForm(request.GET or None)
    results = None
    restricted: list[people.RestrictedMatch] = []
    if form.is_bound and form.is_valid():
        search = form.to_search()
        results = list(people.child_search(viewer=user, search=search))
        restricted = people.restricted_search_matches(viewer=user, search=search)
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.SEARCH,
            detail={
                **search.as_log_detail(),
                "results": len(results),
                "restricted": len(restricted),
            },
        )
    return render(
        request,
        "web/child_search.html",
        {"form": form, "results": results, "restricted": restricted},
    )


@login_required
def child_detail(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    page = Paginator(chronology_events(viewer=user, child=child), CHRONOLOGY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    emergency = people.break_glass_active_for(viewer=user, child=child)
    detail: dict[str, object] = {"chronology_page": page.number}
    if emergency is not None:
        detail["break_glass"] = emergency.pk
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail=detail,
    )
    return render(
        request,
        "web/child_detail.html",
        {
            "child": child,
            "households": people.child_households(child=child, viewer=user),
            "relationships": people.child_relationships(child=child),
            "involvements": people.child_involvements(child=child),
            "open_plans": open_plans(child=child),
            "past_plans": past_plans(child=child),
            "events": page,
            "whom_to_ask": restricted_contacts(events=list(page.object_list)),
            "can_view_access_log": can_view_access_log(user, child),
            "can_manage_restriction": can_manage_restriction(user, child),
            "restriction": people.child_restriction_in_force(child=child),
            "emergency_access": emergency,
        },
    )


@login_required
def child_access_log(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    if not can_view_access_log(user, child):
        raise Http404("No child found")
    # Log first, so the page counts and shows this look too (pagination counts lazily).
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_ACCESS_LOG,
        child_id=child.pk,
        detail={"page": request.GET.get("page", "1")[:10]},
    )
    since = clock.now() - dt.timedelta(days=365)
    entries = Paginator(access_log_for_child(child_id=child.pk, since=since), 100).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "web/child_access_log.html",
        {
            "child": child,
            "entries": entries,
            "viewers": viewers_of_child(child_id=child.pk, since=since),
        },
    )


@login_required
def unusual_access_list(request: HttpRequest) -> HttpResponse:
    """Users who opened many different children's records within an hour (last 30 days)."""
    user = _user(request)
    if not can_review_access_patterns(user):
        raise Http404("No such page")
    return render(
        request,
        "web/unusual_access.html",
        {"rows": unusual_access(), "threshold": UNUSUAL_CHILDREN_PER_HOUR},
    )


@login_required
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        sharing = {k: data.pop(k) for k in ("sharing_basis", "consent_from", "sharing_reason")}
        try:
            with transaction.atomic():
                contact = casework_services.concern_record(actor=user, child=child, **data)
                sharing_basis_record(
                    actor=user,
                    event=ChronologyEvent.objects.get(source_reference=f"contact:{contact.pk}"),
                    basis=sharing["sharing_basis"],
                    consent_from=sharing["consent_from"],
                    reason=sharing["sharing_reason"],
                )
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
        {
            "contacts": CappedPaginator(front_door_queue(viewer=user), LIST_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "today": clock.today(),
        },
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
        {
            "contact": contact,
            "form": form,
            "history": history,
            "earlier": earlier,
            "sharing_basis": basis_for_contact(contact_id=contact.pk),
        },
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


@login_required
@require_http_methods(["GET", "POST"])
def emergency_access(request: HttpRequest) -> HttpResponse:
    """Break the glass: a reasoned, logged, notified, time-limited look at one child's record."""
    user = _user(request)
    if not can_break_glass(user):
        raise Http404("No such page")
    form = EmergencyAccessForm(
        request.POST or None, user=user, reauthenticated=reauth.is_fresh(request)
    )
    valid = request.method == "POST" and form.is_valid()
    if form.reauthentication_failed:
        # A wrong password or code here may be someone else at an unlocked screen: logged.
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.DENIED,
            detail={"break_glass": "re-authentication failed"},
        )
    if valid:
        child = people.child_find_for_emergency(
            nhs_number=form.cleaned_data["nhs_number"],
            la_child_id=form.cleaned_data["la_child_id"],
        )
        if child is None:
            form.add_error("nhs_number", "No child has that NHS number or local authority id")
        else:
            try:
                with transaction.atomic():
                    grant = people_services.break_glass_open(
                        actor=user, child=child, reason=form.cleaned_data["reason"]
                    )
                    access_log_record(
                        actor=user,
                        request=request,
                        action=AccessAction.BREAK_GLASS,
                        child_id=child.pk,
                        detail={"reason": grant.reason, "expires_at": grant.expires_at.isoformat()},
                    )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                reauth.use_up(request)
                return redirect("web:child-detail", child_id=child.pk)
    return render(
        request,
        "web/emergency_access.html",
        {
            "form": form,
            "minutes": settings.CUMULUS_BREAK_GLASS_MINUTES,
            "reauthenticated": form.through_provider and reauth.is_fresh(request),
        },
    )


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The one "not found" page, for missing records and for records the user may not see.

    A signed-in user's refused or failed look-up is logged as ``denied`` (with the child's id
    when the URL names one), so an analyst can see someone probing records they have no
    involvement with; the page itself reveals nothing. A record restricted from someone with
    need to know of it (``RecordRestrictedError``) instead says so and whom to ask, and
    nothing else.
    """
    user = request.user
    if isinstance(exception, people.RecordRestrictedError) and isinstance(user, User):
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.DENIED,
            child_id=exception.child_id,
            detail={"status": 403, "restricted": exception.restriction.pk},
        )
        return render(request, "web/restricted.html", {"contact": exception.contact}, status=403)
    if isinstance(user, User) and user.is_authenticated:
        match = request.resolver_match
        child_id = match.kwargs.get("child_id") if match else None
        access_log_record(
            actor=user,
            request=request,
            action=AccessAction.DENIED,
            child_id=child_id if isinstance(child_id, int) else None,
            detail={"status": 404},
        )
    return render(request, "web/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A refusal looks exactly like a missing page, and is logged the same way."""
    return page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/500.html", status=500)
