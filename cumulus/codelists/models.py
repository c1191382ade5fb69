"""Code lists as reference data with validity dates (DfE census codes, event types, ...).

A code is identified by its scheme and code; ``valid_from``/``valid_to`` let a new collection
year add or retire codes without touching Python (``18A`` retired in 2020, ``RC9`` added in 2022).
"""

from __future__ import annotations

import datetime as dt

from django.db import models


class Scheme(models.TextChoices):
    REFERRAL_SOURCE = "referral_source", "Referral source (CIN census)"
    PRIMARY_NEED = "primary_need", "Primary need (CIN census)"
    CATEGORY_OF_ABUSE = "category_of_abuse", "Category of abuse (CIN census)"
    ASSESSMENT_FACTOR = "assessment_factor", "Factor identified at assessment (CIN census)"
    CLOSURE_REASON = "closure_reason", "Reason for closure (CIN census)"
    ETHNICITY = "ethnicity", "Ethnicity (CBDS)"
    DISABILITY = "disability", "Disability (CIN census)"
    SEX = "sex", "Sex (CIN census 2024-25)"
    NEGLECT_TYPE = "neglect_type", "Neglect type (Horwath)"
    CHRONOLOGY_EVENT_TYPE = "chronology_event_type", "Chronology event type"


class Code(models.Model):
    scheme = models.CharField(max_length=40, choices=Scheme.choices)
    code = models.CharField(max_length=60)
    label = models.CharField(max_length=200)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    list_version = models.CharField(
        max_length=20, help_text="Version of the code list file this code was loaded from."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="codelists_code_unique"),
        ]
        ordering = ["scheme", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
