"""Thin views for instruments: parse, call a selector or service, log access, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.core.errors import CumulusError
from cumulus.instruments import policies, selectors, services
from cumulus.instruments.catalogue import instrument_get, registry
from cumulus.instruments.engine.definition import age_band_for, applicable_sections
from cumulus.instruments.engine.genogram import GenogramLink, GenogramPerson, genogram_svg
from cumulus.instruments.forms import (
    CorrectionForm,
    PhotoForm,
    StartForm,
    TrainingForm,
    answer_text,
    build_sections,
    raw_from_post,
)
from cumulus.instruments.models import AssessmentPhoto, InstrumentAssessment
from cumulus.instruments.photos import PhotoRejectedError
from cumulus.people import selectors as people
from cumulus.people import services as people_services
from cumulus.people.models import Relationship, RelationshipType


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _log(request: HttpRequest, child_id: int, **detail: Any) -> None:
    access_log_record(
        actor=_user(request),
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child_id,
        detail=detail,
    )


@login_required
def child_instruments(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    _log(request, child.pk, page="instruments")
    found = selectors.assessments_for_child(viewer=user, child=child)
    compared = sorted({a.instrument_id for a in found["current"]})
    return render(
        request,
        "instruments/child_instruments.html",
        {
            "child": child,
            "instruments": selectors.instrument_list(viewer=user),
            "current": found["current"],
            "drafts": found["drafts"],
            "compared": [(i, instrument_get(i)) for i in compared],
            "pack_problems": registry().pack_problems,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, child_id: int, instrument_id: str) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    instrument = instrument_get(instrument_id)
    if instrument is None:
        raise Http404("No instrument found")
    bands = [(b["id"], b["label"]) for b in instrument.definition.get("age_bands", [])]
    suggested = age_band_for(instrument.definition, child.age_on()) or ""
    form = StartForm(
        request.POST if request.method == "POST" else None,
        bands=bands,
        initial={"age_band": suggested},
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                actor=user,
                child=child,
                instrument_id=instrument_id,
                age_band=form.cleaned_data.get("age_band") or "",
            )
        except CumulusError as exc:
            error = str(exc)
        else:
            return redirect("instruments:assessment", assessment_id=assessment.pk)
    _log(request, child.pk, page="instrument-start", instrument=instrument_id)
    return render(
        request,
        "instruments/start.html",
        {
            "child": child,
            "instrument": instrument,
            "form": form,
            "error": error,
            "allowed": policies.can_use_instrument(user, instrument.definition),
        },
    )


def _photos_by_item(assessment: InstrumentAssessment) -> dict[str, list[AssessmentPhoto]]:
    out: dict[str, list[AssessmentPhoto]] = {}
    for photo in assessment.photos.all():
        out.setdefault(photo.item_id, []).append(photo)
    return out


@login_required
@require_http_methods(["GET", "POST"])
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = selectors.assessment_get(viewer=user, assessment_id=assessment_id)
    editable = policies.can_edit_assessment(user, assessment)
    errors: dict[str, str] = {}
    raw: dict[str, Any] | None = None
    if request.method == "POST":
        if not editable:
            raise Http404("No draft found")
        action = request.POST.get("action", "save")
        raw = raw_from_post(assessment.definition, request.POST)
        if action == "autosave":
            errors = services.assessment_save_draft(
                actor=user, assessment_id=assessment.pk, raw=raw, autosave=True
            )
            return JsonResponse({"saved": True, "problems": len(errors)})
        if action == "sign_off":
            try:
                services.assessment_sign_off(actor=user, assessment_id=assessment.pk, raw=raw)
            except services.AssessmentIncompleteError as exc:
                errors = exc.errors
                services.assessment_save_draft(actor=user, assessment_id=assessment.pk, raw=raw)
            else:
                messages.success(request, "Assessment signed off.")
                return redirect("instruments:assessment", assessment_id=assessment.pk)
        else:
            errors = services.assessment_save_draft(
                actor=user, assessment_id=assessment.pk, raw=raw
            )
            if not errors:
                messages.success(request, "Draft saved.")
                return redirect("instruments:assessment", assessment_id=assessment.pk)
        assessment.refresh_from_db()
    _log(request, assessment.child_id, assessment=assessment.pk)
    photos = _photos_by_item(assessment)
    context: dict[str, Any] = {
        "assessment": assessment,
        "child": assessment.child,
        "photos": photos,
        "errors": errors,
        "band_label": next(
            (
                b["label"]
                for b in assessment.definition.get("age_bands", [])
                if b["id"] == assessment.age_band
            ),
            "",
        ),
    }
    if editable:
        sections = build_sections(
            assessment.definition,
            assessment.responses,
            age_band=assessment.age_band,
            errors=errors,
            raw=raw,
        )
        for section in sections:
            for field in section["fields"]:
                field["photos"] = photos.get(field["item"]["id"], [])
        context["sections"] = sections
        context["photo_fields"] = [f for s in sections for f in s["fields"] if f["type"] == "photo"]
        context["error_list"] = [
            (f["id"], f["label"], f["error"]) for s in sections for f in s["fields"] if f["error"]
        ]
        return render(request, "instruments/assessment_form.html", context)
    answers = []
    for section in applicable_sections(assessment.definition, age_band=assessment.age_band):
        rows = [
            {
                "item": item,
                "text": answer_text(
                    assessment.definition, item, assessment.responses.get(item["id"])
                ),
                "photos": photos.get(item["id"], []),
            }
            for item in section["items"]
        ]
        answers.append({"section": section, "rows": rows})
    context.update(
        {
            "answers": answers,
            "can_countersign": policies.can_countersign_assessment(user, assessment),
            "can_correct": policies.can_correct_assessment(user, assessment)
            and not InstrumentAssessment.objects.filter(corrects=assessment).exists(),
            "history": selectors.assessment_history(assessment=assessment),
        }
    )
    return render(request, "instruments/assessment_detail.html", context)


@login_required
@require_POST
def assessment_countersign(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = selectors.assessment_get(viewer=user, assessment_id=assessment_id)
    try:
        services.assessment_countersign(actor=user, assessment_id=assessment.pk)
    except services.InstrumentNotAllowedError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Assessment countersigned.")
    return redirect("instruments:assessment", assessment_id=assessment.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_correct(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = selectors.assessment_get(viewer=user, assessment_id=assessment_id)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            correction = services.assessment_correct(
                actor=user, assessment_id=assessment.pk, reason=form.cleaned_data["reason"]
            )
        except services.InstrumentNotAllowedError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Version {correction.version} started as a draft.")
            return redirect("instruments:assessment", assessment_id=correction.pk)
    _log(request, assessment.child_id, assessment=assessment.pk, page="correct")
    return render(request, "instruments/correct.html", {"assessment": assessment, "form": form})


@login_required
@require_POST
def photo_upload(request: HttpRequest, assessment_id: int) -> HttpResponse:
    user = _user(request)
    assessment = selectors.assessment_get(viewer=user, assessment_id=assessment_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a photograph to upload.")
    else:
        upload = form.cleaned_data["photo"]
        limit = settings.CUMULUS_PHOTO_MAX_BYTES
        data = upload.read(limit + 1)
        try:
            services.photo_add(
                actor=user,
                assessment_id=assessment.pk,
                item_id=form.cleaned_data["item_id"],
                data=data,
                caption=form.cleaned_data["caption"],
            )
        except (PhotoRejectedError, services.InstrumentNotAllowedError) as exc:
            messages.error(request, f"Photograph not added: {exc}.")
        except services.AssessmentLockedError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Photograph added. Location and camera details removed.")
    return redirect(
        reverse("instruments:assessment", kwargs={"assessment_id": assessment.pk}) + "#photos"
    )


@login_required
def photo_view(request: HttpRequest, photo_id: int) -> FileResponse:
    user = _user(request)
    try:
        photo = AssessmentPhoto.objects.select_related("assessment__child").get(pk=photo_id)
    except AssessmentPhoto.DoesNotExist:
        raise Http404("No photograph found") from None
    if not policies.can_view_assessment(user, photo.assessment):
        raise Http404("No photograph found")
    _log(request, photo.assessment.child_id, photo=photo.pk, assessment=photo.assessment_id)
    path = services.photo_dir() / photo.stored_name
    if not path.is_file():
        raise Http404("No photograph found")
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    return response


@login_required
def comparison(request: HttpRequest, child_id: int, instrument_id: str) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    view = selectors.instrument_comparison(viewer=user, child=child, instrument_id=instrument_id)
    if view is None:
        raise Http404("No assessments to compare")
    _log(request, child.pk, page="comparison", instrument=instrument_id)
    return render(
        request,
        "instruments/comparison.html",
        {"child": child, "view": view, "svg": mark_safe(view.svg)},  # noqa: S308 - escaped in engine
    )


def _genogram(child_id: int, child_name: str) -> tuple[str, list[Relationship]]:
    from cumulus.people.models import Child

    child = Child.objects.select_related("person").get(pk=child_id)
    relationships = people.child_relationships(child=child)
    # Widen to the relationships among the people around the child (e.g. parents' partnership).
    around = (
        {child.pk} | {r.person_id for r in relationships} | {r.relative_id for r in relationships}
    )
    relationships = list(
        Relationship.objects.filter(person_id__in=around, relative_id__in=around).select_related(
            "person", "relative"
        )
    )
    people_by_id = {child.pk: child.person}
    for r in relationships:
        people_by_id[r.person_id] = r.person
        people_by_id[r.relative_id] = r.relative
    households = people.child_households(child=child)
    household: set[int] = set()
    if households and households[0].membership.ended_on is None:
        household = {child.pk} | {m.person_id for m in households[0].members if m.ended_on is None}
    nodes = [
        GenogramPerson(
            id=p.pk,
            name=p.full_name,
            sex=p.sex,
            born=p.date_of_birth.year if p.date_of_birth else None,
            deceased=p.is_deceased,
            died=p.date_of_death.year if p.date_of_death else None,
            href=reverse("instruments:genogram", kwargs={"child_id": child_id}) + f"#person-{p.pk}",
        )
        for p in people_by_id.values()
    ]
    links = [
        GenogramLink(
            person=r.person_id,
            relative=r.relative_id,
            kind=r.relationship_type,
            ended=bool(r.ended_on),
            since=r.started_on.year if r.started_on else None,
        )
        for r in relationships
    ]
    svg = genogram_svg(child.pk, nodes, links, household, title=f"Genogram of {child_name}")
    return svg, relationships


def _genogram_people(child: Any, relationships: list[Relationship]) -> list[Any]:
    """Everyone the genogram draws, the child first, then by name (each editable below it)."""
    found = {child.pk: child.person}
    for r in relationships:
        found.setdefault(r.person_id, r.person)
        found.setdefault(r.relative_id, r.relative)
    others = sorted((p for pk, p in found.items() if pk != child.pk), key=lambda p: p.full_name)
    return [child.person, *others]


@login_required
def genogram(request: HttpRequest, child_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    _log(request, child.pk, page="genogram")
    svg, relationships = _genogram(child.pk, child.full_name)
    return render(
        request,
        "instruments/genogram.html",
        {
            "child": child,
            "svg": mark_safe(svg),  # noqa: S308 - every text in it is escaped by the engine
            "relationships": relationships,
            "people": _genogram_people(child, relationships),
            "can_edit": policies.can_edit_relationships(user, child),
        },
    )


class DateOfDeathForm(forms.Form):
    date_of_death = forms.DateField(
        label="Date of death (YYYY-MM-DD, blank if alive)",
        required=False,
        error_messages={"invalid": "Enter the date as YYYY-MM-DD, for example 2024-03-31"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, child_id: int, person_id: int) -> HttpResponse:
    """Record that someone in the genogram has died (the genogram is drawn from this)."""
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    if not policies.can_edit_relationships(user, child):
        raise Http404("No person found")
    _, relationships = _genogram(child.pk, child.full_name)
    person = next((p for p in _genogram_people(child, relationships) if p.pk == person_id), None)
    if person is None:
        raise Http404("No person found")
    form = DateOfDeathForm(
        request.POST if request.method == "POST" else None,
        initial={"date_of_death": person.date_of_death},
    )
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_date_of_death_record(
                actor=user, person_id=person.pk, date_of_death=form.cleaned_data["date_of_death"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error("date_of_death" if field == "date_of_death" else None, errors)
        else:
            messages.success(request, "Saved; the genogram shows the change.")
            return redirect("instruments:genogram", child_id=child.pk)
    _log(request, child.pk, page="person-edit", person=person.pk)
    return render(
        request,
        "instruments/person_edit.html",
        {"child": child, "person": person, "form": form},
    )


class RelationshipForm(forms.Form):
    relationship_type = forms.ChoiceField(label="Relationship", choices=RelationshipType.choices)
    has_parental_responsibility = forms.BooleanField(
        label="Has parental responsibility", required=False
    )
    ended_on = forms.DateField(label="Ended on (YYYY-MM-DD, blank if current)", required=False)


@login_required
@require_http_methods(["GET", "POST"])
def relationship_edit(request: HttpRequest, child_id: int, relationship_id: int) -> HttpResponse:
    user = _user(request)
    child = people.child_get(viewer=user, child_id=child_id)
    if not policies.can_edit_relationships(user, child):
        raise Http404("No relationship found")
    _, relationships = _genogram(child.pk, child.full_name)
    relationship = next((r for r in relationships if r.pk == relationship_id), None)
    if relationship is None:
        raise Http404("No relationship found")
    form = RelationshipForm(
        request.POST if request.method == "POST" else None,
        initial={
            "relationship_type": relationship.relationship_type,
            "has_parental_responsibility": relationship.has_parental_responsibility,
            "ended_on": relationship.ended_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            people_services.relationship_update(
                actor=user, relationship_id=relationship.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, "; ".join(exc.messages))
        else:
            messages.success(request, "Relationship updated; the genogram shows the change.")
            return redirect("instruments:genogram", child_id=child.pk)
    _log(request, child.pk, page="relationship-edit", relationship=relationship.pk)
    return render(
        request,
        "instruments/relationship_edit.html",
        {"child": child, "relationship": relationship, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policies.can_record_training(user):
        raise Http404("Not found")
    tools = sorted(
        {
            str(i.definition["requires_training"])
            for i in registry().instruments.values()
            if i.definition.get("requires_training")
        }
    )
    form = TrainingForm(request.POST if request.method == "POST" else None, tools=tools)
    if request.method == "POST" and form.is_valid():
        trainee = User.objects.filter(username=form.cleaned_data["username"]).first()
        if trainee is None:
            form.add_error("username", "There is no user with that username")
        else:
            services.trained_tool_record(
                actor=user,
                user=trainee,
                tool=form.cleaned_data["tool"],
                trained_on=form.cleaned_data["trained_on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, f"{trainee.display_name} recorded as trained.")
            return redirect("instruments:training")
    return render(
        request,
        "instruments/training.html",
        {"form": form, "records": selectors.trained_tool_list()},
    )
