"""Thin views: the practitioner's training page (book, cancel, evaluate, briefings) and the
business unit's pages (courses and sessions, attendance, briefings, uptake and evaluation)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.accounts.models import User
from cumulus.audit.pages import signed_in_user
from cumulus.core import clock
from cumulus.core.errors import CumulusError
from cumulus.training import policies, selectors, services
from cumulus.training.forms import BriefingForm, CourseForm, EvaluationForm, SessionForm


def _require_manager(user: User) -> None:
    if not policies.can_manage_training(user):
        raise Http404("No page found")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    mine = list(selectors.bookings_of(viewer=user))
    live = {b.session_id for b in mine if b.is_live}
    return render(
        request,
        "training/home.html",
        {
            "sessions": selectors.sessions_upcoming(),
            "booked_session_ids": live,
            "bookings": mine,
            "briefings": selectors.briefings_for(viewer=user)[:20],
            "read_ids": selectors.briefings_read_by(viewer=user),
            "can_manage": policies.can_manage_training(user),
            "can_see_figures": policies.can_see_training_figures(user),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def book(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        session_id = int(request.POST.get("session", ""))
    except ValueError:
        raise Http404("No session found") from None
    if not selectors.sessions_with_counts().filter(pk=session_id).exists():
        raise Http404("No session found")
    try:
        services.booking_create(actor=user, session_id=session_id)
    except CumulusError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Your place is booked.")
    return redirect("training:home")


@login_required
@require_POST
def cancel(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = signed_in_user(request)
    booking = selectors.booking_get(viewer=user, booking_id=booking_id)
    try:
        services.booking_cancel(actor=user, booking=booking)
    except CumulusError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The booking is cancelled and the place is free again.")
    if policies.can_manage_training(user) and booking.practitioner_id != user.pk:
        return redirect("training:session", session_id=booking.session_id)
    return redirect("training:home")


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, booking_id: int) -> HttpResponse:
    user = signed_in_user(request)
    booking = selectors.booking_get(viewer=user, booking_id=booking_id)
    if booking.practitioner_id != user.pk:
        raise Http404("No booking found")
    form = EvaluationForm(
        request.POST or None,
        initial={"before": booking.confidence_before, "after": booking.confidence_after},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(
                actor=user,
                booking=booking,
                before=form.cleaned_data["before"],
                after=form.cleaned_data["after"],
                comment=form.cleaned_data["comment"],
            )
        except CumulusError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Thank you: your evaluation is saved.")
            return redirect("training:home")
    return render(request, "training/evaluate.html", {"form": form, "booking": booking})


@login_required
@require_http_methods(["GET", "POST"])
def briefing_detail(request: HttpRequest, briefing_id: int) -> HttpResponse:
    user = signed_in_user(request)
    briefing = selectors.briefing_get(viewer=user, briefing_id=briefing_id)
    if request.method == "POST":
        services.briefing_mark_read(actor=user, briefing=briefing)
        messages.success(request, f"Marked “{briefing.title}” as read.")
        return redirect("training:home")
    return render(
        request,
        "training/briefing.html",
        {"briefing": briefing, "read": briefing.pk in selectors.briefings_read_by(viewer=user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require_manager(user)
    which = request.POST.get("form") if request.method == "POST" else None
    course_form = CourseForm(request.POST if which == "course" else None, prefix="course")
    session_form = SessionForm(request.POST if which == "session" else None, prefix="session")
    if which == "course" and course_form.is_valid():
        try:
            course = services.course_create(actor=user, **course_form.cleaned_data)
        except CumulusError as exc:
            course_form.add_error(None, str(exc))
        else:
            messages.success(request, f"Course “{course.title}” added.")
            return redirect("training:manage")
    if which == "session" and session_form.is_valid():
        try:
            session = services.session_create(actor=user, **session_form.cleaned_data)
        except CumulusError as exc:
            session_form.add_error(None, str(exc))
        else:
            messages.success(request, f"Session added: {session}.")
            return redirect("training:session", session_id=session.pk)
    return render(
        request,
        "training/manage.html",
        {
            "course_form": course_form,
            "session_form": session_form,
            "courses": selectors.course_list(),
            "sessions": selectors.sessions_with_counts().order_by("-held_on", "-id")[:50],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    session = selectors.session_get_managed(viewer=user, session_id=session_id)
    error = ""
    if request.method == "POST":
        try:
            ids = [int(v) for v in request.POST.getlist("attended")]
            services.attendance_record(actor=user, session=session, attended_booking_ids=ids)
        except ValueError:
            error = "Attendance could not be read: choose from the people booked."
        except CumulusError as exc:
            error = str(exc)
        else:
            messages.success(request, "Attendance saved.")
            return redirect("training:session", session_id=session.pk)
    bookings = session.bookings.select_related("practitioner", "agency").order_by(
        "cancelled_at", "practitioner__last_name", "id"
    )
    return render(
        request,
        "training/session.html",
        {"session": session, "bookings": bookings, "error": error},
    )


@login_required
@require_http_methods(["GET", "POST"])
def briefings_manage(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    _require_manager(user)
    form = BriefingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.briefing_publish(actor=user, **form.cleaned_data)
        except CumulusError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Briefing sent.")
            return redirect("training:briefings")
    today = clock.today()
    return render(
        request,
        "training/briefings.html",
        {
            "form": form,
            "rows": selectors.briefing_reads(start=dt.date(2000, 1, 1), end=today),
        },
    )


def _month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


@login_required
def uptake(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not policies.can_see_training_figures(user):
        raise Http404("No page found")
    today = clock.today()
    start, end = _month_back(today, 11), today
    rows = selectors.uptake_by_agency(start=start, end=end)
    months = [_month_back(today, n) for n in range(11, -1, -1)]
    agencies = sorted({r.agency for r in rows})
    cell = {(r.agency, r.month): r.attended for r in rows}
    table = [
        {
            "agency": a,
            "counts": [cell.get((a, m), 0) for m in months],
            "total": sum(cell.get((a, m), 0) for m in months),
        }
        for a in agencies
    ]
    return render(
        request,
        "training/uptake.html",
        {
            "months": months,
            "table": table,
            "filled": selectors.places_filled(start=start, end=end),
            "evaluations": selectors.evaluation_summary(start=start, end=end),
            "start": start,
            "end": end,
        },
    )
