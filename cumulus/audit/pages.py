"""What the thin views of the case apps share: the signed-in user, a child's page written to the
access log, and a service's refusal shown on the form that asked for it.

One place, so every page about a child is logged the same way (``view_child`` with the page's
name in ``detail``) and every refusal reaches the GOV.UK error summary the same way::

    user = signed_in_user(request)
    with refusals_shown_on(form):
        record = services.voice_record(actor=user, ...)
    if not form.errors:
        return redirect(...)
    return child_page(request, child, "voice/voice_new.html", page="voice-new", form=form)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cumulus.accounts.models import User
from cumulus.audit.models import AccessAction
from cumulus.audit.services import access_log_record
from cumulus.core.errors import CumulusError


def signed_in_user(request: HttpRequest) -> User:
    """The practitioner behind a ``login_required`` view."""
    user = request.user
    assert isinstance(user, User)
    return user


def child_page_logged(request: HttpRequest, *, child_id: int, page: str, **detail: object) -> None:
    """Write the view of a page about a child to the access log."""
    access_log_record(
        actor=signed_in_user(request),
        request=request,
        action=AccessAction.VIEW_CHILD,
        child_id=child_id,
        detail={"page": page, **detail},
    )


def child_page(
    request: HttpRequest,
    child: Any,
    template: str,
    *,
    page: str,
    detail: dict[str, object] | None = None,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """Log the view of a page about ``child`` (already checked by ``people.selectors``), then
    render ``template`` with the child and ``context``."""
    child_page_logged(request, child_id=child.pk, page=page, **(detail or {}))
    return render(request, template, {"child": child, **context}, status=status)


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Put a service's validation errors on the form's fields (or the form itself)."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@contextmanager
def refusals_shown_on(form: Form) -> Iterator[None]:
    """Run a service call; a refusal (``ValidationError`` by field, or any ``CumulusError``)
    goes on ``form`` instead of up the stack. The service's own transaction has already rolled
    back, so nothing is half-saved; check ``form.errors`` afterwards."""
    try:
        yield
    except ValidationError as exc:
        add_service_errors(form, exc)
    except CumulusError as exc:
        form.add_error(None, str(exc))
