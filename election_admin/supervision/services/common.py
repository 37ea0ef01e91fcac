"""Shared checks of the supervision services: who may do what, phone numbers, scoped look-ups."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from election_admin.models import Cycle, Election, Region

from ..choices import (
    COUNTY_ASSIGNER_ROLES,
    CYCLE_RULES_ROLES,
    PHONE_ROLES,
    SUPERVISION_ROLES,
    TOWNSHIP_ASSIGNER_ROLES,
)
from ..models.assignments import mask_phone

# A mobile number (11 digits from 13…19) or a landline with its area code (0971-1234567, extension allowed).
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def may_supervise(user) -> bool:
    """Township staff and above keep the supervision records of their area (village clerks do not)."""
    return bool(user and user.is_authenticated and user.role in SUPERVISION_ROLES)


def may_assign_county_leaders(user) -> bool:
    return bool(user and user.is_authenticated and user.role in COUNTY_ASSIGNER_ROLES)


def may_assign_village_leaders(user) -> bool:
    return bool(user and user.is_authenticated and user.role in TOWNSHIP_ASSIGNER_ROLES)


def may_see_phones(user) -> bool:
    """Township staff and county bureaus phone the people responsible; others see phones masked."""
    return bool(user and user.is_authenticated and user.role in PHONE_ROLES)


def may_set_cycle_rules(user, cycle: Cycle) -> bool:
    """Answer times and composition targets are set by the bureau of the cycle's own area (a county's
    cycle by the county bureau, a city's by the city bureau) or a system administrator."""
    return bool(
        user
        and user.is_authenticated
        and user.role in CYCLE_RULES_ROLES
        and user.area_code in ("", cycle.region_id)
    )


def phone_shown(user, phone: str) -> str:
    return phone if may_see_phones(user) else mask_phone(phone)


def require_supervisor(actor) -> None:
    if not may_supervise(actor):
        raise PermissionDenied(_("Township staff and above keep the supervision records."))


def require_cycle_rules_editor(actor, cycle: Cycle) -> None:
    if not may_set_cycle_rules(actor, cycle):
        raise PermissionDenied(_("Only the bureau of the cycle's area sets this for a cycle."))


def clean_phone(phone: str, *, required: bool = True) -> str:
    """The phone without spaces; a ValidationError in words a clerk understands when it is not one."""
    phone = re.sub(r"[\s()（）]", "", phone or "")
    if not phone:
        if required:
            raise ValidationError(_("Enter a phone number."))
        return ""
    if not PHONE_PATTERN.match(phone):
        raise ValidationError(
            _("“%(phone)s” is not a phone number: 11 digits for a mobile, or the area code and number.")
            % {"phone": phone}
        )
    return phone


def visible_region(actor, code: str) -> Region | None:
    return Region.objects.visible_to(actor).filter(code=code).first()


def visible_cycle(actor, cycle_id: int) -> Cycle | None:
    return Cycle.objects.visible_to(actor).select_related("region", "rule_set").filter(pk=cycle_id).first()


def visible_election(actor, election_id: int) -> Election | None:
    return (
        Election.objects.visible_to(actor)
        .select_related("cycle__rule_set", "region__parent")
        .filter(pk=election_id)
        .first()
    )


def region_in_cycle(region: Region, cycle: Cycle) -> bool:
    return region.code.startswith(cycle.region_id)
