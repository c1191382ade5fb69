"""Thin views: the business unit's rounds (create, sample, assign, moderate, close), the
auditor's grading page and the results with their comparison across rounds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.accounts.models import User
from cumulus.audit.pages import signed_in_user
from cumulus.audits import policies, selectors, services
from cumulus.audits.forms import AssignForm, RoundForm
from cumulus.audits.instrument import criteria
from cumulus.audits.models import AuditAction, AuditRound, RoundStatus
from cumulus.core.errors import CumulusError
from cumulus.instruments.engine.definition import items_by_id
from cumulus.instruments.forms import answer_text, build_sections, raw_from_post


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "audits/home.html",
        {
            "can_run": policies.can_run_audits(user),
            "can_see_results": policies.can_see_audit_results(user),
            "rounds": AuditRound.objects.all()
            if policies.can_see_audit_results(user)
            else AuditRound.objects.none(),
            "assignments": selectors.assignments_of(viewer=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not policies.can_run_audits(user):
        raise Http404("No page found")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit_round = services.round_create(actor=user, **form.cleaned_data)
        except CumulusError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Audit round created. Check the population, then draw.")
            return redirect("audits:round", round_id=audit_round.pk)
    return render(request, "audits/round_new.html", {"form": form})


def _round_post(
    request: HttpRequest, user: User, audit_round: AuditRound, form: AssignForm
) -> bool:
    what = request.POST.get("do")
    try:
        if what == "draw":
            sample = services.sample_draw(actor=user, audit_round=audit_round)
            messages.success(request, f"Sample drawn: {len(sample.keys)} cases.")
        elif what == "assign":
            if not form.is_valid():
                return False
            names = [n.strip() for n in form.cleaned_data["usernames"].split() if n.strip()]
            found = {u.username: u for u in User.objects.filter(username__in=names)}
            missing = [n for n in names if n not in found]
            if missing:
                form.add_error("usernames", f"No account with the username {missing[0]!r}.")
                return False
            made = services.auditors_assign(
                actor=user,
                audit_round=audit_round,
                auditors=[found[n] for n in names],
                per_case=form.cleaned_data["per_case"],
            )
            messages.success(request, f"{made} assignments made.")
        elif what == "close":
            services.round_close(actor=user, audit_round=audit_round)
            messages.success(request, "Round closed.")
        elif what == "complete_action":
            action = AuditAction.objects.get(
                pk=int(request.POST.get("action_id", "0")), case__audit_round=audit_round
            )
            services.action_complete(actor=user, action=action)
            messages.success(request, "Action marked complete.")
        else:
            raise Http404("No such step")
    except (AuditAction.DoesNotExist, ValueError):
        raise Http404("No such action") from None
    except CumulusError as exc:
        messages.error(request, str(exc))
    return True


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    user = signed_in_user(request)
    audit_round = selectors.round_get(viewer=user, round_id=round_id)
    form = AssignForm(request.POST if request.POST.get("do") == "assign" else None)
    if request.method == "POST" and _round_post(request, user, audit_round, form):
        return redirect("audits:round", round_id=audit_round.pk)
    population = (
        selectors.population(audit_round=audit_round, viewer=user)
        if audit_round.status == RoundStatus.PLANNING
        else None
    )
    cases = audit_round.cases.prefetch_related("assignments__auditor").select_related("moderated")
    return render(
        request,
        "audits/round.html",
        {
            "round": audit_round,
            "population": population,
            "cases": cases,
            "form": form,
            "actions": AuditAction.objects.filter(case__audit_round=audit_round).select_related(
                "agency"
            ),
        },
    )


def _grades_table(case: Any) -> list[dict[str, Any]]:
    definition = case.audit_round.definition
    items = items_by_id(definition)
    subs = [a for a in case.assignments.select_related("auditor") if a.submitted_at]
    rows = []
    for _, title, item_id in criteria(definition):
        values = [a.responses.get(item_id) for a in subs]
        rows.append(
            {
                "title": title,
                "grades": [answer_text(definition, items[item_id], v) for v in values],
                "differ": len({v for v in values if v is not None}) > 1,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def grade(request: HttpRequest, assignment_id: int) -> HttpResponse:
    user = signed_in_user(request)
    assignment = selectors.assignment_get(viewer=user, assignment_id=assignment_id)
    case = assignment.case
    record = selectors.case_record(
        viewer=user, request=request, case=case, reason="audit_assignment"
    )
    definition = case.audit_round.definition
    errors: dict[str, str] = {}
    raw: dict[str, Any] | None = None
    if request.method == "POST":
        raw = raw_from_post(definition, request.POST)
        try:
            services.grading_submit(
                actor=user,
                assignment=assignment,
                raw=raw,
                actions=request.POST.get("actions", "").splitlines(),
            )
        except services.GradingIncompleteError as exc:
            errors = exc.errors
        except CumulusError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Your grades are submitted.")
            return redirect("audits:home")
    sections = build_sections(definition, assignment.responses, age_band="", errors=errors, raw=raw)
    return render(
        request,
        "audits/grade.html",
        {
            "assignment": assignment,
            "case": case,
            "record": record,
            "sections": sections,
            "errors": errors,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderate(request: HttpRequest, case_id: int) -> HttpResponse:
    user = signed_in_user(request)
    case = selectors.case_get_for_moderation(viewer=user, case_id=case_id)
    record = selectors.case_record(
        viewer=user, request=request, case=case, reason="audit_moderation"
    )
    definition = case.audit_round.definition
    errors: dict[str, str] = {}
    raw: dict[str, Any] | None = None
    note = ""
    if request.method == "POST":
        raw = raw_from_post(definition, request.POST)
        note = request.POST.get("note", "")
        try:
            services.moderation_record(actor=user, case=case, raw=raw, note=note)
        except services.GradingIncompleteError as exc:
            errors = exc.errors
        except CumulusError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Final grades agreed.")
            return redirect("audits:round", round_id=case.audit_round_id)
    moderated = getattr(case, "moderated", None)
    start = moderated.responses if moderated else _consensus(case)
    sections = build_sections(definition, start, age_band="", errors=errors, raw=raw)
    grade_sections = [
        {"section": s["section"], "fields": [f for f in s["fields"] if f["type"] != "text"]}
        for s in sections
    ]
    return render(
        request,
        "audits/moderate.html",
        {
            "case": case,
            "record": record,
            "table": _grades_table(case),
            "auditors": [a for a in case.assignments.select_related("auditor") if a.submitted_at],
            "sections": grade_sections,
            "errors": errors,
            "note": note,
            "moderated": moderated,
        },
    )


def _consensus(case: Any) -> dict[str, Any]:
    """Answers the auditors agree on, to start moderation from."""
    subs = [a.responses for a in case.assignments.all() if a.submitted_at]
    if not subs:
        return {}
    return {k: v for k, v in subs[0].items() if all(s.get(k) == v for s in subs[1:])}


@login_required
def round_results(request: HttpRequest, round_id: int) -> HttpResponse:
    user = signed_in_user(request)
    audit_round = selectors.round_results_get(viewer=user, round_id=round_id)
    labels = selectors.labels_for(audit_round)
    grades = sorted(labels, reverse=True)
    distribution = selectors.grade_distribution(audit_round)
    previous = selectors.previous_round(audit_round)
    before = {x.criterion: x for x in selectors.grade_distribution(previous)} if previous else {}
    rows = [
        {
            "title": x.title,
            "counts": [x.counts.get(g, 0) for g in grades],
            "total": x.total,
            "share": x.share_good_or_better(),
            "previous": before[x.criterion].share_good_or_better()
            if x.criterion in before
            else None,
        }
        for x in distribution
    ]
    voice, moderated = selectors.voice_evident_share(audit_round)
    history = selectors.longitudinal(audit_round.theme)
    return render(
        request,
        "audits/results.html",
        {
            "round": audit_round,
            "grades": [labels[g] for g in grades],
            "rows": rows,
            "previous": previous,
            "voice": voice,
            "moderated": moderated,
            "longitudinal": history,
            "longitudinal_rows": [
                {"title": title, "cells": history.shares[c]} for c, title in history.criteria
            ],
        },
    )
