"""Regions (统计用区划): the national statistical division codes."""

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from ..choices import CODE_LENGTH, RegionKind, RegionLevel
from ..scoping import RegionScopedQuerySet

models.CharField.register_lookup(Length)


class Region(models.Model):
    """行政区划 — a province, city, county, township or village-level unit, keyed by its statistical code."""

    region_lookup = "code"

    code = models.CharField(_("statistical code"), max_length=12, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=RegionLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="region_code_length_matches_level",
                condition=(
                    models.Q(level=RegionLevel.PROVINCE, code__length=CODE_LENGTH[RegionLevel.PROVINCE])
                    | models.Q(level=RegionLevel.CITY, code__length=CODE_LENGTH[RegionLevel.CITY])
                    | models.Q(level=RegionLevel.COUNTY, code__length=CODE_LENGTH[RegionLevel.COUNTY])
                    | models.Q(level=RegionLevel.TOWNSHIP, code__length=CODE_LENGTH[RegionLevel.TOWNSHIP])
                    | models.Q(
                        level=RegionLevel.VILLAGE_LEVEL, code__length=CODE_LENGTH[RegionLevel.VILLAGE_LEVEL]
                    )
                ),
            ),
            models.CheckConstraint(
                name="region_kind_only_at_village_level",
                condition=models.Q(level=RegionLevel.VILLAGE_LEVEL) | models.Q(kind=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        """Codes of the regions above this one, from the province down (not including itself)."""
        lengths = [length for length in CODE_LENGTH.values() if length < len(self.code)]
        return [self.code[:length] for length in lengths]

    def ancestors(self) -> list["Region"]:
        by_code = Region.objects.in_bulk(self.ancestor_codes)
        return [by_code[code] for code in self.ancestor_codes if code in by_code]

    def full_name(self) -> str:
        """Names from the province down, e.g. 青海省 西宁市 大通回族土族自治县 桥头镇."""
        return " ".join([a.name for a in self.ancestors() if a.name != "市辖区"] + [self.name])
