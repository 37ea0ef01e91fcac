"""Fixed lists of the election domain (regions and staff roles)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.IntegerChoices):
    """行政区划层级 — the five levels of the national statistical division codes."""

    PROVINCE = 1, _("Province")
    CITY = 2, _("City")
    COUNTY = 3, _("County")
    TOWNSHIP = 4, _("Township")
    VILLAGE_LEVEL = 5, _("Village level")


# Length of the statistical code at each level: 2/4/6/9/12 digits, each a prefix of its children's.
CODE_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE_LEVEL: 12,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


class RegionKind(models.TextChoices):
    """村 / 社区 — what a village-level unit is, from code digits 10–12."""

    COMMUNITY = "community", _("Community (residents' committee)")
    VILLAGE = "village", _("Village (villagers' committee)")
    OTHER = "other", _("Other (living quarter, farm…)")


def village_level_kind(code: str) -> str:
    """Digits 10–12: 001–199 residents' committee, 200–399 villagers' committee, others neither."""
    suffix = int(code[9:12])
    if 1 <= suffix <= 199:
        return RegionKind.COMMUNITY
    if 200 <= suffix <= 399:
        return RegionKind.VILLAGE
    return RegionKind.OTHER


class Role(models.TextChoices):
    """工作人员角色 — what a staff account may do, always within its region."""

    VILLAGE_CLERK = "village_clerk", _("Village election committee clerk")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    # 联审部门人员: enters one department's joint-review verdicts for the candidates of its county, nothing else.
    DEPARTMENT_REVIEWER = "department_reviewer", _("Joint-review department staff")
    COUNTY_BUREAU = "county_bureau", _("County civil-affairs bureau")
    CITY_BUREAU = "city_bureau", _("City civil-affairs bureau")
    PROVINCE_BUREAU = "province_bureau", _("Province civil-affairs bureau")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# The region level each role is assigned at (a system administrator has no region: the country).
ROLE_LEVEL = {
    Role.VILLAGE_CLERK: RegionLevel.VILLAGE_LEVEL,
    Role.TOWNSHIP_STAFF: RegionLevel.TOWNSHIP,
    Role.DEPARTMENT_REVIEWER: RegionLevel.COUNTY,
    Role.COUNTY_BUREAU: RegionLevel.COUNTY,
    Role.CITY_BUREAU: RegionLevel.CITY,
    Role.PROVINCE_BUREAU: RegionLevel.PROVINCE,
    Role.SYSTEM_ADMIN: None,
}

# Rank used to decide who may manage whom: a manager ranks strictly above the accounts they manage.
ROLE_RANK = {
    Role.VILLAGE_CLERK: 1,
    Role.TOWNSHIP_STAFF: 2,
    Role.DEPARTMENT_REVIEWER: 3,
    Role.COUNTY_BUREAU: 4,
    Role.CITY_BUREAU: 5,
    Role.PROVINCE_BUREAU: 6,
    Role.SYSTEM_ADMIN: 7,
}

# Roles that manage staff accounts and browse the audit log of their area ("county and above").
BUREAU_ROLES = frozenset({Role.COUNTY_BUREAU, Role.CITY_BUREAU, Role.PROVINCE_BUREAU, Role.SYSTEM_ADMIN})
