"""Background jobs (后台任务): a row the browser polls while Celery works (imports, PDFs, cycle creation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices_cycles import JobStatus
from ..scoping import RegionScopedQuerySet
from .regions import Region


class Job(models.Model):
    """后台任务 — one piece of background work with its progress, messages and output file."""

    region_lookup = "region__code"

    kind = models.CharField(_("kind"), max_length=50)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    messages = models.JSONField(_("messages"), default=list, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    output_file = models.FileField(_("output file"), upload_to="jobs/%Y/%m/", blank=True)
    output_sha256 = models.CharField(_("SHA-256 of the output"), max_length=64, blank=True)
    result_url = models.CharField(_("result page"), max_length=200, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        "election_admin.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    celery_task_id = models.CharField(_("task id"), max_length=50, blank=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="job_processed_le_total", condition=models.Q(processed__lte=models.F("total"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        return int(self.processed * 100 / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
