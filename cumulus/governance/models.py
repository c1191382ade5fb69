"""A governance report produced in the app: who asked for which quarter and strategy, and the
two files written (PDF and XLSX) under ``VAR_DIR/governance/<id>/``."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class GovernanceReport(models.Model):
    strategy = models.ForeignKey("strategy.Strategy", on_delete=models.PROTECT, related_name="+")
    quarter = models.CharField(max_length=6, help_text="YYYYQn")
    produced_at = models.DateTimeField()
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    pdf_name = models.CharField(max_length=200)
    xlsx_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["-produced_at", "-pk"]

    def __str__(self) -> str:
        return f"Governance report {self.quarter} ({self.strategy.slug})"
