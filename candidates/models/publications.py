"""Publications of the official candidate list (正式候选人名单公告) and its changes after withdrawals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from election_admin.models import Document, Election

from ..choices import ListPublicationKind
from ..scoping import CandidatesQuerySet


class CandidateListPublication(models.Model):
    """正式候选人名单公告 — one posted notice of an election's official list: the list itself (number 1)
    or a change after a withdrawal. ``listed`` keeps what it showed: post → candidate ids in order."""

    region_lookup = "election__region__code"

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=ListPublicationKind.choices)
    published_on = models.DateField(_("published on"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    term_number = models.PositiveSmallIntegerField(_("term (第X届)"), null=True, blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="+"
    )
    listed = models.JSONField(_("candidates listed"), default=dict)
    candidate_count = models.PositiveSmallIntegerField(_("candidates"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = CandidatesQuerySet.as_manager()

    class Meta:
        verbose_name = _("candidate list publication")
        verbose_name_plural = _("candidate list publications")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="candidate_list_number_unique"),
            models.CheckConstraint(
                name="candidate_list_first_is_notice",
                condition=Q(number=1, kind=ListPublicationKind.NOTICE)
                | Q(number__gt=1, kind=ListPublicationKind.CHANGE),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.election_id} #{self.number}"
