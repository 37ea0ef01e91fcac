"""Roll publications (公布选民名单 / 补充公告): each notice posted on the village board."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from election_admin.models import Cycle, Document, Election, Region
from election_admin.scoping import RegionScopedQuerySet

from ..choices import PublicationKind, RollKind


class RollPublication(models.Model):
    """选民名单公告 — one posted notice of a roll: the first publication or a supplement.

    ``listed`` maps each voter id on the roll at that moment to a short digest of what the notice
    shows (name, gender, group, birth date), so the next supplement lists exactly the additions,
    removals and corrections since.
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
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=PublicationKind.choices)
    published_on = models.DateField(_("published on"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    document = models.ForeignKey(
        Document, verbose_name=_("notice"), on_delete=models.PROTECT, related_name="+"
    )
    listed = models.JSONField(_("voters listed"), default=dict)
    voter_count = models.PositiveIntegerField(_("voters on the roll"))
    added_count = models.PositiveIntegerField(_("added"), default=0)
    removed_count = models.PositiveIntegerField(_("removed"), default=0)
    corrected_count = models.PositiveIntegerField(_("corrected"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("roll publication")
        verbose_name_plural = _("roll publications")
        ordering = ["cycle", "region", "roll", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "region", "roll", "number"], name="roll_publication_number_unique"
            ),
            models.CheckConstraint(
                name="roll_publication_first_is_notice",
                condition=models.Q(number=1, kind=PublicationKind.NOTICE)
                | models.Q(number__gt=1, kind=PublicationKind.SUPPLEMENT),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.roll} #{self.number}"
