"""Produce a governance report and download its PDF and XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.audit.pages import signed_in_user
from cumulus.core import clock
from cumulus.governance import selectors, services
from cumulus.governance.forms import ReportForm
from cumulus.governance.policies import can_produce_governance_report
from cumulus.strategy.selectors import strategy_active


def _default_quarter() -> str:
    """The last complete quarter."""
    today = clock.today()
    q = (today.month - 1) // 3
    return f"{today.year - 1}Q4" if q == 0 else f"{today.year}Q{q}"


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_produce_governance_report(user):
        raise PermissionDenied
    form = ReportForm(
        request.POST or None,
        initial={"quarter": _default_quarter(), "strategy": strategy_active()},
    )
    if request.method == "POST" and form.is_valid():
        report = services.governance_report_produce(
            actor=user,
            strategy=form.cleaned_data["strategy"],
            quarter=form.cleaned_data["quarter"],
        )
        return redirect("governance:report", report_id=report.pk)
    return render(
        request,
        "governance/reports.html",
        {"form": form, "reports": selectors.report_list()[:20]},
    )


@login_required
def report_detail(request: HttpRequest, report_id: int) -> HttpResponse:
    report = selectors.report_get(viewer=signed_in_user(request), report_id=report_id)
    return render(request, "governance/report_detail.html", {"report": report})


def _download(request: HttpRequest, report_id: int, kind: str) -> FileResponse:
    report = selectors.report_get(viewer=signed_in_user(request), report_id=report_id)
    name = report.pdf_name if kind == "pdf" else report.xlsx_name
    path = services.report_dir(report) / name
    if not name or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> FileResponse:
    return _download(request, report_id, "pdf")


@login_required
def report_xlsx(request: HttpRequest, report_id: int) -> FileResponse:
    return _download(request, report_id, "xlsx")
