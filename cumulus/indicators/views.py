"""Dashboard, one page per indicator, and the contributory-factors and hotspot overlay."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override

from cumulus.analytics.catalogue import CATALOGUE
from cumulus.analytics.engine import BREAKDOWNS
from cumulus.indicators import charts, selectors
from cumulus.indicators.policies import can_view_indicators


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
    return render(request, "indicators/dashboard.html", {"items": items})


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
