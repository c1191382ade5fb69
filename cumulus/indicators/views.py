"""Dashboard, one page per indicator, the contributory-factors and hotspot overlay, and the
business unit's booklet commentary."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import BREAKDOWNS
from cumulus.core import clock
from cumulus.indicators import charts, selectors, services
from cumulus.indicators.policies import can_edit_commentary, can_view_indicators


def _check(request: HttpRequest) -> None:
    if not can_view_indicators(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _check(request)
    latest: dict[str, dict[str, Any]] = {}
    for row in selectors.result_list():
        latest[row["indicator"]] = row  # rows are oldest first: the last one wins
    items = [(ind, latest.get(ind.id)) for ind in CATALOGUE.values()]
    context = {"items": items, "can_edit_commentary": can_edit_commentary(request.user)}  # type: ignore[arg-type]
    return render(request, "indicators/dashboard.html", context)


# Vega compiles a chart's expressions with the Function constructor, so the chart page alone
# allows 'unsafe-eval' (and inline styles); it still allows no inline script. It shows
# aggregate, suppressed figures.
CHART_CSP: dict[str, list[str]] = {
    **{key: list(value) for key, value in settings.SECURE_CSP.items()},  # type: ignore[call-overload]
    "script-src": [CSP.SELF, CSP.UNSAFE_EVAL],
    # vega-embed's tooltip adds a <style> element; styles cannot run script.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
}


@csp_override(CHART_CSP)
@login_required
def indicator_detail(request: HttpRequest, indicator_id: str) -> HttpResponse:
    _check(request)
    ind = CATALOGUE.get(indicator_id)
    if ind is None:
        raise Http404
    choices = ["all", *ind.breakdowns, *([ind.extra] if ind.extra else [])]
    breakdown = request.GET.get("breakdown", "all")
    if breakdown not in choices:
        breakdown = "all"
    rows = selectors.result_list(indicator=ind.id, breakdown=breakdown)
    benchmarks = selectors.benchmark_list(indicator=ind.id)
    context = {
        "ind": ind,
        "rows": rows,
        "breakdown": breakdown,
        "choices": [
            (
                c,
                BREAKDOWNS.get(c, c.replace("_", " ").capitalize())
                if c != "all"
                else "All children",
            )
            for c in choices
        ],
        "benchmarks": benchmarks,
        "spec": charts.trend_spec(ind, rows, benchmarks),
    }
    return render(request, "indicators/indicator_detail.html", context)


@login_required
def overlay(request: HttpRequest) -> HttpResponse:
    _check(request)

    def latest(indicator: str, breakdown: str) -> list[dict[str, Any]]:
        rows = selectors.result_list(indicator=indicator, breakdown=breakdown)
        last = max((r["period_end"] for r in rows), default=None)
        return [r for r in rows if r["period_end"] == last]

    early_help = {r["group"]: r for r in latest("early_help_assessments_neglect", "locality")}
    need = {r["group"]: r for r in latest("referrals_neglect_share", "locality")}
    hotspots = [
        {"locality": loc, "early_help": early_help.get(loc), "need": need.get(loc)}
        for loc in sorted(set(early_help) | set(need))
    ]
    context = {
        "by_factor": latest("neglect_cp_contributory_factors", "household_factor"),
        "by_decile": latest("children_on_cp_plan_neglect", "deprivation_decile"),
        "hotspots": hotspots,
    }
    return render(request, "indicators/overlay.html", context)


def _parse_month(value: str) -> dt.date | None:
    """``YYYY-MM`` as the first day of that month, or None if it is not one."""
    if not re.fullmatch(r"\d{4}-\d{2}", value):
        return None
    try:
        month = dt.date.fromisoformat(f"{value}-01")
    except ValueError:
        return None
    return month if 2000 <= month.year <= 2100 else None


def _check_commentary(request: HttpRequest) -> None:
    if not can_edit_commentary(request.user):  # type: ignore[arg-type]
        raise PermissionDenied


@login_required
def commentary_month(request: HttpRequest) -> HttpResponse:
    """Every indicator with its commentary for one month of the booklet."""
    _check_commentary(request)
    default = clock.today().replace(day=1)
    asked = request.GET.get("month", "")
    month = _parse_month(asked) if asked else default
    error = "" if month else f"{asked!r} is not a month: write it as YYYY-MM, e.g. 2026-10."
    month = month or default
    written = selectors.commentary_month_list(month=month)
    context = {
        "month": month,
        "month_value": month.strftime("%Y-%m"),
        "error": error,
        "items": [(ind, written.get(ind.id)) for ind in CATALOGUE.values()],
    }
    return render(request, "indicators/commentary_month.html", context)


@login_required
def commentary_edit(request: HttpRequest, indicator_id: str, month: str) -> HttpResponse:
    """Write or change one indicator's commentary for one month; every saved text is kept."""
    _check_commentary(request)
    ind = CATALOGUE.get(indicator_id)
    first = _parse_month(month)
    if ind is None or first is None:
        raise Http404
    error, text = "", None
    if request.method == "POST":
        text = request.POST.get("text", "")
        based_on_raw = request.POST.get("based_on", "")
        try:
            services.commentary_save(
                actor=request.user,  # type: ignore[arg-type]
                indicator=ind.id,
                month=first,
                text=text,
                based_on=int(based_on_raw) if based_on_raw.isdigit() else None,
            )
        except services.CommentaryInvalidError as exc:
            error = str(exc)
        else:
            return redirect("indicators:commentary-edit", indicator_id=ind.id, month=month)
    commentary, revisions = selectors.commentary_detail(indicator=ind.id, month=first)
    context = {
        "ind": ind,
        "month": first,
        "month_value": month,
        "commentary": commentary,
        "revisions": revisions,
        "text": text if text is not None else (commentary.text if commentary else ""),
        "based_on": revisions[0].id if revisions else 0,
        "error": error,
    }
    return render(request, "indicators/commentary_edit.html", context, status=400 if error else 200)
