"""The record of scheduled job runs: one row per job and date, which is what makes jobs run once per date."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One job's run for one date (organisation time zone).

    The unique (name, date) pair is the claim: whoever moves the row to ``running`` runs the job, so two
    consumers, or a consumer and a manual run, never run the same job for the same date twice. Written by
    the scheduler and ``salesops.jobs.services`` only (not user-editable, so no history); kept 180 days.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=64)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True, encoder=DjangoJSONEncoder)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["name", "date"], name="jobs_jobrun_once_per_date")]

    def __str__(self) -> str:
        return f"{self.name} {self.date} {self.get_status_display()}"
