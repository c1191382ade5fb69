"""Abstract base models shared by every domain app."""

from django.db import models

from cumulus.core import clock


class TimeStampedModel(models.Model):
    """Records when a row was created and last changed (UTC)."""

    created_at = models.DateTimeField(default=clock.now, editable=False)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        self.updated_at = clock.now()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
