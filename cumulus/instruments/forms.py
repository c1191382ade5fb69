"""Turn a definition into form fields for the template, and a POST back into raw answers.

The form is generated from the definition (no Django ``Form`` class per instrument), so a new
instrument file needs no code. Names are ``r__<item id>`` with ``__<row>__<part>`` suffixes
for repeating rows (pairs, person scales).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from cumulus.instruments.engine.definition import applicable_sections, iter_items, scale_of

PREFIX = "r__"


def html_id(item_id: str) -> str:
    return "f-" + item_id.replace(".", "-")


def raw_from_post(definition: dict[str, Any], post: QueryDict) -> dict[str, Any]:
    """Raw answers keyed by item id, in the shapes ``scoring.clean_value`` expects."""
    raw: dict[str, Any] = {}
    for _, item in iter_items(definition):
        name = PREFIX + item["id"]
        kind = item["type"]
        if kind == "choice" and item.get("multiple"):
            raw[item["id"]] = post.getlist(name)
        elif kind == "pairs":
            rows = int(item.get("rows", 3))
            raw[item["id"]] = [
                (post.get(f"{name}__{r}__a", ""), post.get(f"{name}__{r}__b", ""))
                for r in range(rows)
            ]
        elif kind == "person_scale":
            rows = int(item.get("rows", 4))
            raw[item["id"]] = [
                (post.get(f"{name}__{r}__who", ""), post.get(f"{name}__{r}__value", ""))
                for r in range(rows)
            ]
        elif name in post:
            raw[item["id"]] = post.get(name)
    return raw


def _options(definition: dict[str, Any], item: dict[str, Any], value: Any) -> list[dict[str, Any]]:
    if item["type"] == "choice":
        chosen = value if isinstance(value, list) else [value]
        return [
            {"value": c["value"], "label": c["label"], "checked": c["value"] in chosen}
            for c in item["choices"]
        ]
    if item["type"] == "yes_no":
        return [
            {"value": "yes", "label": "Yes", "checked": value is True},
            {"value": "no", "label": "No", "checked": value is False},
        ]
    if item["type"] == "grade":
        low, high = scale_of(definition, item)
        labels = definition["scales"][item["scale"]].get("labels", {})
        prompts = item.get("prompts", {})
        return [
            {
                "value": str(g),
                "label": labels.get(str(g), f"{g:+d}" if low < 0 and g > 0 else str(g)),
                "hint": prompts.get(str(g), ""),
                "checked": value == g,
            }
            for g in range(low, high + 1)
        ]
    return []


def build_sections(
    definition: dict[str, Any],
    responses: dict[str, Any],
    *,
    age_band: str,
    errors: dict[str, str] | None = None,
    raw: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Sections with ready-to-render fields: ids, names, current values, options, errors."""
    errors = errors or {}
    perspectives = {p["id"]: p["label"] for p in definition.get("perspectives", [])}
    out = []
    for section in applicable_sections(definition, age_band=age_band or None):
        fields = []
        for item in section["items"]:
            value = responses.get(item["id"])
            if raw is not None and item["id"] in errors:
                value = raw.get(item["id"], value)
            kind = item["type"]
            hint = item.get("hints_by_age_band", {}).get(age_band) or item.get("hint", "")
            field: dict[str, Any] = {
                "item": item,
                "id": html_id(item["id"]),
                "name": PREFIX + item["id"],
                "type": kind,
                "label": item["label"],
                "hint": hint,
                "required": bool(item.get("required")),
                "error": errors.get(item["id"], ""),
                "value": "" if value is None else value,
                "options": _options(definition, item, value),
                "perspective": perspectives.get(item.get("perspective", ""), ""),
            }
            if kind == "number" or kind == "grade":
                field["min"], field["max"] = scale_of(definition, item)
            if kind == "pairs":
                rows = list(value or [])
                labels = item.get("pair_labels", ["First", "Second"])
                field["rows"] = [
                    {
                        "a": rows[r][0] if r < len(rows) else "",
                        "b": rows[r][1] if r < len(rows) else "",
                        "n": r,
                        "label_a": f"{labels[0]} ({r + 1})",
                        "label_b": f"{labels[1]} ({r + 1})",
                    }
                    for r in range(int(item.get("rows", 3)))
                ]
            if kind == "person_scale":
                rows = list(value or [])
                low, high = scale_of(definition, item)
                field["rows"] = [
                    {
                        "who": rows[r]["who"]
                        if r < len(rows) and isinstance(rows[r], dict)
                        else "",
                        "value": rows[r]["value"]
                        if r < len(rows) and isinstance(rows[r], dict)
                        else "",
                        "n": r,
                    }
                    for r in range(int(item.get("rows", 4)))
                ]
                field["min"], field["max"] = low, high
            fields.append(field)
        out.append({"section": section, "fields": fields})
    return out


def answer_text(definition: dict[str, Any], item: dict[str, Any], value: Any) -> str:
    """A signed-off answer as words, for the read-only page."""
    if value in (None, "", []):
        return "Not answered"
    kind = item["type"]
    if kind == "yes_no":
        return "Yes" if value else "No"
    if kind == "choice":
        labels = {c["value"]: c["label"] for c in item["choices"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    if kind == "grade":
        labels = definition["scales"][item["scale"]].get("labels", {})
        return str(labels.get(str(value), value))
    if kind == "pairs":
        return "\n".join(f"{a} → {b}" for a, b in value)
    if kind == "person_scale":
        return "; ".join(f"{row['who']}: {row['value']}" for row in value)
    return str(value)


class StartForm(forms.Form):
    age_band = forms.ChoiceField(label="Which age band is this assessment for?", required=False)

    def __init__(self, *args: Any, bands: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["age_band"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = bands
        field.required = bool(bands)


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label="Why does this assessment need correcting?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


TOOL_NAMES = {"gcp2": "Graded Care Profile 2"}


class TrainingForm(forms.Form):
    username = forms.CharField(label="Username of the practitioner", max_length=150)
    tool = forms.ChoiceField(label="Tool")
    trained_on = forms.DateField(label="Date trained (YYYY-MM-DD)")
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, tools: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tool"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t, TOOL_NAMES.get(t, t)) for t in tools]


class PhotoForm(forms.Form):
    item_id = forms.CharField(widget=forms.HiddenInput)
    photo = forms.FileField(label="Photograph")
    caption = forms.CharField(label="Caption (optional)", required=False, max_length=200)
