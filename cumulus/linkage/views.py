"""Pages for the linkage analyst: the review queue, one pair, the model, a record's history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.linkage import policies, selectors, services
from cumulus.linkage.charts import match_weights_svg
from cumulus.linkage.forms import ReviewDecisionForm, UndoForm
from cumulus.linkage.models import LinkDecision, ReviewItem, ReviewStatus, SourceRecord
from cumulus.people.selectors import child_restriction_check


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _require_reviewer(user: User) -> None:
    if not policies.can_review_pairs(user):
        raise PermissionDenied("Only linkage analysts may use the linkage pages")


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_reviewer(user)
    items = list(selectors.review_queue(viewer=user)[:200])
    return render(request, "linkage/review_queue.html", {"items": items})


@login_required
@require_http_methods(["GET", "POST"])
def review_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _user(request)
    _require_reviewer(user)
    try:
        item = selectors.review_item_get(viewer=user, pk=item_id)
    except ReviewItem.DoesNotExist:
        raise Http404("No such pair") from None
    child_restriction_check(viewer=user, child_id=item.candidate_id)
    form = ReviewDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decide(
                actor=user,
                item=item,
                outcome=ReviewStatus(form.cleaned_data["outcome"]),
                reason=form.cleaned_data["reason"],
            )
        except services.LinkageError as exc:
            form.add_error(None, str(exc))
        else:
            item.refresh_from_db()
            messages.success(request, f"Decision recorded: {item.get_status_display()}.")
            return redirect("linkage:review-queue")
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=item.candidate_id,
        detail={"linkage_review_item": item.pk, "source_record": item.record_id},
    )
    evidence = sorted(item.evidence, key=lambda e: -(e.get("match_weight") or 0))
    return render(
        request,
        "linkage/review_item.html",
        {
            "item": item,
            "form": form,
            "record": item.record,
            "child": item.candidate,
            "postcode": selectors.child_postcode(item.candidate_id),
            "for_match": [e for e in evidence if (e.get("match_weight") or 0) > 0],
            "against_match": [e for e in evidence if (e.get("match_weight") or 0) < 0],
            "neutral": [e for e in evidence if not e.get("match_weight")],
        },
    )


@login_required
def model_detail(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_reviewer(user)
    model = selectors.active_model()
    chart = ""
    summary = None
    if model is not None:
        summary = selectors.model_summary(model)
        chart = match_weights_svg(
            summary.comparisons, title=f"Match weights of linkage model version {model.version}"
        )
    return render(
        request,
        "linkage/model_detail.html",
        {"model": model, "summary": summary, "chart": mark_safe(chart)},  # noqa: S308 - escaped
    )


@login_required
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    user = _user(request)
    _require_reviewer(user)
    try:
        record = SourceRecord.objects.select_related("child__person").get(pk=record_id)
    except SourceRecord.DoesNotExist:
        raise Http404("No such record") from None
    if record.child_id is not None:
        child_restriction_check(viewer=user, child_id=record.child_id)
    history = selectors.record_history(record)
    access_log_record(
        actor=user,
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=record.child_id,
        detail={"source_record": record.pk},
    )
    latest = history[-1] if history else None
    return render(
        request,
        "linkage/record_detail.html",
        {
            "record": record,
            "history": history,
            "latest": latest,
            "can_undo": latest is not None and policies.can_manage_linkage(user),
            "undo_form": UndoForm(),
        },
    )


@login_required
@require_POST
def decision_undo(request: HttpRequest, decision_id: int) -> HttpResponse:
    user = _user(request)
    _require_reviewer(user)
    try:
        decision = LinkDecision.objects.get(pk=decision_id)
    except LinkDecision.DoesNotExist:
        raise Http404("No such decision") from None
    form = UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for the undo.")
    else:
        try:
            services.decision_undo(
                actor=user, decision=decision, reason=form.cleaned_data["reason"]
            )
        except services.LinkageError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Decision undone. Both histories are kept.")
    return redirect("linkage:record-detail", record_id=decision.record_id)
