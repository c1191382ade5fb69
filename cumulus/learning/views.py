"""Thin views: reviews, a review with its recommendations, a recommendation's cross-references,
and the recommendation-by-aim matrix."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.audit.pages import signed_in_user
from cumulus.learning import selectors, services
from cumulus.learning.forms import CrossReferenceForm, RecommendationForm, ReviewForm
from cumulus.learning.policies import can_manage_learning, can_view_learning
from cumulus.strategy.pages import active_strategy_or_404, service_errors_on


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_view_learning(user):
        raise PermissionDenied
    strategy = active_strategy_or_404()
    return render(
        request,
        "learning/review_list.html",
        {
            "strategy": strategy,
            "reviews": selectors.review_list(strategy=strategy),
            "may_manage": can_manage_learning(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_manage_learning(user):
        raise PermissionDenied
    strategy = active_strategy_or_404()
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(actor=user, strategy=strategy, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_on(form, exc)
        else:
            return redirect("learning:review", learning_review_id=review.pk)
    return render(request, "learning/review_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, learning_review_id: int) -> HttpResponse:
    user = signed_in_user(request)
    review = selectors.review_get(viewer=user, review_id=learning_review_id)
    may_manage = can_manage_learning(user)
    form = RecommendationForm(request.POST or None, strategy=review.strategy)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.recommendation_add(actor=user, review=review, **form.cleaned_data)
            except ValidationError as exc:
                service_errors_on(form, exc)
            else:
                messages.success(request, "Recommendation added.")
                return redirect("learning:review", learning_review_id=review.pk)
    return render(
        request,
        "learning/review_detail.html",
        {
            "review": review,
            "recommendations": review.recommendations.prefetch_related("aims", "action_items"),
            "form": form,
            "may_manage": may_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_detail(request: HttpRequest, recommendation_id: int) -> HttpResponse:
    user = signed_in_user(request)
    rec = selectors.recommendation_get(viewer=user, recommendation_id=recommendation_id)
    may_manage = can_manage_learning(user)
    initial = {
        "status": rec.status,
        "aims": list(rec.aims.all()),
        "action_items": list(rec.action_items.all()),
    }
    form = CrossReferenceForm(request.POST or None, initial=initial, strategy=rec.review.strategy)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.recommendation_cross_reference(
                    actor=user, recommendation=rec, **form.cleaned_data
                )
            except ValidationError as exc:
                service_errors_on(form, exc)
            else:
                messages.success(request, "Cross-references saved.")
                return redirect("learning:review", learning_review_id=rec.review_id)
    return render(
        request,
        "learning/recommendation_detail.html",
        {"rec": rec, "form": form, "may_manage": may_manage},
    )


@login_required
def matrix(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not can_view_learning(user):
        raise PermissionDenied
    strategy = active_strategy_or_404()
    aims, rows = selectors.recommendation_matrix(strategy=strategy)
    return render(
        request, "learning/matrix.html", {"strategy": strategy, "aims": aims, "rows": rows}
    )
