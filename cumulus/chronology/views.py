"""Thin views of the chronology: the filtered chronology with its timeline, the impact
chronology (Cumbria) and its CSV and PDF exports. Every page and export is access-logged."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.casework.selectors import open_plans, past_plans
from cumulus.chronology import selectors, services
from cumulus.chronology.forms import ChronologyFilterForm, ImpactForm
from cumulus.chronology.models import ChronologyEvent
from cumulus.chronology.timeline import Band, month_table, month_table_html, timeline_svg
from cumulus.core import clock
from cumulus.core.spreadsheet import neutralise_row
from cumulus.people import selectors as people
from cumulus.people.models import Child

PAGE_SIZE = 100


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _bands(child: Child) -> list[Band]:
    plans = [*past_plans(child=child), *open_plans(child=child)]
    return [
        Band(p.get_plan_type_display(), p.started_on, p.ended_on, p.plan_type)
        for p in sorted(plans, key=lambda p: p.started_on)
    ]


def _page_of(events: QuerySet[ChronologyEvent], event_id: str | None, filters: object) -> int:
    """The page holding ``event_id`` (a link from an alert), or the first page."""
    if not event_id or not event_id.isdigit():
        return 1
    target = events.filter(pk=int(event_id)).values("occurred_at", "id").first()
    if target is None:
        return 1
    newest_first = getattr(filters, "newest_first", True)
    at, pk = target["occurred_at"], target["id"]
    before = (
        Q(occurred_at__gt=at) | Q(occurred_at=at, id__gt=pk)
        if newest_first
        else Q(occurred_at__lt=at) | Q(occurred_at=at, id__lt=pk)
    )
    return events.filter(before).count() // PAGE_SIZE + 1


@login_required
def chronology_page(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    form = ChronologyFilterForm(
        request.GET or None, choices=selectors.chronology_filter_choices(child=child)
    )
    filters = (
        form.to_filter() if form.is_bound and form.is_valid() else selectors.ChronologyFilter()
    )
    if form.is_bound and not form.is_valid():
        events = selectors.chronology_events(viewer=user, child=child).none()
    else:
        events = selectors.chronology_events(viewer=user, child=child, filters=filters)
    page_number = request.GET.get("page") or _page_of(events, request.GET.get("event"), filters)
    page = Paginator(events, PAGE_SIZE).get_page(page_number)
    rows = list(page.object_list)
    counts = [
        (c.month, c.agency, c.count)
        for c in selectors.chronology_month_counts(viewer=user, child=child, filters=filters)
    ]
    series, table = month_table(counts)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("event", None)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"chronology_page": page.number, **filters.as_log_detail()},
    )
    return render(
        request,
        "chronology/chronology.html",
        {
            "child": child,
            "form": form,
            "page": page,
            "rows": rows,
            "whom_to_ask": selectors.restricted_contacts(events=rows),
            "chart": mark_safe(  # noqa: S308 - every interpolated text is escaped in timeline_svg
                timeline_svg(
                    counts=counts,
                    bands=_bands(child),
                    title=f"Events per month by agency for {child.full_name}",
                    today=clock.today(),
                )
            ),
            "series": series,
            "table": table,
            "table_html": mark_safe(month_table_html(series, table)),  # noqa: S308 - escaped there
            "query": query.urlencode(),
            "filters": filters,
        },
    )


@login_required
def impact_page(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    page = Paginator(selectors.impact_chronology(viewer=user, child=child), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"impact_chronology_page": page.number},
    )
    return render(
        request,
        "chronology/impact.html",
        {
            "child": child,
            "rows": rows,
            "page": page,
            "whom_to_ask": selectors.restricted_contacts(events=rows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def impact_edit(request: HttpRequest, child_id: int, event_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    try:
        event = selectors.chronology_event_get(viewer=user, child=child, event_id=event_id)
    except ChronologyEvent.DoesNotExist:
        raise Http404("No event found") from None
    form = ImpactForm(request.POST or None, initial={"impact_on_child": event.impact_on_child})
    if request.method == "POST" and form.is_valid():
        try:
            services.chronology_impact_record(
                actor=user, event=event, impact_on_child=form.cleaned_data["impact_on_child"]
            )
        except (ValidationError, services.ImpactNotAllowedError) as exc:
            form.add_error(None, "; ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, "Impact on the child recorded.")
            return redirect("chronology:impact", child_id=child.pk)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child.pk,
        detail={"event": event.pk},
    )
    return render(
        request, "chronology/impact_edit.html", {"child": child, "event": event, "form": form}
    )


EXPORT_COLUMNS = (
    "Date",
    "Agency",
    "Event",
    "Significance",
    "What happened",
    "Impact on the child",
    "Lawful basis for sharing",
)


def _basis_text(event: ChronologyEvent) -> str:
    """The event's recorded lawful basis as one line, or blank (the event was not shared)."""
    try:
        return event.sharing_basis.as_text()
    except ObjectDoesNotExist:
        return ""


def _export_rows(rows: list[ChronologyEvent], whom: dict[int, str]) -> list[list[str]]:
    out = []
    for e in rows:
        if getattr(e, "visible_in_full", True):
            out.append(
                [
                    f"{e.occurred_at:%Y-%m-%d}",
                    e.agency.name,
                    e.event_type.label,
                    e.get_significance_display(),
                    e.summary,
                    e.impact_on_child,
                    _basis_text(e),
                ]
            )
        else:
            out.append(
                [
                    f"{e.occurred_at:%Y-%m-%d}",
                    e.agency.name,
                    "Restricted event",
                    "",
                    f"A restricted event exists. Ask: {whom.get(e.pk, '')}",
                    "",
                    "",
                ]
            )
    return out


@login_required
def impact_export(request: HttpRequest, child_id: int, fmt: str) -> HttpResponse:
    """The impact chronology as CSV or PDF, for a conference or a court bundle."""
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    rows = list(selectors.impact_chronology(viewer=user, child=child))
    table = _export_rows(rows, selectors.restricted_contacts(events=rows))
    stem = f"impact-chronology-{child.pk}-{clock.today():%Y%m%d}"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows(neutralise_row(row) for row in table)  # free text: no formulas
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "pdf":
        from weasyprint import HTML  # imported here: WeasyPrint is slow to import

        html = render_to_string(
            "chronology/impact_pdf.html",
            {
                "child": child,
                "columns": EXPORT_COLUMNS,
                "table": table,
                "user": user,
                "generated_at": clock.now(),
            },
        )
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    else:
        raise Http404("No such export format")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.EXPORT,
        child_id=child.pk,
        detail={"export": "impact_chronology", "format": fmt, "events": len(table)},
    )
    return response
