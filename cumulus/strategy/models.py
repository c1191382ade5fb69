"""A loaded strategy and its aims.

The strategy file (``config.py``) is the source; loading copies it here so the action plan's
items and the reviews' recommendations can point at an aim. Reloading a changed file updates
the aims in place and never deletes one that anything points at (it is marked withdrawn).
"""

from __future__ import annotations

from django.db import models

from cumulus.core.models import TimeStampedModel


class Strategy(TimeStampedModel):
    slug = models.SlugField(max_length=40, unique=True)
    partnership = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    config = models.JSONField(help_text="The checked strategy file, as loaded")
    source_file = models.CharField(max_length=500)
    is_active = models.BooleanField(
        default=False, help_text="The strategy the partnership works to now (one at a time)"
    )

    class Meta:
        verbose_name_plural = "strategies"
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="strategy_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.title}"

    @property
    def action_plan_objectives(self) -> list[dict[str, str]]:
        return list(self.config["action_plan"]["objectives"])

    def objective_title(self, key: str) -> str:
        return next((o["title"] for o in self.action_plan_objectives if o["key"] == key), key)


class StrategyAim(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="aims")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    section = models.CharField(max_length=200, help_text="Where the strategy says it")
    position = models.PositiveIntegerField()
    withdrawn = models.BooleanField(default=False)

    class Meta:
        ordering = ["strategy", "position"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "code"], name="strategy_aim_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"
