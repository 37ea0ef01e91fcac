"""Generated documents (公告、选民证、当选证书、统计表): stored as evidence with their SHA-256."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..scoping import RegionScopedQuerySet
from .regions import Region

# Short codes avoid look-alike characters (0/O, 1/I/L) so they can be typed from a paper notice.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 10


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def document_upload_path(document: "Document", filename: str) -> str:
    return f"documents/{document.region_id}/{document.kind}/{document.sha256[:16]}-{filename}"


class DocumentKind(models.TextChoices):
    VOTER_LIST_NOTICE = "voter_list_notice", _("Voter list notice")
    VOTER_LIST_SUPPLEMENT = "voter_list_supplement", _("Supplementary voter list notice")
    OBJECTION_DECISION = "objection_decision", _("Objection decision notice")
    VOTER_CARDS = "voter_cards", _("Voter cards")
    VOTER_IMPORT_ERRORS = "voter_import_errors", _("Voter import errors")
    ROLL_EXPORT = "roll_export", _("Voter roll export")
    CANDIDATE_LIST_NOTICE = "candidate_list_notice", _("Official candidate list notice")
    RESULT_NOTICE = "result_notice", _("Election result notice")
    RESULT_NOTICE_BATCH = "result_notice_batch", _("Result notices of an area")
    CERTIFICATE = "certificate", _("Certificate of election")
    TALLY_REPORT = "tally_report", _("Tally report")
    SUMMARY_WORKBOOK = "summary_workbook", _("Summary workbook")
    PROGRESS_EXPORT = "progress_export", _("Progress table")
    STATISTICS_WORKBOOK = "statistics_workbook", _("Statistics workbook")
    WEEKLY_REPORT = "weekly_report", _("Weekly progress report")
    ELECTION_RECORD = "election_record", _("Election record sheet")
    DEPARTURE_CERTIFICATE = "departure_certificate", _("Departure certificate")
    PROXY_LIST = "proxy_list", _("Proxy vote list notice")
    MOBILE_BOX_LIST = "mobile_box_list", _("Mobile ballot box voter list notice")


class Document(models.Model):
    """生成文件 — one generated PDF or workbook, kept with who asked for it, from which data, and its hash.

    A public notice carries ``short_code`` (printed with a QR code) that anyone can check at
    /verify/<short_code>/ without signing in. ``data_version`` names the state of the data it was made
    from; the same kind, region and data version is made only once (a re-run returns the stored one).
    """

    region_lookup = "region__code"

    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(_("subject type"), max_length=100, blank=True)
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    data_version = models.CharField(_("data version"), max_length=100, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    short_code = models.CharField(_("verification code"), max_length=16, unique=True, default=new_short_code)
    is_public = models.BooleanField(_("public notice"), default=False)
    public_summary = models.JSONField(_("public summary"), default=dict, blank=True)
    font_warning = models.CharField(_("font warning"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "region", "subject_type", "subject_id", "data_version"],
                condition=~Q(data_version=""),
                name="document_once_per_data_version",
            ),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="document_subject_idx")]

    def __str__(self) -> str:
        return self.title
