"""Reads of code lists."""

from __future__ import annotations

from django.db.models import QuerySet

from cumulus.codelists.models import Code, Scheme


def code_get(*, scheme: Scheme | str, code: str) -> Code:
    return Code.objects.get(scheme=scheme, code=code)


def code_list(*, scheme: Scheme | str) -> QuerySet[Code]:
    return Code.objects.filter(scheme=scheme)
