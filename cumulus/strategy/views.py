"""The strategy page: the loaded strategy's aims, principles and action plan template."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cumulus.strategy import selectors


@login_required
def strategy_detail(request: HttpRequest) -> HttpResponse:
    """Every signed-in practitioner may read the strategy: it is the partnership's public plan."""
    loaded = list(selectors.strategy_list())
    wanted = request.GET.get("strategy", "")
    strategy = next((s for s in loaded if s.slug == wanted), None) or selectors.strategy_active()
    aims = list(selectors.aim_list(strategy=strategy)) if strategy else []
    return render(
        request,
        "strategy/strategy_detail.html",
        {"strategy": strategy, "aims": aims, "loaded": loaded},
    )
