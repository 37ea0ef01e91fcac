"""The configurable lists (system administrators keep them in the admin site): joint-review departments,
the negative list of disqualifying grounds, and the occupations the statistics count."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActiveListQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Department(models.Model):
    """联审部门 — a county department that checks candidates in the joint review (公安, 法院, 纪委监委…)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ActiveListQuerySet.as_manager()

    class Meta:
        verbose_name = _("joint-review department")
        verbose_name_plural = _("joint-review departments")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class NegativeListItem(models.Model):
    """负面清单 — one ground on which a nominee is not qualified (criminal record, under investigation…)."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    text = models.CharField(_("ground"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    needs_detail = models.BooleanField(_("needs a written detail"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ActiveListQuerySet.as_manager()

    class Meta:
        verbose_name = _("negative-list ground")
        verbose_name_plural = _("negative list")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.text


class Occupation(models.Model):
    """职业/身份 — how a candidate is counted in the statistics (致富能手, 退役军人, 返乡大学生…)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ActiveListQuerySet.as_manager()

    class Meta:
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name
