"""Thin views: a child's voice records, recording one, and the counts for managers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cumulus.audit.pages import child_page, refusals_shown_on, signed_in_user
from cumulus.casework.selectors import open_plans, past_plans
from cumulus.core import clock
from cumulus.people.selectors import child_get
from cumulus.voice import selectors, services
from cumulus.voice.forms import VoiceForm
from cumulus.voice.policies import can_see_voice_summary


@login_required
def child_voice(request: HttpRequest, child_id: int) -> HttpResponse:
    child = child_get(viewer=signed_in_user(request), child_id=child_id)
    return child_page(
        request,
        child,
        "voice/child_voice.html",
        page="voice",
        records=selectors.voice_for_child(child=child),
    )


@login_required
@require_http_methods(["GET", "POST"])
def voice_new(request: HttpRequest, child_id: int) -> HttpResponse:
    user = signed_in_user(request)
    child = child_get(viewer=user, child_id=child_id)
    plans = [*open_plans(child=child), *past_plans(child=child)]
    form = VoiceForm(request.POST or None, plans=plans, initial={"recorded_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with refusals_shown_on(form):
            services.voice_record(
                actor=user,
                child=child,
                moment=data["moment"],
                recorded_on=data["recorded_on"],
                childs_words=data["childs_words"],
                gathered_by=data["gathered_by"],
                language=data["language"],
                parents_feedback=data["parents_feedback"],
                plan=next((p for p in plans if str(p.pk) == data["plan"]), None),
            )
        if not form.errors:
            messages.success(request, "The child's and family's voice is recorded.")
            return redirect("voice:child", child_id=child.pk)
    return child_page(request, child, "voice/voice_new.html", page="voice-new", form=form)


@login_required
def voice_summary(request: HttpRequest) -> HttpResponse:
    """Share of plans and reviews with the child's voice, over the last 12 months."""
    user = signed_in_user(request)
    if not can_see_voice_summary(user):
        raise Http404("No such page")
    end = clock.today()
    counts = selectors.voice_counts(viewer=user, start=end - dt.timedelta(days=365), end=end)
    return render(request, "voice/voice_summary.html", {"counts": counts})
