"""Roll imports (导入选民名单): an uploaded spreadsheet, its checked preview and whether it was applied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Document, Election, Job, Region
from election_admin.scoping import RegionScopedQuerySet

from ..choices import ImportStatus, RollKind


def import_upload_path(roll_import: "RollImport", filename: str) -> str:
    return f"voter-imports/{roll_import.region_id}/{roll_import.sha256[:16]}{roll_import.extension}"


class RollImport(models.Model):
    """选民名单导入 — one uploaded file for one roll: checked in the background, then applied once (also in
    the background, ``apply_job``: pending → parsed → applying → applied).

    The same file (SHA-256) uploaded again for the same roll returns this row: re-uploading does nothing.
    """

    region_lookup = "region__code"

    cycle = models.ForeignKey(Cycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("village or community"), on_delete=models.PROTECT, related_name="+"
    )
    roll = models.CharField(_("roll"), max_length=10, choices=RollKind.choices)
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    extension = models.CharField(_("extension"), max_length=5)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    job = models.ForeignKey(
        Job, verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    apply_job = models.ForeignKey(
        Job,
        verbose_name=_("import job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The background job writing the confirmed rows."),
    )
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    file_errors = models.JSONField(_("file errors"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    row_errors = models.JSONField(_("row errors"), default=list, blank=True)
    error_document = models.ForeignKey(
        Document,
        verbose_name=_("error workbook"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("roll import")
        verbose_name_plural = _("roll imports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region", "roll", "sha256"], name="roll_import_file_once"
            ),
            models.CheckConstraint(
                name="roll_import_status_known", condition=models.Q(status__in=ImportStatus.values)
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def importable_count(self) -> int:
        return int(self.counts.get("importable", 0))
