"""GOV.UK styling for the plain Django forms of the strategy, action plan, learning and
governance pages: one place sets each widget's class and test id."""

from __future__ import annotations

from django import forms

_CLASSES = {
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


def govuk_widgets(form: forms.BaseForm) -> None:
    """Give every widget its GOV.UK class, a ``data-testid`` (the field name) and hints."""
    # Read errors only once validation has run: ``form.errors`` would validate too early.
    errors = form._errors or {}  # type: ignore[attr-defined]
    for name, field in form.fields.items():
        widget = field.widget
        css = next((c for kind, c in _CLASSES.items() if type(widget) is kind), "govuk-input")
        if errors.get(name):
            css += {
                "govuk-select": " govuk-select--error",
                "govuk-textarea": " govuk-textarea--error",
            }.get(css, " govuk-input--error" if css == "govuk-input" else "")
        widget.attrs.update({"class": css, "data-testid": name})
        described = []
        if field.help_text:
            described.append(f"id_{name}-hint")
        if errors.get(name):
            described.append(f"id_{name}-error")
        if described:
            widget.attrs["aria-describedby"] = " ".join(described)


class GovukForm(forms.Form):
    """A form whose widgets carry GOV.UK classes, restyled once errors are known."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        govuk_widgets(self)

    def full_clean(self) -> None:
        super().full_clean()
        govuk_widgets(self)
