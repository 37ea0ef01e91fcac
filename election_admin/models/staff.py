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

    objects = StaffUserManager()

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        constraints = [
            models.CheckConstraint(
                name="user_region_required_except_system_admin",
                condition=models.Q(role=Role.SYSTEM_ADMIN) | models.Q(region__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def area_code(self) -> str | None:
        """The code prefix of everything this account may see: '' for the whole country, None for nothing."""
        if self.role == Role.SYSTEM_ADMIN:
            return ""
        return self.region_id or None

    @property
    def is_system_admin(self) -> bool:
        return self.role == Role.SYSTEM_ADMIN

    @property
    def expected_level(self):
        return ROLE_LEVEL[Role(self.role)]
