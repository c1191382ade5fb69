"""The shared view helpers: a service's refusal lands on the form it came from."""

from django import forms
from django.core.exceptions import ValidationError

from cumulus.audit.pages import refusals_shown_on
from cumulus.core.errors import CumulusError


class NoteForm(forms.Form):
    note = forms.CharField()


def _form():
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    return form


def test_a_field_error_goes_on_its_field_and_an_unknown_field_on_the_form():
    form = _form()
    with refusals_shown_on(form):
        raise ValidationError({"note": "Too short", "elsewhere": "Not on this form"})
    assert form.errors["note"] == ["Too short"]
    assert form.non_field_errors() == ["Not on this form"]


def test_a_plain_validation_error_and_a_domain_refusal_go_on_the_form():
    form = _form()
    with refusals_shown_on(form):
        raise ValidationError("Something is wrong")
    assert form.non_field_errors() == ["Something is wrong"]
    form = _form()
    with refusals_shown_on(form):
        raise CumulusError("You can only act for a child you work with")
    assert form.non_field_errors() == ["You can only act for a child you work with"]


def test_no_refusal_leaves_the_form_clean():
    form = _form()
    with refusals_shown_on(form):
        pass
    assert not form.errors
