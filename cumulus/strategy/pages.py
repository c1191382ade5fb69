"""What the views of the strategy's apps (action plan, learning) share: the active strategy, or
a 404 when none is loaded, and a service's refusal shown on the form that asked for it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404

from cumulus.strategy.models import Strategy
from cumulus.strategy.selectors import strategy_active


def active_strategy_or_404() -> Strategy:
    strategy = strategy_active()
    if strategy is None:
        raise Http404
    return strategy


def service_errors_on(form: Form, exc: ValidationError) -> None:
    """Each field's refusal on that field; anything else at the top of the form."""
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
