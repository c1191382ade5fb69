"""Template helpers for the chronology pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    """``{{ mapping|get_item:key }}``: a dictionary lookup by a variable key."""
    return mapping.get(key, "") if mapping else ""
