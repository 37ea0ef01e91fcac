"""Staff accounts (工作人员), each with a role that applies within its region."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ROLE_LEVEL, Role
from ..scoping import RegionScopedQuerySet
from .regions import Region


class StaffUserManager(UserManager.from_queryset(RegionScopedQuerySet)):
    pass


class User(AbstractUser):
    """工作人员 — a staff account; its role applies within its region (system administrators: everywhere)."""

    region_lookup = "region__code"

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VILLAGE_CLERK)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    # The joint-review department (联审部门) of a department reviewer: a code of the candidates app's
    # configurable department list (a plain code, so this app does not depend on that one).
    department_code = models.CharField(_("joint-review department"), max_length=30, blank=True, default="")

    objects = StaffUserManager()

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        constraints = [
            models.CheckConstraint(
                name="user_region_required_except_system_admin",
                condition=models.Q(role=Role.SYSTEM_ADMIN) | models.Q(region__isnull=False),
            ),
            models.CheckConstraint(
                name="user_department_only_for_department_reviewer",
                condition=models.Q(role=Role.DEPARTMENT_REVIEWER, department_code__gt="")
                | (~models.Q(role=Role.DEPARTMENT_REVIEWER) & models.Q(department_code="")),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def area_code(self) -> str | None:
        """The code prefix of everything this account may see: '' for the whole country, None for nothing.

        Department reviewers see nothing through the general pages: the joint-review pages scope them to
        their county themselves (``candidates``), so every other page stays closed to them by default."""
        if self.role == Role.SYSTEM_ADMIN:
            return ""
        if self.role == Role.DEPARTMENT_REVIEWER:
            return None
        return self.region_id or None

    @property
    def is_department_reviewer(self) -> bool:
        return self.role == Role.DEPARTMENT_REVIEWER

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN

    @property
    def expected_level(self):
        return ROLE_LEVEL[Role(self.role)]
